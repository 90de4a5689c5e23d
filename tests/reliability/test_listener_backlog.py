"""Async listeners that fall behind are bounded: a kill for IPC, backpressure for ports.

Listener calls for one (sender, channel) run one after another, so a renderer
that sends faster than main's async listener finishes builds a queue. For a
renderer's IPC messages the queue is capped by ``listener_backlog`` (past it
the renderer goes, as an ``ipc-violation``); a message port instead stops
reading its socket while ``PORT_BACKLOG`` messages wait, so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron import BrowserWindow, ipc_main
from tkelectron.common._errors import RendererGoneError
from tkelectron.common._ports import PORT_BACKLOG
from tkelectron.main._listeners import main_listeners
from tkelectron.testing import launch

APP = Path(__file__).resolve().parent / "apps" / "load_probe"
BACKLOG = 50


@pytest.mark.tkelectron
async def test_a_renderer_past_the_listener_backlog_goes_and_the_bystander_answers(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        bystander = probe.open_window()
        release = trio.Event()
        started = 0

        async def slow(event: Any, n: int) -> None:  # the app's listener, far slower than the sender
            nonlocal started
            started += 1
            await release.wait()

        ipc_main.on("async", slow)
        flooder = BrowserWindow(
            width=200, height=120,
            web_preferences={"preload": APP / "preload.py", "listener_backlog": BACKLOG},
        )
        gone = trio.Event()
        details: list[Any] = []
        flooder.web_contents.on("render-process-gone", lambda event, d: (details.append(d), gone.set()))
        await flooder.load_file(APP / "index.html")
        try:
            await flooder.web_contents.invoke("flood", 10 * BACKLOG)
        except RendererGoneError:
            pass  # main may kill it before its answer arrives
        with trio.fail_after(30):
            await gone.wait()
        assert [d.reason for d in details] == ["ipc-violation"]
        # The queue never grew past the bound (it counts listener calls: two a
        # message here, the probe's own listener and this one); ``slow`` started once.
        assert started == 1
        # A message is refused once BACKLOG calls wait; the last one let in adds its two.
        assert main_listeners.pending(("ipc", flooder.web_contents, "async")) <= BACKLOG + 1
        # Another window is not held up by it.
        assert await bystander.web_contents.invoke("flood", 3) == 3
        release.set()
        with trio.fail_after(30):  # the calls that were queued still run: they are the app's work
            for contents in (flooder.web_contents, bystander.web_contents):
                await main_listeners.wait_for_backlog(("ipc", contents, "async"), 0)
        assert main_listeners.workers == 0
        ipc_main.off("async", slow)


@pytest.mark.tkelectron
async def test_a_port_stops_reading_while_its_listeners_are_behind_and_loses_nothing(compositor: str) -> None:
    count = 3 * PORT_BACKLOG
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        probe.open_window()
        win = await app.first_window()
        wc = win.web_contents
        port = probe.connect_port(win.window)
        key = ("port", port)
        release = trio.Event()
        full = trio.Event()
        most = 0

        def measure(event: Any) -> None:  # sync: runs as each message is read
            nonlocal most
            most = max(most, main_listeners.pending(key))
            if most >= PORT_BACKLOG:
                full.set()

        async def slow(event: Any) -> None:
            await release.wait()

        port.on("message", measure)
        port.on("message", slow)
        try:
            done = probe.reset(count, 1, ("port",))
            assert await wc.invoke("flood-port", count) == count
            with trio.fail_after(30):
                await full.wait()
            assert most <= PORT_BACKLOG + 1  # the reader stopped instead of queueing all of them
            release.set()
            with trio.fail_after(60):
                await done.wait()
            assert probe.heard[("port", wc.id)] == list(range(count))  # nothing lost, order kept
            assert most <= PORT_BACKLOG + 1
        finally:
            port.close()
