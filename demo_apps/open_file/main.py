"""Pattern 2 (renderer to main, two-way): the page asks main to pick a file.

Electron: ipcRenderer.invoke('dialog:openFile') / ipcMain.handle(...) with
dialog.showOpenDialog. The renderer only ever sees the chosen path: opening
files is main's job (the renderer is sandboxed and could not).
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, dialog, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Open a file"
PATTERN = "2: renderer to main, two-way (invoke / handle)"
DESCRIPTION = "Press Open a File: main shows the native open dialog and returns the chosen path."


async def handle_file_open(event) -> str | None:
    window = BrowserWindow.from_web_contents(event.sender)
    result = await dialog.show_open_dialog(window, title="Open a file")
    if result.canceled or not result.file_paths:
        return None
    return result.file_paths[0]


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.handle("dialog:open-file", handle_file_open)
    window = BrowserWindow(width=640, height=360, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
