"""The demo launcher, driven like a user: the list, View source, Run.

Run starts the demo as a real subprocess of the launcher's main process (on
the headless compositor here, so no second window lands on the test display);
the test finds it in the launcher's ``running`` dict, ends it, and checks the
status the page shows — and that no process is left behind.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.lowlevel

from tkelectron.demos.catalog import DEMOS_DIR, discover
from tkelectron.testing import AppHarness, launch

LAUNCHER = DEMOS_DIR / "launcher"


def launcher_module(app: AppHarness) -> Any:
    """The launcher's main.py as the harness loaded it (its ``running`` dict)."""
    return next(p for p in app.app.plugin_manager.get_plugins() if getattr(p, "__file__", None) == str(LAUNCHER / "main.py"))


def alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.fixture
def headless_demos(monkeypatch: pytest.MonkeyPatch) -> None:
    # Demos the launcher starts inherit this: they run without a display.
    monkeypatch.setenv("TKELECTRON_COMPOSITOR", "headless")


@pytest.mark.tkelectron
async def test_the_table_lists_every_demo_with_title_and_pattern(compositor: str) -> None:
    demos = discover()
    assert demos, "the catalog found no demos"
    async with launch(LAUNCHER, compositor=compositor) as app:
        win = await app.first_window()
        assert await win.title() == "tkelectron demos"
        await win.wait_for_selector(f"#row-{demos[-1].name}")
        assert len(win.window._surface.query("#demos tr")) == len(demos) + 1  # + the header row
        for demo in demos:
            row = await win.text_content(f"#row-{demo.name}")
            assert demo.title in row and demo.pattern in row, row
            assert await win.text_content(f"#status-{demo.name}") == "not running"
            assert await win.is_visible(f"#run-{demo.name}")


@pytest.mark.tkelectron
async def test_view_source_shows_the_demos_main_py(compositor: str) -> None:
    demo = discover()[-1]
    async with launch(LAUNCHER, compositor=compositor) as app:
        win = await app.first_window()
        await win.click(f"#source-{demo.name}")
        assert await win.text_content("#source-title") == f"Source of {demo.name}"
        source = await win.text_content("#source")
        main_py = (Path(demo.folder) / "main.py").read_text()
        assert "# --- main.py ---" in source
        assert main_py.strip() in source


@pytest.mark.tkelectron
async def test_run_starts_the_demo_process_and_shows_how_it_ended(compositor: str, headless_demos: None) -> None:
    demo = discover()[0]
    async with launch(LAUNCHER, compositor=compositor) as app:
        win = await app.first_window()
        running = launcher_module(app).running
        await win.click(f"#run-{demo.name}")
        await win.wait_for_text(f"#status-{demo.name}", "running")
        process = running[demo.name]
        assert process.returncode is None and alive(process.pid)
        assert demo.folder in " ".join(map(str, process.args))

        os.kill(process.pid, signal.SIGKILL)
        await win.wait_for_text(f"#status-{demo.name}", f"killed by signal {signal.SIGKILL.value}")
        assert demo.name not in running
        assert process.returncode == -signal.SIGKILL
        assert not alive(process.pid)


async def wait_dead(pid: int, timeout: float = 10.0) -> None:
    """Return once ``pid`` has exited: its pidfd turns readable then (an event, not a poll)."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # exited and reaped already
    try:
        with trio.fail_after(timeout):
            await trio.lowlevel.wait_readable(pidfd)
    finally:
        os.close(pidfd)


@pytest.mark.tkelectron("headless")
async def test_quitting_the_launcher_stops_the_demos_it_started(compositor: str, headless_demos: None) -> None:
    demo = discover()[0]
    async with launch(LAUNCHER, compositor=compositor) as app:
        win = await app.first_window()
        running = launcher_module(app).running
        await win.click(f"#run-{demo.name}")
        await win.wait_for_text(f"#status-{demo.name}", "running")
        pid = running[demo.name].pid
        await app.evaluate(lambda main_app: main_app.quit())
        await wait_dead(pid)  # the demo stops when the launcher quits
        assert not alive(pid)
        assert app.windows == []


@pytest.mark.tkelectron("headless")
async def test_a_demo_still_running_when_the_launcher_ends_is_killed(compositor: str, headless_demos: None) -> None:
    demo = discover()[0]
    async with launch(LAUNCHER, compositor=compositor) as app:
        win = await app.first_window()
        await win.click(f"#run-{demo.name}")
        await win.wait_for_text(f"#status-{demo.name}", "running")
        pid = launcher_module(app).running[demo.name].pid
    await wait_dead(pid)  # a TooSlowError here: the demo outlived the launcher
    assert not alive(pid)
