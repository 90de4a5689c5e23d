"""A tampered renderer for the page's framework channels: its preload writes raw invokes."""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=300, height=200, web_preferences={"preload": str(HERE / "preload.py")})
    window.load_file(HERE.parent / "page_system" / "index.html")
