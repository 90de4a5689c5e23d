"""Roles in real Tk menus under Xvfb: pasteAndMatchStyle pastes once (menu
entry and key), help keeps its click and accelerator, insert() places the
entry, and togglefullscreen full-screens a real BrowserWindow (tkhtml)."""

from __future__ import annotations

import subprocess
import tkinter
from collections.abc import Callable
from typing import Any

from tkelectron.main._menu import Menu, MenuItem
from tkelectron.main.compositor._tk_menus import attach_menu, menubar_of

Pump = Callable[..., None]


def press(keys: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=True, timeout=10)


def labels(menu: tkinter.Menu) -> list[str]:
    last = menu.index("end")
    return [menu.entrycget(i, "label") if menu.type(i) != "separator" else "-"
            for i in range(0 if last is None else last + 1)]


def focus(root: tkinter.Tk, widget: tkinter.Misc, pump: Pump) -> None:
    root.deiconify()
    pump(root, root.winfo_viewable)
    widget.focus_force()
    pump(root, lambda: root.focus_get() is widget)


def test_paste_and_match_style_pastes_once(tk_root: tkinter.Tk, pump: Pump) -> None:
    menu = Menu.build_from_template([{"label": "Edit", "submenu": [{"role": "pasteAndMatchStyle"}]}])
    attach_menu(tk_root, menu)
    entry = tkinter.Entry(tk_root)
    entry.pack()
    focus(tk_root, entry, pump)
    tk_root.clipboard_clear()
    tk_root.clipboard_append("ab")
    edit = tk_root.nametowidget(menubar_of(tk_root).entrycget(0, "menu"))  # type: ignore[union-attr]
    assert labels(edit) == ["Paste and Match Style"] and edit.entrycget(0, "accelerator") == "Ctrl+Shift+V"
    edit.invoke(0)
    assert entry.get() == "ab"
    press("ctrl+shift+v")
    pump(tk_root, lambda: entry.get() != "ab")
    tk_root.update()
    assert entry.get() == "abab"


def test_help_role_keeps_its_click_and_accelerator(tk_root: tkinter.Tk, pump: Pump) -> None:
    calls: list[bool] = []
    menu = Menu.build_from_template([
        {"label": "File", "submenu": [{"role": "quit", "visible": False}]},
        {"role": "help", "accelerator": "F1", "click": lambda mi, win, ev: calls.append(ev.triggered_by_accelerator)},
    ])
    attach_menu(tk_root, menu)
    bar = menubar_of(tk_root)
    assert bar is not None and labels(bar) == ["File", "Help"] and bar.type(1) == "command"
    bar.invoke(1)
    focus(tk_root, tk_root, pump)
    press("F1")
    pump(tk_root, lambda: len(calls) == 2)
    assert calls == [False, True]


def test_insert_places_the_entry_and_roles_expand(tk_root: tkinter.Tk) -> None:
    menu = Menu()
    menu.append(MenuItem(role="fileMenu"))
    menu.append(MenuItem(role="windowMenu"))
    attach_menu(tk_root, menu)
    menu.insert(1, MenuItem(role="viewMenu"))
    menu.insert(0, MenuItem(role="appMenu"))
    tk_root.update_idletasks()
    bar = menubar_of(tk_root)
    assert bar is not None
    from tkelectron.main._app import app

    assert labels(bar) == [app.get_name(), "File", "View", "Window"]
    view = tk_root.nametowidget(bar.entrycget(2, "menu"))
    assert labels(view) == ["Reload", "Force Reload", "Toggle Developer Tools", "-", "Actual Size", "Zoom In",
                            "Zoom Out", "-", "Toggle Full Screen"]
    assert view.entrycget(8, "accelerator") == "F11"


async def scenario_togglefullscreen() -> dict[str, Any]:
    """In the window-manager demo under openbox: the View menu's Toggle Full
    Screen entry, then its F11 accelerator typed with xdotool."""
    from windows._wm import DEMO, OtherClient  # tests/ is on sys.path

    from tkelectron.testing import launch
    from tkelectron.testing._display import xdotool

    async with launch(DEMO, compositor="tkhtml") as app:
        win = await app.first_window()
        w, x = win.window, OtherClient()
        seen = app.module.seen
        try:
            await app.wait_for(lambda: ("main", "show") in seen, what="the main window shown")
            w.set_menu(Menu.build_from_template([{"role": "viewMenu"}]))
            toplevel = w._surface.toplevel
            client = w._surface._wrapper_id
            w.focus()
            await app.wait_for(w.is_focused, what="the main window focused")
            view = toplevel.nametowidget(menubar_of(toplevel).entrycget(0, "menu"))
            mark = len(seen)
            view.invoke(labels(view).index("Toggle Full Screen"))  # as a click on the entry does
            await app.wait_for(lambda: ("main", "enter-full-screen") in seen[mark:], what="enter-full-screen")
            entered = (w.is_full_screen(), "_NET_WM_STATE_FULLSCREEN" in x.net_state(client))
            mark = len(seen)
            xdotool("key", "--window", str(toplevel.winfo_id()), "F11")
            await app.wait_for(lambda: ("main", "leave-full-screen") in seen[mark:], what="leave-full-screen")
            left = (w.is_full_screen(), "_NET_WM_STATE_FULLSCREEN" in x.net_state(client))
            return {"entered": entered, "left": left}
        finally:
            x.close()


def test_togglefullscreen_role_full_screens_a_real_window() -> None:
    from windows._wm import run_under_window_manager

    result = run_under_window_manager(__file__, "scenario_togglefullscreen")
    assert result == {"entered": [True, True], "left": [False, False]}
