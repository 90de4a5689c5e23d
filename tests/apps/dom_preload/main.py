"""Electron's quick-start preload, ported: the preload fills the page's version spans on DOMContentLoaded."""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=500, height=400, web_preferences={"preload": str(HERE / "preload.py")})
    window.load_file(HERE / "index.html")
