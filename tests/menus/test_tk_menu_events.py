"""``menu-will-show`` / ``menu-will-close`` from real Tk menus under Xvfb:
a menu bar's drop-down opened with the mouse and used with the keyboard, a
cascade inside it, and a popup taken down with Escape."""

from __future__ import annotations

import subprocess
import tkinter
from collections.abc import Callable
from typing import Any

from tkelectron.main._menu import Menu
from tkelectron.main.compositor._tk_menus import attach_menu, menubar_of, popup_menu, popup_of

Pump = Callable[..., None]


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=10)


def record(menu: Menu, name: str, events: list[str]) -> None:
    def shown(event: Any) -> None:
        events.append(f"show {name}")

    def closed(event: Any) -> None:
        events.append(f"close {name}")

    menu.on("menu-will-show", shown)
    menu.on("menu-will-close", closed)


def show(root: tkinter.Tk, pump: Pump) -> None:
    root.deiconify()
    pump(root, root.winfo_viewable)
    root.focus_force()
    root.update()


def test_menubar_dropdown_and_cascade_emit_show_and_close(tk_root: tkinter.Tk, pump: Pump) -> None:
    events: list[str] = []
    clicked: list[str] = []
    menu = Menu.build_from_template([{"label": "File", "submenu": [
        {"label": "Open", "click": lambda: clicked.append("Open")},
        {"label": "&More", "submenu": [{"label": "&Deep", "click": lambda: clicked.append("Deep")}]},
    ]}])
    file_menu = menu.items[0].submenu
    assert file_menu is not None
    more = file_menu.items[1].submenu
    assert more is not None
    record(file_menu, "file", events)
    record(more, "more", events)
    record(menu, "bar", events)  # the bar itself is never posted: no events
    attach_menu(tk_root, menu)
    show(tk_root, pump)
    bar = menubar_of(tk_root)
    assert bar is not None
    # The menu bar sits just above the window's content: click "File" there.
    xdotool("mousemove", str(tk_root.winfo_rootx() + 12), str(tk_root.winfo_rooty() - 8), "click", "1")
    pump(tk_root, lambda: events == ["show file"])
    xdotool("key", "Escape")
    pump(tk_root, lambda: events == ["show file", "close file"])
    # Open it again and go into the cascade with the keyboard, as a user would.
    xdotool("mousemove", str(tk_root.winfo_rootx() + 12), str(tk_root.winfo_rooty() - 8), "click", "1")
    pump(tk_root, lambda: len(events) == 3)
    xdotool("key", "m")  # the mnemonics (&More, &Deep) open the cascade, then pick its item
    pump(tk_root, lambda: events[3:] == ["show more"])
    xdotool("key", "d")
    pump(tk_root, lambda: clicked == ["Deep"] and len(events) == 6)
    assert events == ["show file", "close file", "show file", "show more", "close more", "close file"] or \
        events == ["show file", "close file", "show file", "show more", "close file", "close more"]


def test_popup_emits_show_then_close_on_escape(tk_root: tkinter.Tk, pump: Pump) -> None:
    events: list[str] = []
    menu = Menu.build_from_template([{"label": "Inspect"}, {"label": "Reload"}])
    record(menu, "popup", events)
    show(tk_root, pump)
    popup_menu(tk_root, menu, 10, 10)
    posted = popup_of(tk_root)
    assert posted is not None
    pump(tk_root, lambda: posted.winfo_ismapped() and events == ["show popup"])
    xdotool("key", "Escape")
    pump(tk_root, lambda: events == ["show popup", "close popup"])
    # A once listener hears one post only; off() removes a listener.
    once: list[Any] = []
    menu.once("menu-will-show", once.append)
    popup_menu(tk_root, menu, 10, 10)
    pump(tk_root, lambda: len(events) == 3)
    xdotool("key", "Escape")
    pump(tk_root, lambda: len(events) == 4)
    popup_menu(tk_root, menu, 10, 10)
    pump(tk_root, lambda: len(events) == 5)
    xdotool("key", "Escape")
    pump(tk_root, lambda: len(events) == 6)
    assert len(once) == 1 and menu.listener_count("menu-will-show") == 1
    assert events == ["show popup", "close popup"] * 3


def test_a_popup_replaced_while_posted_closes_once(tk_root: tkinter.Tk, pump: Pump) -> None:
    events: list[str] = []
    menu = Menu.build_from_template([{"label": "Inspect"}])
    record(menu, "popup", events)
    show(tk_root, pump)
    popup_menu(tk_root, menu, 10, 10)
    pump(tk_root, lambda: events == ["show popup"])
    popup_menu(tk_root, menu, 20, 20)  # the first is taken down by the second
    pump(tk_root, lambda: len(events) == 3)
    second = popup_of(tk_root)
    assert second is not None
    tk_root.tk.call("tk::MenuUnpost", second._w)  # Tk's own unpost (what Escape runs)
    pump(tk_root, lambda: len(events) == 4)
    tk_root.update()
    assert events == ["show popup", "close popup", "show popup", "close popup"]


def test_popup_callback_runs_once_when_the_menu_closes(tk_root: tkinter.Tk, pump: Pump) -> None:
    class Surface:
        """The part of a BrowserWindow that Menu.popup uses: its Tk toplevel's popup."""

        def popup_menu(self, menu: Menu, x: int | None, y: int | None) -> None:
            popup_menu(tk_root, menu, x, y)

    class Window:
        _surface = Surface()

    closed: list[str] = []
    menu = Menu.build_from_template([{"label": "Inspect"}])
    show(tk_root, pump)
    menu.popup({"window": Window(), "x": 10, "y": 10, "callback": lambda: closed.append("closed")})
    posted = popup_of(tk_root)
    assert posted is not None
    pump(tk_root, posted.winfo_ismapped)
    assert closed == []
    xdotool("key", "Escape")
    pump(tk_root, lambda: closed == ["closed"])
    menu.popup(Window(), 10, 10)  # no callback this time: the first one is not called again
    pump(tk_root, lambda: bool(popup_of(tk_root)) and popup_of(tk_root).winfo_ismapped())  # type: ignore[union-attr]
    xdotool("key", "Escape")
    pump(tk_root, lambda: not popup_of(tk_root).winfo_ismapped())  # type: ignore[union-attr]
    tk_root.update()
    assert closed == ["closed"] and menu.listener_count("menu-will-close") == 0
