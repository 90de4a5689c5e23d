"""A page without listeners; main's context-menu listener pops up a menu (Electron's usual idiom)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, Menu, hookimpl

HERE = Path(__file__).parent

menus: list[Any] = []
clicked: list[str] = []
closed: list[int] = []
menu = Menu.build_from_template([
    {"label": "First", "click": lambda *_: clicked.append("first")},
    {"label": "Second", "click": lambda *_: clicked.append("second")},
])


def on_context_menu(event: Any, params: Any) -> None:
    menus.append(params)
    menu.popup({"callback": lambda: closed.append(1)})


@hookimpl
def tkelectron_ready(app: Any) -> None:
    window = BrowserWindow(width=500, height=300)
    window.web_contents.on("context-menu", on_context_menu)
    window.load_file(HERE / "index.html")
