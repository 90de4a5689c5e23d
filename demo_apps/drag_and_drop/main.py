"""Drag and drop: files in from another application, in-page reordering, a file dragged out.

Electron: a page's 'dragover'/'drop' listeners with event.dataTransfer.files
and webUtils.getPathForFile(file); draggable elements with
dataTransfer.setData/getData; and the "native file drag & drop" example,
where the page's 'dragstart' asks main for webContents.startDrag({file, icon}).
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
TITLE = "Drag and drop"
PATTERN = "drag and drop: files in, in-page reordering, a file out (start_drag)"
DESCRIPTION = ("Drop files from another application on the page (main tells it each file's path); reorder a list "
               "by dragging its items; drag notes.txt out of the window into another application.")

#: The files the page may drag out, by name: main decides what leaves, the page only names one.
OUTGOING = {"notes.txt": HERE / "files" / "notes.txt"}
#: What main was told, for tests: the dropped files' paths, and each drag out's result.
dropped: list[str] = []
drag_results: list[str] = []


def on_dropped(event, files: list) -> list[dict]:
    """The page sends the File objects of a drop; main answers with what it knows of each."""
    answer = []
    for file in files[:100]:
        path = event.sender.get_path_for_file(file)  # "" unless the user dropped it on this very page
        if path:
            dropped.append(path)
        answer.append({"name": file["name"] if isinstance(file, dict) else getattr(file, "name", "?"),
                       "path": path or "(not a file dropped here)"})
    return answer


def on_drag_out(event, name: str) -> None:
    path = OUTGOING.get(name)
    if path is not None:
        event.sender.start_drag({"file": str(path), "icon": str(HERE / "icon.png")})


def on_drag_end(window: BrowserWindow, action: str) -> None:
    drag_results.append(action)
    if not window.is_destroyed():
        window.web_contents.send("dnd:drag-end", action)


@hookimpl
def tkelectron_ready(app) -> None:
    dropped.clear()
    drag_results.clear()
    ipc_main.handle("dnd:dropped", on_dropped)
    ipc_main.on("dnd:drag-out", on_drag_out)
    window = BrowserWindow(width=640, height=520, title="Drag and drop",
                           web_preferences={"preload": HERE / "preload.py"})
    window.web_contents.on("drag-end", lambda action: on_drag_end(window, action))
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    import sys

    from tkelectron import app

    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
