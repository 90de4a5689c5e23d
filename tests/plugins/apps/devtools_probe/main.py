"""A page to inspect: it logs, changes its DOM and talks to main on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent


def echo(_event: Any, text: str) -> str:
    if text == "fail":
        raise ValueError("asked to fail")
    return text.upper()


@hookimpl
def tkelectron_ready(app: Any) -> None:
    ipc_main.on("probe:ping", lambda _event, n: None)
    ipc_main.handle("probe:echo", echo)
    window = BrowserWindow(width=640, height=360, title="Probe", web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
