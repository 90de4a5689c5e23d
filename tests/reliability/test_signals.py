"""SIGINT and SIGTERM on a real ``tkelectron run``: the normal quit, the shell's exit code.

Run on both hosts: ``tkhtml`` is Tk's mainloop hosting trio as a guest (a
signal must wake Tk, which sits in C), ``headless`` is plain ``trio.run``.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from ._subprocess import AppProcess, alive

PROBE = Path(__file__).resolve().parent / "apps" / "lifecycle_probe"
COMPOSITORS = ["tkhtml", "headless"]


@pytest.fixture(params=COMPOSITORS)
def compositor(request: pytest.FixtureRequest) -> str:
    if request.param == "tkhtml":
        request.getfixturevalue("display")  # Xvfb when there is no display
    return str(request.param)


def started(compositor: str, **env: str) -> tuple[AppProcess, int]:
    """The probe app running, its page loaded: the process and its renderer's pid."""
    proc = AppProcess(PROBE, compositor, **env)
    event = proc.expect()
    assert event is not None and event.startswith("loaded "), (event, proc.wait())
    return proc, int(event.split()[1])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_runs_the_normal_quit_and_exits_with_the_shells_code(compositor: str, signum: int) -> None:
    proc, renderer = started(compositor)
    try:
        proc.signal(signum)
        events = proc.rest()
        code, err = proc.wait()
    finally:
        proc.kill()
    expected = 128 + signum
    assert events == ["before-quit", "closed", "will-quit", f"quit {expected}"], err
    assert code == expected, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert not alive(renderer)  # main ended its renderer before exiting


def test_a_second_signal_forces_the_exit_when_the_quit_was_prevented(compositor: str) -> None:
    proc, renderer = started(compositor, PROBE_PREVENT_QUIT="1")
    try:
        proc.signal(signal.SIGTERM)
        assert proc.expect() == "before-quit"  # prevented: the app goes on
        assert alive(renderer)
        proc.signal(signal.SIGINT)
        events = proc.rest()
        code, err = proc.wait()
    finally:
        proc.kill()
    assert events == []  # no will-quit, no quit: forced
    assert code == 130, err
    assert "Traceback" not in err, err
    assert not alive(renderer)


def test_renderers_ignore_sigint(compositor: str) -> None:
    proc, renderer = started(compositor)
    try:
        status = Path(f"/proc/{renderer}/status").read_text()
        ignored = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
        assert ignored & (1 << (signal.SIGINT - 1)), "the renderer does not ignore SIGINT"
        proc.signal(signal.SIGTERM)
        assert proc.rest()[-1] == "quit 143"
        assert proc.wait()[0] == 143
    finally:
        proc.kill()


def test_ctrl_c_before_the_app_runs_exits_130_without_a_traceback() -> None:
    # The app's module is interrupted while it is imported, before app.run()
    # installs the quit handlers: the CLI still ends with the shell's code.
    proc = AppProcess(PROBE.parent / "interrupted_start", "headless")
    assert proc.rest() == []
    code, err = proc.wait()
    assert code == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
