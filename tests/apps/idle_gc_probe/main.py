"""A page whose list main refills, for the renderer's idle garbage collection."""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=400, height=300, web_preferences={"preload": str(HERE / "preload.py")})
    window.load_file(HERE / "index.html")
