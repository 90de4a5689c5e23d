"""Renderers forked from the zygote (TKELECTRON_ZYGOTE=1): each is the
zygote's child, sandboxed like a directly started renderer, reports the same
exit reasons, and nothing outlives the app run, the zygote included. The
same checks run on the direct path too, so both paths are compared."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from tkelectron import BrowserWindow, RendererGoneError
from tkelectron.main import _zygote
from tkelectron.testing import launch

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"
PAGE = BLANK / "index.html"
PRELOAD = str(Path(__file__).parent / "_zygote_preload.py")

pytestmark = [pytest.mark.tkelectron("headless"), pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux")]


def _ppid(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


@pytest.fixture(params=["zygote", "direct"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(_zygote.ENV, "1" if request.param == "zygote" else "0")
    return str(request.param)


async def _window() -> tuple[BrowserWindow, list[Any]]:
    win = BrowserWindow(web_preferences={"preload": PRELOAD})
    await win.load_file(PAGE)
    gone: list[Any] = []
    win.web_contents.on("render-process-gone", lambda event, details: gone.append(details))
    return win, gone


async def test_a_renderer_is_a_sandboxed_child_of_the_zygote(compositor: str, path: str) -> None:
    async with launch(BLANK, compositor=compositor):
        win, _gone = await _window()
        pid = win.web_contents.get_os_process_id()
        assert await win.web_contents.invoke("pid") == pid
        zygote = _zygote.current_pid()
        if path == "zygote":
            assert zygote is not None and _ppid(pid) == zygote
            assert _ppid(zygote) == os.getpid()
        else:
            assert zygote is None and _ppid(pid) == os.getpid()
        report = win.web_contents.get_sandbox_report()
        assert report["sandboxed"] and not report["missing"], report
    assert _zygote.current_pid() is None  # ended with the app run (the leak check also sees it)


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


async def test_zygote_death_is_survived(compositor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_zygote.ENV, "1")
    async with launch(BLANK, compositor=compositor) as harness:
        _win, gone = await _window()
        first = _zygote.current_pid()
        assert first is not None
        os.kill(first, signal.SIGKILL)
        # Its renderer dies of its parent-death signal and is reported killed.
        await harness.wait_for(lambda: gone, what="render-process-gone")
        assert gone[0].reason == "killed"
        # The next renderer comes from a new zygote.
        other, _ = await _window()
        second = _zygote.current_pid()
        assert second is not None and second != first
        assert _ppid(other.web_contents.get_os_process_id()) == second
        assert other.web_contents.get_sandbox_report()["sandboxed"]
