"""A test app for the web-contents features: one window on index.html with
the View menu (zoom roles), a Find menu, and a page that opens windows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, Menu, hookimpl

HERE = Path(__file__).parent

#: What main heard: found-in-page results, created windows, handler calls.
found: list[Any] = []
created: list[tuple[Any, dict[str, Any]]] = []
asked: list[dict[str, Any]] = []


def find_next(item: Any, window: Any, event: Any) -> None:
    window.web_contents.find_in_page("apple")


@hookimpl
def tkelectron_ready(app: Any) -> None:
    Menu.set_application_menu(Menu.build_from_template([
        {"role": "viewMenu"},
        {"label": "Find", "submenu": [{"label": "Find Apple", "accelerator": "CmdOrCtrl+G", "click": find_next}]},
    ]))
    win = BrowserWindow(width=640, height=420, web_preferences={"preload": HERE / "preload.py"})
    win.web_contents.on("found-in-page", lambda event, result: found.append(result))
    win.web_contents.on("did-create-window", lambda child, details: created.append((child, details)))
    win.load_file(HERE / "index.html")
