"""A test app for load and ordering: windows that flood main, and main that floods them.

Main records, per window, the order in which each kind of listener saw the
numbers a renderer sent: a sync listener, an async one (which awaits a
different number of times per message, so a task per message would finish
out of order) and the window's own scope's async listener, whose calls must
come before ``ipc_main``'s for each message (Electron's order).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import trio

from tkelectron import BrowserWindow, MessageChannelMain, MessagePortMain, hookimpl, ipc_main

HERE = Path(__file__).parent

#: (listener kind, window id) -> the numbers in the order the listener saw them.
heard: dict[tuple[str, int], list[Any]] = defaultdict(list)
#: Set by the test: how many numbers each tracked kind of listener will see per window.
expected: dict[str, Any] = {"count": 0, "kinds": (), "windows": 0}
#: Set once every tracked listener of every window saw ``expected["count"]`` numbers.
all_heard: list[trio.Event] = []


def _note(kind: str, contents_id: int, value: Any) -> None:
    seen = heard[(kind, contents_id)]
    seen.append(value)
    if len(seen) == expected["count"] and kind in expected["kinds"] and all_heard:
        full = sum(1 for (k, _), values in heard.items() if k in expected["kinds"] and len(values) >= expected["count"])
        if full == expected["windows"] * len(expected["kinds"]):
            all_heard[0].set()


def reset(count: int, windows: int, kinds: tuple[str, ...]) -> trio.Event:
    """Start a round: the event is set once each of ``kinds`` saw ``count`` numbers per window."""
    heard.clear()
    expected.update(count=count, kinds=kinds, windows=windows)
    all_heard[:] = [trio.Event()]
    return all_heard[0]


async def _jitter(n: int) -> None:
    for _ in range(n % 3):
        await trio.lowlevel.checkpoint()


def on_sync(event: Any, n: int) -> None:
    _note("sync", event.sender.id, n)


async def on_async(event: Any, n: int) -> None:
    await _jitter(n)
    _note("async", event.sender.id, n)
    _note("both", event.sender.id, ("main", n))


def open_window() -> BrowserWindow:
    window = BrowserWindow(width=200, height=120, web_preferences={"preload": HERE / "preload.py"})

    async def scoped(event: Any, n: int) -> None:
        await _jitter(n + 1)
        _note("both", event.sender.id, ("scope", n))

    window.web_contents.ipc.on("async", scoped)
    window.load_file(HERE / "index.html")
    return window


def connect_port(window: BrowserWindow) -> MessagePortMain:
    """A channel to ``window``'s renderer; main's end records the order of what arrives."""
    mine, theirs = MessageChannelMain()
    contents_id = window.web_contents.id

    async def on_message(event: Any) -> None:
        await _jitter(event.data)
        _note("port", contents_id, event.data)

    mine.on("message", on_message)
    mine.start()
    window.web_contents.post_message("port", None, transfer=[theirs])
    return mine


#: Main's "hang" handlers running now, and events the kill soak awaits.
hanging = {"running": 0, "started": trio.Event(), "ended": trio.Event()}


async def hang(event: Any) -> None:
    """A handler that never answers: only its renderer's death can end it (cancelled)."""
    hanging["running"] += 1
    hanging["started"].set()
    try:
        await trio.sleep_forever()
    finally:
        hanging["running"] -= 1
        hanging["ended"].set()


def reset_hang() -> None:
    hanging.update(started=trio.Event(), ended=trio.Event())


@hookimpl
def tkelectron_ready(app: Any) -> None:
    ipc_main.handle("echo", lambda event, n: n)
    ipc_main.handle("hang", hang)
    app.on("window-all-closed", lambda event: None)  # windows come and go: stay running
    ipc_main.on("sync", on_sync)
    ipc_main.on("async", on_async)
