"""Pattern 1 (renderer to main, one-way): the page sets the window's title.

Electron: ipcRenderer.send('set-title', title) / ipcMain.on('set-title', ...).
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Set title"
PATTERN = "1: renderer to main (send / on)"
DESCRIPTION = "Type a title and press Set: the page sends it to main, which sets the window's title."


def handle_set_title(event, title: str) -> None:
    window = BrowserWindow.from_web_contents(event.sender)
    if window is not None:
        window.set_title(title)


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.on("set-title", handle_set_title)
    window = BrowserWindow(width=640, height=360, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
