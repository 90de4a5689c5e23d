"""Async listeners start in arrival order, per sender and channel, with real renderers.

Every async listener here awaits a different number of times per message
(n % 3 checkpoints), so a task per message — what the framework did before —
finishes them out of order (about half of them, measured); the framework now
runs one (sender, channel)'s listener calls one after another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from tkelectron.main._listeners import main_listeners
from tkelectron.testing import launch

APP = Path(__file__).resolve().parent / "apps" / "load_probe"
COUNT = 2000


@pytest.mark.tkelectron
async def test_one_windows_messages_reach_every_listener_in_arrival_order(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        probe.open_window()
        win = await app.first_window()
        wc = win.web_contents
        port = probe.connect_port(win.window)
        try:
            # renderer -> main: ipc_main (sync and async), the window's scope, main's port end
            done = probe.reset(COUNT, 1, ("sync", "async", "port"))
            assert await wc.invoke("flood", COUNT) == COUNT
            assert await wc.invoke("flood-port", COUNT) == COUNT
            with trio.fail_after(60):
                await done.wait()
            numbers = list(range(COUNT))
            assert probe.heard[("sync", wc.id)] == numbers
            assert probe.heard[("async", wc.id)] == numbers
            assert probe.heard[("port", wc.id)] == numbers
            # The window's scope first, then ipc_main, for every message (Electron's order).
            assert probe.heard[("both", wc.id)] == [(who, n) for n in numbers for who in ("scope", "main")]
            # main -> renderer: ipc_renderer.on (sync and async) and the renderer's port end
            for n in range(COUNT):
                wc.send("from-main", n)
                port.post_message(n)
            report = await wc.invoke("report", COUNT, ["sync", "async", "port"])
            assert report == {"sync": True, "async": True, "port": True}
        finally:
            port.close()
        assert main_listeners.workers == 0  # every worker ended with its queue


@pytest.mark.tkelectron("headless")
async def test_a_flood_of_async_messages_is_one_task_not_thousands(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        probe.open_window()
        win = await app.first_window()
        wc = win.web_contents
        most_tasks = 0
        nursery = app.app.nursery
        done = probe.reset(COUNT, 1, ("async",))

        async def watch() -> None:  # samples the app's tasks while the flood is handled
            nonlocal most_tasks
            while not done.is_set():
                most_tasks = max(most_tasks, len(nursery.child_tasks))
                await trio.lowlevel.checkpoint()

        before = len(nursery.child_tasks)
        async with trio.open_nursery() as watching:
            watching.start_soon(watch)
            assert await wc.invoke("flood", COUNT) == COUNT
            with trio.fail_after(60):
                await done.wait()
        assert probe.heard[("async", wc.id)] == list(range(COUNT))
        # ipc_main's and the window scope's listeners share one worker for this
        # (window, channel): the app's tasks grow by a handful (a task per
        # message made ~128 at a time: two per message of a 64-message read slice).
        assert most_tasks - before <= 10, (before, most_tasks)
