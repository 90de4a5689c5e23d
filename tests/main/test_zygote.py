"""Renderers forked from the zygote (the default on Linux; TKELECTRON_ZYGOTE=0
turns it off): each is the zygote's child, sandboxed like a directly started
renderer, reports the same exit reasons, and nothing outlives the app run,
the zygote included. The same checks run on the direct path too, so both
paths are compared.

The zygote starts with the app and a renderer request awaits it without
blocking main (a zygote held at its start by a FIFO shows Tk and trio run
meanwhile); a zygote that is not ready in time, fails to start, answers
wrongly, hangs or is killed costs a window nothing but the direct start.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron import BrowserWindow, RendererGoneError
from tkelectron.main import _zygote
from tkelectron.main._context import current_session
from tkelectron.main._isolated_process import FRAMEWORK_ROOT
from tkelectron.testing import launch
from tkelectron.testing._runner import current_tk_root

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"
PAGE = BLANK / "index.html"
HERE = Path(__file__).parent
PRELOAD = str(HERE / "_zygote_preload.py")

pytestmark = [pytest.mark.tkelectron("headless"), pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux")]


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.fixture(params=["zygote", "direct"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "zygote":
        monkeypatch.delenv(_zygote.ENV, raising=False)  # the default
        # These tests compare the paths: a window waits for its zygote however
        # loaded the machine is (the deadline has tests of its own below).
        monkeypatch.setattr(_zygote, "READY_WAIT", 120.0)
    else:
        monkeypatch.setenv(_zygote.ENV, "0")
    return str(request.param)


def _use_command(monkeypatch: pytest.MonkeyPatch, command: Callable[[int], list[str]]) -> None:
    monkeypatch.delenv(_zygote.ENV, raising=False)
    monkeypatch.setattr(_zygote, "_command", command)


async def _window() -> tuple[BrowserWindow, list[Any]]:
    win = BrowserWindow(web_preferences={"preload": PRELOAD})
    await win.load_file(PAGE)
    gone: list[Any] = []
    win.web_contents.on("render-process-gone", lambda event, details: gone.append(details))
    return win, gone


def _direct_and_sandboxed(win: BrowserWindow) -> None:
    pid = win.web_contents.get_os_process_id()
    assert _ppid(pid) == os.getpid()
    report = win.web_contents.get_sandbox_report()
    assert report["sandboxed"] and not report["missing"], report


async def test_a_renderer_is_a_sandboxed_child_of_the_zygote(compositor: str, path: str) -> None:
    pids: list[int] = []
    async with launch(BLANK, compositor=compositor):
        win, _gone_events = await _window()
        pid = win.web_contents.get_os_process_id()
        assert await win.web_contents.invoke("pid") == pid
        zygote = _zygote.current_pid()
        if path == "zygote":
            assert zygote is not None and _ppid(pid) == zygote
            assert _ppid(zygote) == os.getpid()
            pids.append(zygote)
        else:
            assert zygote is None and _ppid(pid) == os.getpid()
        pids.append(pid)
        report = win.web_contents.get_sandbox_report()
        assert report["sandboxed"] and not report["missing"], report
    # Ended with the app run (the leak check also sees a zygote left behind).
    assert _zygote.current_pid() is None
    assert all(_gone(pid) for pid in pids), pids


@pytest.mark.parametrize(
    ("how", "reason", "code"),
    [("kill", "killed", -9), ("crash", "crashed", -6), ("clean", "clean-exit", 0), ("exit-3", "abnormal-exit", 3)],
)
async def test_exit_reasons_are_those_of_a_direct_renderer(
    compositor: str, path: str, how: str, reason: str, code: int
) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        win, gone = await _window()
        with pytest.raises(RendererGoneError):
            await win.web_contents.invoke("end", how)
        await harness.wait_for(lambda: gone, what="render-process-gone")
        assert (gone[0].reason, gone[0].exit_code) == (reason, code)
        request = win.web_contents.reload()  # a fresh renderer takes over
        assert request is not None
        await request
        assert await win.web_contents.invoke("pid") == win.web_contents.get_os_process_id()


async def test_a_kill_from_outside_is_reported_killed(compositor: str, path: str) -> None:
    async with launch(BLANK, compositor=compositor) as harness:
        win, gone = await _window()
        os.kill(win.web_contents.get_os_process_id(), signal.SIGKILL)
        await harness.wait_for(lambda: gone, what="render-process-gone")
        assert (gone[0].reason, gone[0].exit_code) == ("killed", -9)


async def test_spares_are_forked_from_the_zygote(compositor: str, path: str) -> None:
    async with launch(BLANK, compositor=compositor, spare_renderers=1) as harness:
        session = current_session()
        spare = await harness.wait_for(lambda: session.spares[:1], what="a spare renderer")
        expected = _zygote.current_pid() if path == "zygote" else os.getpid()
        assert expected is not None and _ppid(spare[0].pid) == expected
        win, _gone_events = await _window()
        assert win.web_contents.get_os_process_id() == spare[0].pid  # the window took it
        await harness.wait_for(lambda: session.spares[:1], what="the spare's replacement")


async def test_zygote_death_is_survived(compositor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_zygote.ENV, raising=False)
    async with launch(BLANK, compositor=compositor) as harness:
        assert await _zygote.wait_ready(120)
        _win, gone = await _window()
        first = _zygote.current_pid()
        assert first is not None
        os.kill(first, signal.SIGKILL)
        # Its renderer dies of its parent-death signal and is reported killed.
        await harness.wait_for(lambda: gone, what="render-process-gone")
        assert gone[0].reason == "killed"
        # The next window opens at once (from a new zygote if it is ready in
        # time, else directly), sandboxed either way.
        other, _ = await _window()
        assert other.web_contents.get_sandbox_report()["sandboxed"]
        # Once the new zygote is ready, renderers come from it again.
        assert await _zygote.wait_ready(120)
        second = _zygote.current_pid()
        assert second is not None and second != first
        third, _ = await _window()
        assert _ppid(third.web_contents.get_os_process_id()) == second
        assert third.web_contents.get_sandbox_report()["sandboxed"]
    assert _gone(first) and _gone(second)


def _gated(gate: Path) -> Callable[[int], list[str]]:
    script = str(HERE / "_gated_zygote.py")
    return lambda fd: [sys.executable, "-I", "-B", script, str(gate), FRAMEWORK_ROOT, str(fd)]


async def _open_gate(gate: Path) -> None:
    def release() -> None:
        with open(gate, "wb"):
            pass  # the zygote reads EOF and goes on with its imports

    await trio.to_thread.run_sync(release)


@pytest.mark.tkelectron("headless", "tkhtml")
async def test_a_window_asked_for_while_the_zygote_imports_does_not_block_main(
    compositor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    _use_command(monkeypatch, _gated(gate))
    monkeypatch.setattr(_zygote, "READY_WAIT", 120.0)  # the window waits for this zygote
    async with launch(BLANK, compositor=compositor) as harness:
        zygote = _zygote.current_pid()
        assert zygote is not None  # started with the app, held at its gate
        win = BrowserWindow(web_preferences={"preload": PRELOAD})
        loading = win.load_file(PAGE)
        # Main goes on while the window's renderer waits for the zygote: Tk's
        # own callbacks on the real compositor, another trio task on both.
        ticks: list[int] = []
        if compositor == "tkhtml":
            root = current_tk_root()
            assert root is not None

            def tick() -> None:
                ticks.append(1)
                if len(ticks) < 20:
                    root.after(1, tick)

            root.after(1, tick)
        else:

            async def ticker() -> None:
                for _ in range(20):
                    ticks.append(1)
                    await trio.sleep(0.001)

            current_session().start_soon(ticker)
        await harness.wait_for(lambda: len(ticks) >= 20, what="main's callbacks while the zygote imports")
        assert not loading.done and win.web_contents.get_os_process_id() == 0
        await _open_gate(gate)
        await loading
        assert _ppid(win.web_contents.get_os_process_id()) == zygote
        assert win.web_contents.get_sandbox_report()["sandboxed"]


async def test_a_zygote_not_ready_in_time_costs_a_window_only_the_direct_start(
    compositor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    _use_command(monkeypatch, _gated(gate))
    monkeypatch.setattr(_zygote, "READY_WAIT", 0.05)
    async with launch(BLANK, compositor=compositor):
        zygote = _zygote.current_pid()
        win, _gone_events = await _window()  # the gate is shut: the deadline passes
        _direct_and_sandboxed(win)
        assert _zygote.current_pid() == zygote  # not ended: only slow
        await _open_gate(gate)
        assert await _zygote.wait_ready(120)
        later, _ = await _window()
        assert _ppid(later.web_contents.get_os_process_id()) == zygote


@pytest.mark.parametrize("mode", ["exit", "bad-ready", "not-a-child", "no-fd", "hang", "missing"])
async def test_a_failing_zygote_means_direct_renderers(
    compositor: str, mode: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    script = str(HERE / "_fake_zygote.py")
    if mode == "missing":  # cannot even start
        _use_command(monkeypatch, lambda fd: [str(HERE / "no-such-zygote"), str(fd)])
    else:
        _use_command(monkeypatch, lambda fd: [sys.executable, "-I", "-B", script, mode, str(fd)])
    monkeypatch.setattr(_zygote, "REPLY_TIMEOUT", 0.2)  # the hanging one
    monkeypatch.setattr(_zygote, "READY_WAIT", 120.0)  # a fake is ready at once, or never
    async with launch(BLANK, compositor=compositor):
        first, _ = await _window()
        _direct_and_sandboxed(first)
        second, _ = await _window()  # no zygote left to try: straight to the direct start
        _direct_and_sandboxed(second)
        assert _zygote.current_pid() is None
    assert "zygote" in caplog.text


async def test_turned_off_mid_run_the_running_zygote_is_not_asked(
    compositor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(_zygote.ENV, raising=False)
    async with launch(BLANK, compositor=compositor):
        assert await _zygote.wait_ready(120)
        monkeypatch.setenv(_zygote.ENV, "0")
        win, _gone_events = await _window()
        _direct_and_sandboxed(win)


@pytest.mark.parametrize("held", ["importing", "forking"])
async def test_a_window_still_waiting_for_its_zygote_when_the_app_ends_leaves_nothing(
    compositor: str, held: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    if held == "importing":  # the zygote is held at its start
        gate = tmp_path / "gate"
        os.mkfifo(gate)
        _use_command(monkeypatch, _gated(gate))
    else:  # ready, and it never answers the fork request
        script = str(HERE / "_fake_zygote.py")
        _use_command(monkeypatch, lambda fd: [sys.executable, "-I", "-B", script, "hang", str(fd)])
        monkeypatch.setattr(_zygote, "REPLY_TIMEOUT", 120.0)
    monkeypatch.setattr(_zygote, "READY_WAIT", 120.0)
    async with launch(BLANK, compositor=compositor) as harness:
        zygote = _zygote.current_pid()
        assert zygote is not None
        win = BrowserWindow(web_preferences={"preload": PRELOAD})
        loading = win.load_file(PAGE)
        ticks: list[int] = []

        async def ticker() -> None:
            for _ in range(20):
                ticks.append(1)
                await trio.sleep(0.001)

        current_session().start_soon(ticker)
        await harness.wait_for(lambda: len(ticks) >= 20, what="the window's request to wait for the zygote")
        assert not loading.done
    # The zygote was ended with the run, and whatever the waiting request
    # started instead was ended too: the plugin's leak check fails the test otherwise.
    assert _gone(zygote) and _zygote.current_pid() is None
    # Nothing failed: a request the run's end cancelled is no warning for the
    # user (an app that fails at start printed it above its own error).
    warned = [r.getMessage() for r in caplog.records if r.name == _zygote.log.name and r.levelno >= logging.WARNING]
    assert warned == []
