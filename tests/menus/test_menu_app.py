"""Menus inside a running app (headless compositor): the application menu,
popups in the focused window, and roles acting on windows and the app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import trio
import trio.lowlevel

from tkelectron.main._app import app
from tkelectron.main._browser_window import BrowserWindow
from tkelectron.main._menu import Menu, MenuItem


def run_app(body: Callable[[], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with app.running(compositor="headless", entry_points=False):
            return await body()

    return trio.run(main)


def test_application_menu_and_popup_reach_the_compositor() -> None:
    async def body() -> Any:
        menu = Menu.build_from_template([{"role": "fileMenu"}])
        Menu.set_application_menu(menu)
        window = BrowserWindow(width=200, height=100)
        window.focus()
        context = Menu.build_from_template([{"label": "Inspect"}])
        context.popup()  # the focused window, at the pointer
        context.popup(window, 5, 7)
        result = (app.compositor.application_menu is menu, window._surface.popups)
        window.destroy()
        return result, context

    (is_app_menu, popups), context = run_app(body)
    assert is_app_menu
    assert popups == [(context, None, None), (context, 5, 7)]


def test_window_roles_act_on_the_focused_window() -> None:
    async def body() -> tuple[bool, bool, bool]:
        app.on("window-all-closed", lambda *a: None)  # keep the app running
        window = BrowserWindow(width=200, height=100)
        window.focus()
        MenuItem(role="minimize").click()
        minimized = window._surface.minimized
        MenuItem(role="close").click()
        return minimized, window.is_destroyed(), BrowserWindow.get_focused_window() is None

    assert run_app(body) == (True, True, True)


def test_quit_role_quits_the_app() -> None:
    quit_events: list[str] = []
    quitting = trio.Event()

    def will_quit(*args: Any) -> None:
        quit_events.append("will-quit")
        quitting.set()

    async def body() -> None:
        app.on("will-quit", will_quit)
        MenuItem(role="quit").click()
        with trio.fail_after(5):
            await quitting.wait()

    run_app(body)
    assert quit_events == ["will-quit"]
