"""An Electron-style drop: the preload asks web_utils.get_path_for_file and sends main the path."""

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
#: What the preload sent main: each drop's paths, the answer for a made-up File, and what opening each path did.
received: list[tuple[list[str], str, list[str]]] = []


def on_dropped_paths(event, paths, made_up, opened):
    received.append((paths, made_up, opened))


@hookimpl
def tkelectron_ready(app):
    ipc_main.on("dropped-paths", on_dropped_paths)
    win = BrowserWindow(width=500, height=300, web_preferences={"preload": HERE / "preload.py"})
    win.load_file(HERE / "index.html")
