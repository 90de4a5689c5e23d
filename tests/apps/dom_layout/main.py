"""A long page that measures and scrolls its elements (get_bounding_client_rect, scroll_into_view);
its preload can forge framework invokes for the violation tests."""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent
#: A tampered renderer's preload (it forges framework-channel invokes), shared with the notification tests.
FORGER = HERE.parent.parent / "system" / "_apps" / "page_forger" / "preload.py"


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=400, height=300, web_preferences={"preload": str(FORGER)})
    window.load_file(HERE / "index.html")
