"""A test app whose renderers can be made to act compromised.

Its preload gets at the renderer's raw connection and, on main's request,
writes commits, console messages and stderr of the test's choosing, as a
renderer with full code execution could (see tests/security/_compromised.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent


def open_window(**prefs: Any) -> BrowserWindow:
    prefs.setdefault("preload", HERE / "preload.py")
    window = BrowserWindow(web_preferences=prefs)
    window.load_file(HERE / "index.html")
    return window


@hookimpl
def tkelectron_ready(app: Any) -> None:
    ipc_main.handle("echo", lambda event, value: value)
