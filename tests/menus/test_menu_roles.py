"""Every Electron role is accepted; Linux no-ops run the item's click; menu
roles expand; unknown template fields are kept; append/insert and the
application menu's items inside a running app (headless compositor)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import trio

from tkelectron.main._app import app
from tkelectron.main._browser_window import BrowserWindow
from tkelectron.main._menu import Menu, MenuItem
from tkelectron.main._menu_roles import ROLE_NAMES

#: The roles of Electron's MenuItem documentation (docs/api/menu-item.md), in its order.
ELECTRON_ROLES = [
    "undo", "redo", "cut", "copy", "paste", "pasteAndMatchStyle", "delete", "selectAll", "reload",
    "forceReload", "toggleDevTools", "resetZoom", "zoomIn", "zoomOut", "toggleSpellChecker",
    "togglefullscreen", "window", "minimize", "close", "help", "about", "services", "hide", "hideOthers",
    "unhide", "quit", "showSubstitutions", "toggleSmartQuotes", "toggleSmartDashes", "toggleTextReplacement",
    "startSpeaking", "stopSpeaking", "zoom", "front", "appMenu", "fileMenu", "editMenu", "viewMenu",
    "shareMenu", "recentDocuments", "toggleTabBar", "selectNextTab", "selectPreviousTab", "showAllTabs",
    "mergeAllWindows", "clearRecentDocuments", "moveTabToNewWindow", "windowMenu",
]

#: Roles that mean nothing on Linux: a label, and the item's own click.
LINUX_NO_OPS = [
    "help", "window", "services", "hide", "hideOthers", "unhide", "front", "zoom", "recentDocuments",
    "shareMenu", "startSpeaking", "stopSpeaking", "toggleSpellChecker", "showSubstitutions",
    "toggleSmartQuotes", "toggleSmartDashes", "toggleTextReplacement", "toggleTabBar", "selectNextTab",
    "selectPreviousTab", "showAllTabs", "mergeAllWindows", "moveTabToNewWindow",
]


def run_app(body: Callable[[], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with app.running(compositor="headless", entry_points=False):
            return await body()

    return trio.run(main)


def test_every_electron_role_is_accepted() -> None:
    assert len(ELECTRON_ROLES) == 48
    assert set(ROLE_NAMES) == set(ELECTRON_ROLES)
    menu = Menu.build_from_template([{"role": role} for role in ELECTRON_ROLES])
    assert [i.role for i in menu.items] == ELECTRON_ROLES
    assert all(i.label for i in menu.items)
    # Case-insensitive, as Electron matches them; a typo is still a clear error.
    assert MenuItem(role="TOGGLEFULLSCREEN").role == "togglefullscreen"
    with pytest.raises(ValueError, match="unknown menu item role 'toglefullscreen'"):
        MenuItem(role="toglefullscreen")


@pytest.mark.parametrize("role", LINUX_NO_OPS)
def test_linux_no_op_roles_run_the_items_own_click(role: str, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[tuple[Any, Any]] = []
    window = object()
    item = MenuItem(role=role, click=lambda mi, win: calls.append((mi, win)))
    assert item.type == "normal" and item.submenu is None and item.accelerator is None
    with caplog.at_level(logging.ERROR, logger="tkelectron.menu"):
        item.click(window)
        MenuItem(role=role).click(None)  # no click: nothing happens, nothing is logged
    assert calls == [(item, window)] and caplog.text == ""


def test_help_is_a_label_with_its_own_click_and_accelerator() -> None:
    calls: list[str] = []
    item = MenuItem(role="help", accelerator="F1", click=lambda: calls.append("help"))
    assert (item.label, item.type, item.accelerator, item.submenu) == ("Help", "normal", "F1", None)
    item.click(None)
    assert calls == ["help"]
    assert MenuItem(role="help", label="Learn More").label == "Learn More"
    # Electron's usual template: a "help" menu with a submenu of the app's own items.
    menu = Menu.build_from_template([{"role": "help", "submenu": [{"label": "Learn More", "id": "learn"}]}])
    assert menu.items[0].label == "Help" and menu.get_menu_item_by_id("learn") is not None


def test_pasteandmatchstyle_and_delete_have_electrons_defaults() -> None:
    item = MenuItem(role="pasteAndMatchStyle")
    assert (item.label, item.accelerator) == ("Paste and Match Style", "Shift+CmdOrCtrl+V")
    assert (MenuItem(role="togglefullscreen").label, MenuItem(role="togglefullscreen").accelerator) == (
        "Toggle Full Screen", "F11")
    zooms = [(MenuItem(role=r).label, MenuItem(role=r).accelerator) for r in ("resetZoom", "zoomIn", "zoomOut")]
    assert zooms == [("Actual Size", "CmdOrCtrl+0"), ("Zoom In", "CmdOrCtrl+Plus"), ("Zoom Out", "CmdOrCtrl+-")]


def test_unknown_template_fields_are_kept_on_the_item() -> None:
    menu = Menu.build_from_template([
        {"label": "Open", "icon": "open.png", "before": ["save"], "registerAccelerator": False,
         "menu": "mine", "data": {"path": "/x"}},
    ])
    item = menu.items[0]
    assert item["icon"] == "open.png" and item.icon == "open.png"
    assert item.before == ["save"] and item["registerAccelerator"] is False
    assert item.get("data") == {"path": "/x"} and item.get("absent", 7) == 7
    assert item["label"] == "Open" and item["click"] is None and item["type"] == "normal"
    # A field named like one of MenuItem's own attributes is kept too, reachable by key.
    assert item["menu"] == "mine" and item.menu is menu
    assert item.extra_fields == {"icon": "open.png", "before": ["save"], "registerAccelerator": False,
                                 "menu": "mine", "data": {"path": "/x"}}
    item.icon = "other.png"  # an app may update its own fields, as in Electron
    assert item["icon"] == "other.png"
    with pytest.raises(KeyError):
        item["absent"]
    with pytest.raises(AttributeError):
        item.absent  # noqa: B018
    with pytest.raises(AttributeError):
        item.role = "copy"  # type: ignore[misc]


def test_zoom_roles_are_no_ops_without_a_zoomable_page() -> None:
    class Page:
        """Stands for a web contents with Electron's zoom level (set_zoom_level)."""

        level = 0.0

        def get_zoom_level(self) -> float:
            return self.level

        def set_zoom_level(self, level: float) -> None:
            self.level = level

    class Window:
        web_contents = Page()

    window = Window()
    for role in ("zoomIn", "zoomIn", "zoomOut"):
        MenuItem(role=role).click(window)
    assert window.web_contents.level == 0.5
    MenuItem(role="resetZoom").click(window)
    assert window.web_contents.level == 0.0

    class Plain:
        web_contents = object()

    for role in ("zoomIn", "zoomOut", "resetZoom", "togglefullscreen"):
        MenuItem(role=role, click=lambda: pytest.fail("a role with a behaviour ignores click")).click(Plain())
        MenuItem(role=role).click(None)


def test_togglefullscreen_toggles_the_focused_window() -> None:
    async def body() -> list[bool]:
        window = BrowserWindow(width=200, height=100)
        window.focus()
        states = [window.is_full_screen()]
        item = MenuItem(role="togglefullscreen")
        item.click()
        states.append(window.is_full_screen())
        item.click()
        states.append(window.is_full_screen())
        window.destroy()
        return states

    assert run_app(body) == [False, True, False]


def test_application_menu_items_append_and_insert_in_a_running_app() -> None:
    async def body() -> tuple[list[str], list[str], bool]:
        default = Menu.get_application_menu()
        assert default is not None  # Electron's default menu when the app sets none
        labels = [i.label for i in default.items]
        # Electron's Linux default: the role menus' own submenus.
        roles = [[c.role for c in i.submenu.items] for i in default.items]
        assert roles == [[c.role for c in MenuItem(role=r).submenu.items]
                         for r in ("fileMenu", "editMenu", "viewMenu", "windowMenu")]
        assert "togglefullscreen" in roles[2] and "zoomIn" in roles[2] and "delete" in roles[1]
        changes: list[str] = []
        menu = Menu()
        menu.add_listener(lambda change: changes.append(change.item.label))
        menu.append(MenuItem(role="fileMenu"))
        menu.append(MenuItem(role="help", submenu=[{"label": "Docs"}]))
        menu.insert(1, MenuItem(role="editMenu"))
        menu.insert(0, MenuItem(role="appMenu"))
        Menu.set_application_menu(menu)
        shown = app.compositor.application_menu is menu
        return labels, [i.label for i in Menu.get_application_menu().items] + changes, shown

    labels, after, shown = run_app(body)
    assert labels == ["File", "Edit", "View", "Window"]
    name = app.get_name()
    assert after == [name, "File", "Edit", "Help", "File", "Help", "Edit", name] and shown


def test_clear_recent_documents_role_clears_the_apps_recent_list(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    doc = tmp_path / "report.txt"
    doc.write_text("x")
    app.add_recent_document(doc)
    xbel = tmp_path / "data" / "recently-used.xbel"
    assert doc.as_uri() in xbel.read_text()
    item = MenuItem(role="clearRecentDocuments", click=lambda: pytest.fail("the role wins over click"))
    assert item.label == "Clear Menu"
    item.click(None)
    assert doc.as_uri() not in xbel.read_text()


def test_popup_takes_electrons_options_object() -> None:
    async def body() -> Any:
        window = BrowserWindow(width=200, height=100)
        menu = Menu.build_from_template([{"label": "Inspect"}])
        menu.popup({"window": window, "x": 5, "y": 7, "positioningItem": 0})
        with pytest.raises(ValueError, match=r"unknown Menu\.popup option"):
            menu.popup({"window": window, "postion": 1})
        with pytest.raises(ValueError, match="'callback' must be callable"):
            menu.popup({"window": window, "callback": 3})
        popups = list(window._surface.popups)
        window.destroy()
        return popups, menu

    popups, menu = run_app(body)
    assert popups == [(menu, 5, 7)]


def test_electrons_customize_menus_template_ports_line_for_line() -> None:
    """The application-menu part of Electron's customize-menus example, as a port writes it."""
    events: list[str] = []

    def find_reopen_menu_item() -> MenuItem | None:
        menu = Menu.get_application_menu()
        if not menu:
            return None
        reopen = None
        for item in menu.items:
            if item.submenu:
                for sub in item.submenu.items:
                    if sub.get("key") == "reopenMenuItem":
                        reopen = sub
        return reopen

    template = [
        {"label": "Edit", "submenu": [
            {"label": "Undo", "accelerator": "CmdOrCtrl+Z", "role": "undo"},
            {"type": "separator"},
            {"label": "Select All", "accelerator": "CmdOrCtrl+A", "role": "selectall"},
        ]},
        {"label": "View", "submenu": [
            {"label": "Toggle Full Screen", "accelerator": "F11",
             "click": lambda item, focused: focused and focused.set_full_screen(not focused.is_full_screen())},
        ]},
        {"label": "Window", "role": "window", "submenu": [
            {"label": "Minimize", "accelerator": "CmdOrCtrl+M", "role": "minimize"},
            {"type": "separator"},
            {"label": "Reopen Window", "accelerator": "CmdOrCtrl+Shift+T", "enabled": False,
             "key": "reopenMenuItem", "click": lambda: events.append("activate")},
        ]},
        {"label": "Help", "role": "help", "submenu": [{"label": "Learn More", "click": lambda: events.append("learn")}]},
        {"label": "App", "submenu": [{"label": "Services", "role": "services", "submenu": []},
                                     {"label": "Hide", "accelerator": "Ctrl+H", "role": "hide"}]},
    ]

    async def body() -> list[Any]:
        Menu.set_application_menu(Menu.build_from_template(template))
        window = BrowserWindow(width=200, height=100)
        window.focus()
        reopen = find_reopen_menu_item()
        assert reopen is not None and not reopen.enabled and reopen.key == "reopenMenuItem"
        reopen.enabled = True
        reopen.click()
        menu = Menu.get_application_menu()
        assert menu is not None
        menu.items[1].submenu.items[0].click()
        full = window.is_full_screen()
        menu.items[3].submenu.items[0].click()
        window.destroy()
        return [full, [i.label for i in menu.items], [i.role for i in menu.items]]

    full, labels, roles = run_app(body)
    assert full and events == ["activate", "learn"]
    assert labels == ["Edit", "View", "Window", "Help", "App"]
    assert roles == [None, None, "window", "help", None]
