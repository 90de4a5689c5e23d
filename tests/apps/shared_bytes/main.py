"""A test app for large payloads in sealed memfds (common/_shared_bytes.py).

Main echoes what a renderer invokes it with and keeps what it is sent; the
tests open the windows themselves (sandbox on or off, ``max_frame``...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: (channel, args) of every one-way message main heard.
heard: list[tuple[str, tuple[Any, ...]]] = []


def open_window(**prefs: Any) -> BrowserWindow:
    prefs.setdefault("preload", HERE / "preload.py")
    window = BrowserWindow(width=320, height=200, web_preferences=prefs)
    window.load_file(HERE / "index.html")
    return window


def _note(event: Any, *args: Any) -> None:
    heard.append((event.channel, args))


@hookimpl
def tkelectron_ready(app: Any) -> None:
    heard.clear()
    ipc_main.handle("sb:echo", lambda event, value: value)
    ipc_main.handle("sb:echo-all", lambda event, *values: list(values))
    ipc_main.on("sb:note", _note)
