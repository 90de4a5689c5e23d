"""Plain load: many windows, each flooding main with invokes and sends while main
floods them back; nothing is lost, every listener sees every window's messages
in order, and nothing is left running.

The counts are bounded for CI; ``TKELECTRON_LOAD_COUNT=10000`` runs the full
10 windows × 10,000 of issue 9 (see the closing figures in docs/DESIGN.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import trio

from tkelectron.main._listeners import main_listeners
from tkelectron.testing import launch

APP = Path(__file__).resolve().parent / "apps" / "load_probe"
WINDOWS = 10
COUNT = int(os.environ.get("TKELECTRON_LOAD_COUNT", "1000"))
CONCURRENT_INVOKES = 20  # per window


@pytest.mark.tkelectron
async def test_ten_windows_of_invokes_and_sends_lose_nothing_and_keep_order(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        for _ in range(WINDOWS):
            probe.open_window()
        await app.wait_for(lambda: len(app.windows) == WINDOWS, what="every window")
        for win in app.windows:
            await win.wait_for_load()
        tasks_before = len(app.app.nursery.child_tasks)
        done = probe.reset(COUNT, WINDOWS, ("sync", "async"))
        reports: dict[int, object] = {}
        answered: dict[int, int] = {}

        async def drive(win: object) -> None:
            wc = win.web_contents  # type: ignore[attr-defined]
            async with trio.open_nursery() as nursery:
                async def invokes() -> None:
                    answered[wc.id] = await wc.invoke("invokes", COUNT, CONCURRENT_INVOKES)

                async def sends() -> None:
                    assert await wc.invoke("flood", COUNT) == COUNT

                nursery.start_soon(invokes)
                nursery.start_soon(sends)
                for n in range(COUNT):  # main -> renderer, while the renderer floods main
                    wc.send("from-main", n)
                    if n % 500 == 0:
                        await trio.lowlevel.checkpoint()
            reports[wc.id] = await wc.invoke("report", COUNT, ["sync", "async"])

        with trio.fail_after(300):
            async with trio.open_nursery() as nursery:
                for win in app.windows:
                    nursery.start_soon(drive, win)
            await done.wait()
        ids = [win.web_contents.id for win in app.windows]
        assert answered == dict.fromkeys(ids, COUNT)  # every invoke answered, with its own value
        assert reports == {i: {"sync": True, "async": True} for i in ids}  # main -> renderer: all, in order
        numbers = list(range(COUNT))
        for i in ids:  # renderer -> main: all, in order, for the sync and the async listener
            assert probe.heard[("sync", i)] == numbers
            assert probe.heard[("async", i)] == numbers
        assert main_listeners.workers == 0
        assert len(app.app.nursery.child_tasks) <= tasks_before  # nothing the load started is still running
