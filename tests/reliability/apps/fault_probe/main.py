"""A test app for the reliability suite: windows whose preload breaks the
protocol, stalls or floods on main's request (see preload.py).

Tests load this module (``load_app_module``), set ``autostart`` and open
their own windows with :func:`open_probe`, reading what main's handlers saw
from the module's lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: Open one probe window when the app is ready.
autostart = False
#: How many "flood" messages main's listener handled, per window id.
flooded: dict[int, int] = {}
#: Channels of main's async handlers that were cancelled (their renderer went).
cancelled: list[str] = []
#: Set by a test to release main's "hold" handlers.
release = trio.Event()


def open_probe(**prefs: Any) -> BrowserWindow:
    """Open a window with the fault preload (``prefs`` are web preferences)."""
    prefs.setdefault("preload", HERE / "preload.py")
    window = BrowserWindow(web_preferences=prefs)
    window.load_file(HERE / "index.html")
    return window


def _flood(event: Any, n: int) -> None:
    # A sync listener with a little fixed work, as a chatty page's listener has.
    sum(range(200))
    wid = event.sender._window.id
    flooded[wid] = flooded.get(wid, 0) + 1


async def _hold(event: Any, *args: Any) -> Any:
    """An invoke that waits until the test releases it (or its renderer goes)."""
    try:
        await release.wait()
    except trio.Cancelled:
        cancelled.append(event.channel)
        raise
    return list(args)


async def _hold_sync(event: Any) -> None:
    try:
        await release.wait()
    except trio.Cancelled:
        cancelled.append(event.channel)
        raise
    event.return_value = "released"


class Point(msgspec.Struct):
    x: int
    y: int


def _kinds(event: Any, *args: Any) -> list[str]:
    """What main received, by type: data (dict) or an object?"""
    return [f"{type(a).__module__}.{type(a).__qualname__}" for a in args]


def _typed(event: Any, point: Point) -> str:
    # A typed handler: the dict that crossed is converted (and validated) here.
    assert type(point) is Point
    return f"Point({point.x}, {point.y})"


@hookimpl
def tkelectron_ready(app: Any) -> None:
    global release
    flooded.clear()
    cancelled.clear()
    release = trio.Event()
    ipc_main.handle("echo", lambda event, *args: list(args))
    ipc_main.handle("kinds", _kinds)
    ipc_main.handle("typed", _typed)
    ipc_main.handle("hold", _hold)
    ipc_main.on("hold-sync", _hold_sync)
    ipc_main.on("flood", _flood)
    ipc_main.on("note", lambda event, *args: None)
    if autostart:
        open_probe()
