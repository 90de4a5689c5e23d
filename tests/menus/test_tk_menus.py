"""Menus shown by Tk under Xvfb: the menu bar mirrors the model, entries and
real key presses trigger items, and the mirror follows model changes."""

from __future__ import annotations

import subprocess
import tkinter
from collections.abc import Callable
from typing import Any

import pytest
import trio

from tkelectron.main._accelerators import parse_accelerator
from tkelectron.main._host import TkHost
from tkelectron.main._menu import Menu, MenuEvent, MenuItem
from tkelectron.main.compositor._tk_menus import attach_menu, menubar_of, popup_menu, popup_of

Pump = Callable[..., None]


def entries(menu: tkinter.Menu) -> list[tuple[str, ...]]:
    """(type, label, accelerator, state) of every entry of a Tk menu."""
    last = menu.index("end")
    out: list[tuple[str, ...]] = []
    for i in range(0 if last is None else last + 1):
        kind = menu.type(i)
        if kind == "separator":
            out.append(("separator",))
        else:
            out.append((kind, menu.entrycget(i, "label"), menu.entrycget(i, "accelerator"), menu.entrycget(i, "state")))
    return out


def submenu(root: tkinter.Misc, menu: tkinter.Menu, index: int) -> tkinter.Menu:
    return root.nametowidget(menu.entrycget(index, "menu"))


def focus(root: tkinter.Tk, widget: tkinter.Misc, pump: Pump) -> None:
    root.deiconify()
    pump(root, root.winfo_viewable)
    widget.focus_force()
    pump(root, lambda: root.focus_get() is widget)


def press(keys: str) -> None:
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=True, timeout=10)


@pytest.fixture
def clicks() -> list[tuple[str, Any]]:
    return []


def sample_menu(clicks: list[tuple[str, Any]]) -> Menu:
    def record(mi: MenuItem, win: Any, ev: MenuEvent) -> None:
        clicks.append((mi.label, ev))

    return Menu.build_from_template([
        {"label": "&File", "submenu": [
            {"label": "Open", "accelerator": "CmdOrCtrl+O", "click": record, "id": "open"},
            {"label": "Save", "enabled": False, "accelerator": "CmdOrCtrl+S", "click": record, "id": "save"},
            {"type": "separator"},
            {"label": "Secret", "visible": False, "click": record, "id": "secret"},
            {"label": "Redo it", "accelerator": "Shift+CmdOrCtrl+Z", "click": record},
        ]},
        {"label": "View", "submenu": [
            {"label": "Dark", "type": "checkbox", "id": "dark", "click": record},
            {"label": "Small", "type": "radio", "checked": True, "id": "small"},
            {"label": "Large", "type": "radio", "id": "large"},
        ]},
    ])


def test_menubar_mirrors_the_model(tk_root: tkinter.Tk, clicks: list[Any]) -> None:
    attach_menu(tk_root, sample_menu(clicks))
    bar = menubar_of(tk_root)
    assert bar is not None and str(tk_root.cget("menu")) == str(bar)
    assert entries(bar) == [("cascade", "File", "", "normal"), ("cascade", "View", "", "normal")]
    assert bar.entrycget(0, "underline") == 0  # "&File"
    assert entries(submenu(tk_root, bar, 0)) == [
        ("command", "Open", "Ctrl+O", "normal"),
        ("command", "Save", "Ctrl+S", "disabled"),
        ("separator",),
        ("command", "Redo it", "Ctrl+Shift+Z", "normal"),
    ]
    view = submenu(tk_root, bar, 1)
    assert entries(view) == [
        ("checkbutton", "Dark", "", "normal"),
        ("radiobutton", "Small", "", "normal"),
        ("radiobutton", "Large", "", "normal"),
    ]
    assert tk_root.getvar(view.entrycget(1, "variable")) == view.entrycget(1, "value")


def test_model_changes_update_the_tk_menu(tk_root: tkinter.Tk, clicks: list[Any]) -> None:
    menu = sample_menu(clicks)
    attach_menu(tk_root, menu)
    bar = menubar_of(tk_root)
    assert bar is not None
    file_menu, view = submenu(tk_root, bar, 0), submenu(tk_root, bar, 1)
    dark_var = view.entrycget(0, "variable")
    assert tk_root.getvar(dark_var) in (0, False)
    menu.get_menu_item_by_id("dark").checked = True
    assert tk_root.getvar(dark_var) in (1, True)
    menu.get_menu_item_by_id("save").enabled = True
    menu.get_menu_item_by_id("open").label = "Open…"
    assert entries(file_menu)[:2] == [("command", "Open…", "Ctrl+O", "normal"), ("command", "Save", "Ctrl+S", "normal")]
    menu.get_menu_item_by_id("large").checked = True
    assert tk_root.getvar(view.entrycget(1, "variable")) == view.entrycget(2, "value")
    # Structural changes are applied when Tk is next idle.
    menu.get_menu_item_by_id("secret").visible = True
    menu.items[1].submenu.append(MenuItem(label="Zoom", accelerator="F11"))
    tk_root.update_idletasks()
    assert [e[1] for e in entries(file_menu) if len(e) > 1] == ["Open…", "Save", "Secret", "Redo it"]
    assert entries(view)[-1] == ("command", "Zoom", "F11", "normal")
    assert "<Key-F11>" in tk_root.bind()


def test_invoking_tk_entries_triggers_items(tk_root: tkinter.Tk, clicks: list[Any]) -> None:
    menu = sample_menu(clicks)
    attach_menu(tk_root, menu)
    bar = menubar_of(tk_root)
    assert bar is not None
    file_menu, view = submenu(tk_root, bar, 0), submenu(tk_root, bar, 1)
    file_menu.invoke(0)
    file_menu.invoke(1)  # disabled: Tk does not invoke it
    view.invoke(0)
    view.invoke(2)
    assert [c[0] for c in clicks] == ["Open", "Dark"]
    assert clicks[0][1] == MenuEvent()
    assert menu.get_menu_item_by_id("dark").checked
    assert tk_root.getvar(view.entrycget(0, "variable")) in (1, True)
    assert (menu.get_menu_item_by_id("small").checked, menu.get_menu_item_by_id("large").checked) == (False, True)
    view.invoke(0)
    assert not menu.get_menu_item_by_id("dark").checked
    assert tk_root.getvar(view.entrycget(0, "variable")) in (0, False)


def test_real_key_presses_trigger_accelerators(tk_root: tkinter.Tk, clicks: list[Any], pump: Pump) -> None:
    menu = sample_menu(clicks)
    attach_menu(tk_root, menu)
    entry = tkinter.Entry(tk_root)
    entry.pack()
    focus(tk_root, entry, pump)  # keys typed into a child reach the toplevel binding
    press("ctrl+o")
    pump(tk_root, lambda: len(clicks) == 1)
    label, event = clicks[0]
    assert label == "Open" and event.triggered_by_accelerator and event.ctrl_key and not event.shift_key
    press("ctrl+shift+z")
    pump(tk_root, lambda: len(clicks) == 2)
    assert clicks[1][0] == "Redo it" and clicks[1][1].shift_key
    press("ctrl+s")  # disabled item: nothing; the next enabled key proves the order
    menu.get_menu_item_by_id("save").enabled = True
    press("ctrl+s")
    pump(tk_root, lambda: len(clicks) == 3)
    assert [c[0] for c in clicks] == ["Open", "Redo it", "Save"]


def test_rebinding_keeps_other_bindings(tk_root: tkinter.Tk, clicks: list[Any], pump: Pump) -> None:
    mine: list[str] = []
    tk_root.bind("<Control-Key-o>", lambda e: mine.append("app binding"), add="+")
    attach_menu(tk_root, sample_menu(clicks))
    attach_menu(tk_root, Menu.build_from_template([{"label": "Other", "accelerator": "F5", "click": lambda: clicks.append(("F5", None))}]))
    focus(tk_root, tk_root, pump)
    press("ctrl+o")
    press("F5")
    pump(tk_root, lambda: bool(mine) and len(clicks) == 1)
    assert mine == ["app binding"] and clicks == [("F5", None)]
    attach_menu(tk_root, None)
    assert tk_root.cget("menu") == "" and menubar_of(tk_root) is None
    assert set(tk_root.bind()) == {"<Control-Key-o>"}


def test_every_generated_sequence_is_accepted_by_tk(tk_root: tkinter.Tk) -> None:
    for accelerator in ("CmdOrCtrl+Q", "Shift+CmdOrCtrl+Z", "Alt+F4", "Ctrl+Plus", "Ctrl+=", "Super+Space",
                        "num5", "AltGr+E", "PageUp", "Ctrl+/", "VolumeUp", "PrintScreen"):
        for seq in parse_accelerator(accelerator).tk_sequences():
            funcid = tk_root.bind(seq, lambda e: None)  # TclError on a bad sequence
            tk_root.unbind(seq, funcid)


def test_edit_roles_reach_the_focused_widget(tk_root: tkinter.Tk, pump: Pump) -> None:
    menu = Menu.build_from_template([{"role": "editMenu"}])
    attach_menu(tk_root, menu)
    entry = tkinter.Entry(tk_root)
    entry.pack()
    entry.insert(0, "hello")
    focus(tk_root, entry, pump)
    edit = submenu(tk_root, menubar_of(tk_root), 0)  # type: ignore[arg-type]
    labels = [e[1] if len(e) > 1 else "-" for e in entries(edit)]
    edit.invoke(labels.index("Select All"))
    assert entry.selection_present() and entry.selection_get() == "hello"
    edit.invoke(labels.index("Copy"))
    assert tk_root.clipboard_get() == "hello"
    entry.selection_clear()
    entry.icursor("end")
    edit.invoke(labels.index("Paste"))
    assert entry.get() == "hellohello"
    # Ctrl+V is also Tk's own <<Paste>> key: the accelerator must not paste twice.
    tk_root.clipboard_clear()
    tk_root.clipboard_append("!")
    press("ctrl+v")
    pump(tk_root, lambda: entry.get() != "hellohello")
    tk_root.update()
    assert entry.get() == "hellohello!"


def test_popup_menu_posts_at_a_window_point(tk_root: tkinter.Tk, clicks: list[Any], pump: Pump) -> None:
    tk_root.deiconify()
    pump(tk_root, tk_root.winfo_viewable)
    menu = sample_menu(clicks).items[0].submenu
    assert menu is not None
    popup_menu(tk_root, menu, 10, 20)
    posted = popup_of(tk_root)
    assert posted is not None
    pump(tk_root, posted.winfo_ismapped)
    assert (posted.winfo_rootx(), posted.winfo_rooty()) == (tk_root.winfo_rootx() + 10, tk_root.winfo_rooty() + 20)
    posted.invoke(0)
    tk_root.tk.call("tk::MenuUnpost", posted._w)
    assert [c[0] for c in clicks] == ["Open"]
    popup_menu(tk_root, menu, None, None)  # at the pointer; replaces the previous popup
    assert popup_of(tk_root) is not posted and not posted.winfo_exists()
    tk_root.tk.call("tk::MenuUnpost", popup_of(tk_root)._w)  # type: ignore[union-attr]


def test_under_trio_a_click_runs_in_trio_not_in_the_tk_callback(display: str) -> None:
    host = TkHost()
    ran: list[str] = []

    async def main() -> None:
        done = trio.Event()

        async def handler(mi: MenuItem) -> None:
            trio.lowlevel.current_task()  # we are in a trio task
            ran.append(mi.label)
            done.set()

        top = tkinter.Toplevel(host.root)
        attach_menu(top, Menu.build_from_template([{"label": "M", "submenu": [{"label": "Go", "click": handler}]}]))
        bar = menubar_of(top)
        assert bar is not None
        # Invoke from a host-loop callback, as a real menu click would.
        host.root.after(0, lambda: submenu(host.root, bar, 0).invoke(0))
        with trio.fail_after(5):
            await done.wait()
        top.destroy()

    host.run(main)
    assert ran == ["Go"]
