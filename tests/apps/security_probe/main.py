"""A test app for the security suite: a sandboxed window whose preload runs
escape attempts, tampered IPC and protocol abuse on main's request.

Tests load this module themselves (``load_app_module``) and pass it to
``launch``, so they can read what main heard and set ``autostart`` first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: Open the probe window when the app is ready (tests that open their own set it False).
autostart = True
#: (channel, args) of every one-way message main heard, for assertions.
heard: list[tuple[str, tuple[Any, ...]]] = []
#: Channels whose main-side handler actually ran.
handled: list[str] = []


def open_probe(page: str = "index.html", **prefs: Any) -> BrowserWindow:
    """Open a window on ``page`` with the probe preload (``prefs`` are web preferences)."""
    prefs.setdefault("preload", HERE / "preload.py")
    window = BrowserWindow(web_preferences=prefs)
    window.load_file(HERE / page)
    return window


def _echo(channel: str) -> Any:
    def handler(event: Any, *args: Any) -> Any:
        handled.append(channel)
        return list(args)

    return handler


def _note(event: Any, *args: Any) -> None:
    heard.append((event.channel, args))


@hookimpl
def tkelectron_validate_ipc(event: Any, channel: str) -> bool | None:
    """The app's central sender check (Electron checklist item 17)."""
    if channel == "ok:vetoed":
        return False
    return None


@hookimpl
def tkelectron_ready(app: Any) -> None:
    heard.clear()
    handled.clear()
    for channel in ("ok:echo", "ok:vetoed", "denied:echo"):
        ipc_main.handle(channel, _echo(channel))
    for channel in ("ok:note", "ok:vetoed-note", "denied:note", "ok:big"):
        ipc_main.on(channel, _note)
    if autostart:
        open_probe()
