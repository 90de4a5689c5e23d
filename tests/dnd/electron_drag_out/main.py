"""Electron's "Native File Drag & Drop" example (docs/tutorial/native-file-drag-drop), ported line for line.

The example writes its two files and downloads its icon at start; here they
ship with the app (no network), the rest is the example's.
"""

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
icon_name = HERE / "iconForDragAndDrop.png"


def create_window() -> None:
    win = BrowserWindow(width=800, height=600, web_preferences={"preload": HERE / "preload.py"})
    win.load_file(HERE / "index.html")


def on_drag_start(event, file_path):
    event.sender.start_drag({"file": str(HERE / file_path), "icon": str(icon_name)})


@hookimpl
def tkelectron_ready(app):
    ipc_main.on("ondragstart", on_drag_start)
    create_window()
