"""A test app for message ports between main and a renderer."""

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
given: list = []


@hookimpl
def tkelectron_ready(app):
    given.clear()
    ipc_main.on("give-port", lambda event, message: given.append((message, event.ports)))
    window = BrowserWindow(web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
