"""A test app for the harness's own tests: one of everything a test drives."""

from __future__ import annotations

from pathlib import Path

import trio

from tkelectron import BrowserWindow, Menu, dialog, hookimpl, ipc_main

HERE = Path(__file__).parent

#: What main saw, for assertions.
seen: dict[str, object] = {}


def greet(event, name: str) -> str:
    return f"Hello, {name}!"


async def slow_upper(event, text: str) -> str:
    await trio.sleep(0.15)  # long enough that an unsettled read would see the old text
    return text.upper()


def open_second(event) -> None:
    second = BrowserWindow(width=300, height=200, web_preferences={"preload": HERE / "preload.py"})
    second.load_file(HERE / "second.html")


async def ask(event) -> str:
    window = BrowserWindow.from_web_contents(event.sender)
    result = await dialog.show_message_box(window, message="Keep going?", buttons=["Yes", "No"])
    return ["Yes", "No"][result.response]


def say_hello(item, window, event) -> None:
    seen["menu_window"] = window.id if window is not None else None
    target = window or BrowserWindow.get_all_windows()[0]
    target.web_contents.send("said", f"hello from {item.label}")


@hookimpl
def tkelectron_ready(app) -> None:
    ipc_main.handle("greet", greet)
    ipc_main.handle("slow-upper", slow_upper)
    ipc_main.handle("ask", ask)
    ipc_main.on("open-second", open_second)
    Menu.set_application_menu(
        Menu.build_from_template([{"label": "Tools", "submenu": [{"label": "Say hello", "click": say_hello}]}])
    )
    window = BrowserWindow(width=480, height=360, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
