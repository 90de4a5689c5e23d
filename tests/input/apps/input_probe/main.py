"""A page that records its input events; main records context-menu and before-input-event.

``blocked``: before-input-event keys main prevents (Control+K anywhere, and "q").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, Menu, hookimpl

HERE = Path(__file__).parent
FORGER = HERE.parents[2] / "system" / "_apps" / "page_forger" / "preload.py"

menus: list[Any] = []
inputs: list[Any] = []
popped: list[Any] = []
context_menu = Menu.build_from_template([{"label": "Copy", "role": "copy"}, {"label": "Inspect", "id": "inspect"}])


def blocked(inp: Any) -> bool:
    return bool((inp.control and inp.key.lower() == "k") or inp.key == "q")


def on_before_input(event: Any, inp: Any) -> None:
    inputs.append(inp)
    if blocked(inp):
        event.prevent_default()


def on_context_menu(event: Any, params: Any) -> None:
    menus.append(params)
    context_menu.popup({"window": BrowserWindow.from_web_contents(event.sender), "callback": lambda: popped.append(1)})


@hookimpl
def tkelectron_ready(app: Any) -> None:
    window = BrowserWindow(width=500, height=460, web_preferences={"preload": str(FORGER)})
    window.web_contents.on("before-input-event", on_before_input)
    window.web_contents.on("context-menu", on_context_menu)
    window.load_file(HERE / "index.html")
