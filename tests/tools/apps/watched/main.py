"""A small app for the --watch tests: it says when it starts and when its page loads."""

from __future__ import annotations

import os
from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent
VERSION = "1"


def on_loaded(window: BrowserWindow) -> None:
    print(f"loaded {window.web_contents.get_title()} pid={os.getpid()}", flush=True)


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.handle("version", lambda event: VERSION)
    window = BrowserWindow(width=320, height=200, web_preferences={"preload": HERE / "preload.py"})
    window.web_contents.on("did-finish-load", lambda _event: on_loaded(window))
    window.load_file(HERE / "index.html")
    print(f"ready version={VERSION} pid={os.getpid()}", flush=True)
