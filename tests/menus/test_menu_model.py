"""The menu model: templates, validation, ids, check/radio semantics, clicks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from tkelectron.main._menu import Menu, MenuChange, MenuEvent, MenuItem


def test_build_from_template_fields_and_defaults() -> None:
    menu = Menu.build_from_template([
        {"label": "File", "submenu": [
            {"label": "Open", "accelerator": "CmdOrCtrl+O", "id": "open"},
            {"type": "separator"},
            {"label": "Autosave", "type": "checkbox", "checked": True, "enabled": False},
        ]},
        {"label": "Hidden", "visible": False, "tooltip": "tip", "sublabel": "sub"},
    ])
    file_item, hidden = menu.items
    assert file_item.type == "submenu" and isinstance(file_item.submenu, Menu)
    open_item, sep, autosave = file_item.submenu.items
    assert (open_item.label, open_item.type, open_item.accelerator, open_item.id) == ("Open", "normal", "CmdOrCtrl+O", "open")
    assert open_item.enabled and open_item.visible and not open_item.checked
    assert sep.type == "separator"
    assert autosave.type == "checkbox" and autosave.checked and not autosave.enabled
    assert not hidden.visible and hidden.tooltip == "tip" and hidden.sublabel == "sub"
    assert open_item.menu is file_item.submenu


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ([{"label": "x", "type": "toggle"}], "unknown menu item type 'toggle'"),
        ([{"role": "explode"}], "unknown menu item role 'explode'"),
        ([{"label": "x", "type": "submenu"}], "needs a 'submenu'"),
        ([{"label": "x", "type": "checkbox", "submenu": []}], "cannot have a submenu"),
        ([{"label": "x", "accelerator": "Ctrl+Nope"}], "invalid accelerator 'Ctrl+Nope'"),
        ([{"label": "x", "click": "not callable"}], "'click' must be callable"),
        ([{"label": "x", "enabled": "yes"}], "'enabled' must be a bool"),
        (["just a string"], "item 0 must be a dict"),
        ({"label": "x"}, "must be a list"),
    ],
)
def test_validation_errors_name_the_problem(template: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Menu.build_from_template(template)
    assert message in str(info.value)


def test_template_errors_say_which_item() -> None:
    with pytest.raises(ValueError, match=r"menu template item 1: unknown menu item type 'x'"):
        Menu.build_from_template([{"label": "a"}, {"type": "x"}])


def test_get_menu_item_by_id_searches_submenus() -> None:
    menu = Menu.build_from_template([
        {"label": "A", "submenu": [{"label": "B", "submenu": [{"label": "deep", "id": "deep"}]}]},
        {"label": "top", "id": "top"},
    ])
    assert menu.get_menu_item_by_id("deep").label == "deep"
    assert menu.get_menu_item_by_id("top").label == "top"
    assert menu.get_menu_item_by_id("missing") is None


def test_append_insert_and_items_copy() -> None:
    menu = Menu()
    menu.append(MenuItem(label="b"))
    menu.insert(0, MenuItem(label="a"))
    assert [i.label for i in menu.items] == ["a", "b"]
    menu.items.clear()  # a copy: the menu is unchanged
    assert len(menu.items) == 2
    with pytest.raises(TypeError):
        menu.append({"label": "dict"})  # type: ignore[arg-type]


def test_checkbox_click_toggles_before_handler() -> None:
    seen: list[bool] = []
    item = MenuItem(label="Dark", type="checkbox", click=lambda mi, win, ev: seen.append(mi.checked))
    item.click(window=None)
    item.click(window=None)
    assert seen == [True, False]


def test_radio_groups_are_split_by_separators() -> None:
    menu = Menu.build_from_template([
        {"label": "a", "type": "radio", "checked": True},
        {"label": "plain"},
        {"label": "b", "type": "radio"},
        {"type": "separator"},
        {"label": "c", "type": "radio", "checked": True},
        {"label": "d", "type": "radio"},
    ])
    a, _plain, b, _sep, c, d = menu.items
    assert a.radio_group() == [a, b] and c.radio_group() == [c, d]
    b.click(window=None)
    assert (a.checked, b.checked, c.checked, d.checked) == (False, True, True, False)
    b.click(window=None)  # clicking a checked radio keeps it checked
    assert b.checked
    d.checked = True  # programmatic check also unchecks the group, like Electron
    assert (c.checked, d.checked, b.checked) == (False, True, True)


def test_click_passes_item_window_and_event_and_accepts_fewer_args() -> None:
    calls: list[tuple[Any, ...]] = []
    window = object()
    event = MenuEvent(ctrl_key=True, triggered_by_accelerator=True)
    full = MenuItem(label="full", click=lambda mi, win, ev: calls.append((mi, win, ev)))
    one = MenuItem(label="one", click=lambda mi: calls.append((mi,)))
    none = MenuItem(label="none", click=lambda: calls.append(()))
    full.click(window, event)
    one.click(window)
    none.click(window)
    assert calls == [(full, window, event), (one,), ()]


def test_click_defaults_to_the_focused_window_and_a_plain_event() -> None:
    calls: list[tuple[Any, Any]] = []
    item = MenuItem(label="x", click=lambda mi, win, ev: calls.append((win, ev)))
    item.click()
    assert calls == [(None, MenuEvent())]  # no window is open


def test_disabled_items_do_nothing() -> None:
    calls: list[int] = []
    item = MenuItem(label="x", type="checkbox", enabled=False, click=lambda *a: calls.append(1))
    item.click(window=None)
    assert calls == [] and not item.checked


def test_click_exceptions_are_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def boom(mi: MenuItem, win: Any, ev: MenuEvent) -> None:
        raise RuntimeError("handler bug")

    item = MenuItem(label="Boom", click=boom)
    with caplog.at_level(logging.ERROR, logger="tkelectron.menu"):
        item.click(window=None)
    assert "handler bug" in caplog.text and "'Boom'" in caplog.text


@pytest.mark.trio
async def test_async_click_runs_as_a_task() -> None:
    started = trio.Event()
    release = trio.Event()
    done = trio.Event()
    finished: list[Any] = []

    async def handler(mi: MenuItem, win: Any, ev: MenuEvent) -> None:
        started.set()
        await release.wait()
        finished.append(mi.label)
        done.set()

    item = MenuItem(label="Async", click=handler)
    item.click(window=None)  # returns at once: the handler is a task
    assert finished == []
    with trio.fail_after(5):
        await started.wait()
        assert finished == []  # the handler waits: the click did not
        release.set()
        await done.wait()
    assert finished == ["Async"]


@pytest.mark.trio
async def test_async_click_exception_is_contained(caplog: pytest.LogCaptureFixture) -> None:
    done = trio.Event()

    async def handler() -> None:
        done.set()
        raise ValueError("async handler bug")

    with caplog.at_level(logging.ERROR, logger="tkelectron.menu"):
        MenuItem(label="x", click=handler).click(window=None)
        with trio.fail_after(5):
            await done.wait()
            # The handler's task ends with its error, logged; then every task waits.
            await trio.testing.wait_all_tasks_blocked()
    assert "async handler bug" in caplog.text


@pytest.mark.parametrize(
    ("role", "label", "accelerator"),
    [
        ("quit", "Quit", "CmdOrCtrl+Q"),
        ("close", "Close Window", "CmdOrCtrl+W"),
        ("reload", "Reload", "CmdOrCtrl+R"),
        ("forceReload", "Force Reload", "Shift+CmdOrCtrl+R"),
        ("toggleDevTools", "Toggle Developer Tools", "Ctrl+Shift+I"),
        ("undo", "Undo", "CmdOrCtrl+Z"),
        ("redo", "Redo", "Shift+CmdOrCtrl+Z"),
        ("cut", "Cut", "CmdOrCtrl+X"),
        ("copy", "Copy", "CmdOrCtrl+C"),
        ("paste", "Paste", "CmdOrCtrl+V"),
        ("selectAll", "Select All", "CmdOrCtrl+A"),
        ("selectall", "Select All", "CmdOrCtrl+A"),
        ("minimize", "Minimize", "CmdOrCtrl+M"),
        ("delete", "Delete", None),
    ],
)
def test_role_defaults(role: str, label: str, accelerator: str | None) -> None:
    item = MenuItem(role=role)
    assert (item.label, item.accelerator) == (label, accelerator)
    custom = MenuItem(role=role, label="Mine", accelerator="F5")
    assert (custom.label, custom.accelerator) == ("Mine", "F5")


def test_about_role_names_the_app() -> None:
    from tkelectron.main._app import app

    assert MenuItem(role="about").label == f"About {app.get_name()}"


def test_menu_roles_expand_to_default_submenus() -> None:
    menu = Menu.build_from_template([
        {"role": "appMenu"}, {"role": "fileMenu"}, {"role": "editMenu"}, {"role": "viewMenu"},
        {"role": "windowMenu"},
    ])
    from tkelectron.main._app import app

    assert [i.label for i in menu.items] == [app.get_name(), "File", "Edit", "View", "Window"]
    assert all(i.type == "submenu" for i in menu.items)
    roles = [[c.role for c in i.submenu.items] for i in menu.items]
    assert roles == [  # Electron's default submenus on Linux
        ["about", None, "services", None, "hide", "hideOthers", "unhide", None, "quit"],
        ["quit"],
        ["undo", "redo", None, "cut", "copy", "paste", "delete", None, "selectAll"],
        ["reload", "forceReload", "toggleDevTools", None, "resetZoom", "zoomIn", "zoomOut", None, "togglefullscreen"],
        ["minimize", "zoom", "close"],
    ]
    own = Menu.build_from_template([{"role": "editMenu", "submenu": [{"role": "copy"}]}])
    assert [c.role for c in own.items[0].submenu.items] == ["copy"]


def test_role_wins_over_click_as_in_electron() -> None:
    calls: list[int] = []
    item = MenuItem(role="minimize", click=lambda *a: calls.append(1))

    class Window:
        minimized = False

        def minimize(self) -> None:
            self.minimized = True

    window = Window()
    item.click(window)
    assert window.minimized and calls == []


def test_submenu_items_ignore_click() -> None:
    calls: list[int] = []
    MenuItem(role="editMenu", click=lambda: calls.append(1)).click(None)
    assert calls == []  # a submenu item has nothing to click


def test_changes_are_announced_through_the_tree() -> None:
    menu = Menu.build_from_template([{"label": "File", "submenu": [{"label": "Save", "id": "save"}]}])
    changes: list[tuple[bool, str, str]] = []

    def listener(change: MenuChange) -> None:
        changes.append((change.menu is menu.items[0].submenu, change.item.label, change.field))

    menu.add_listener(listener)
    save = menu.get_menu_item_by_id("save")
    save.enabled = False
    save.enabled = False  # unchanged: not announced
    save.label = "Save As"
    save.visible = False
    menu.items[0].submenu.append(MenuItem(label="New"))
    assert changes == [
        (True, "Save", "enabled"), (True, "Save As", "label"), (True, "Save As", "visible"), (True, "New", "items"),
    ]
    menu.remove_listener(listener)
    save.enabled = True
    assert len(changes) == 4


def test_only_mutable_fields_can_be_set() -> None:
    item = MenuItem(label="x")
    with pytest.raises(AttributeError):
        item.type = "checkbox"  # type: ignore[misc]
    with pytest.raises(ValueError):
        item.accelerator = "Ctrl+Nope"


def test_application_menu_is_remembered() -> None:
    menu = Menu.build_from_template([{"label": "x"}])
    try:
        Menu.set_application_menu(menu)
        assert Menu.get_application_menu() is menu
    finally:
        Menu.set_application_menu(None)
    assert Menu.get_application_menu() is None
