"""Finding a menu item by its label path, and clicking it as a user would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..main._browser_window import BrowserWindow
from ..main._menu import Menu, MenuItem, split_mnemonic

if TYPE_CHECKING:
    from ._harness import AppHarness
    from ._window import WindowHarness

__all__ = ["MenuItemHandle", "find_menu_item"]


class MenuItemHandle:
    """A menu item of a window's menu bar, found by ``"Top/Sub/Item"``."""

    def __init__(self, harness: AppHarness, window: BrowserWindow | None, labels: list[str], item: MenuItem) -> None:
        self._harness = harness
        self._window = window
        self._labels = labels
        self.item = item

    async def click(self) -> None:
        """Pick the item: through the real Tk menu with tkhtml, else as ``item.click()``.

        Then wait until every window has settled.
        """
        if self._harness.compositor == "tkhtml" and self._window is not None:
            _invoke_tk_entry(self._window, self._labels)
        else:
            self.item.click()
        self._harness.changes.notify()
        await self._harness.wait_settled()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.item, name)


def _menu_of(window: BrowserWindow | None) -> Menu | None:
    if window is not None and window._menu is not None:
        return window._menu
    return Menu.get_application_menu()


def find_menu_item(harness: AppHarness, label_path: str, window: WindowHarness | None) -> MenuItemHandle:
    target = window.window if window is not None else (BrowserWindow.get_focused_window() or next(iter(BrowserWindow.get_all_windows()), None))
    menu = _menu_of(target)
    if menu is None:
        raise LookupError("there is no menu: neither the window's own nor an application menu")
    labels = [part for part in label_path.split("/") if part]
    item: MenuItem | None = None
    items = menu.items
    for depth, label in enumerate(labels):
        item = next((i for i in items if split_mnemonic(i.label or '')[0] == label and i.visible), None)
        if item is None:
            raise LookupError(f"no menu item {label!r} at {'/'.join(labels[:depth]) or 'the top'} in {label_path!r}")
        sub = item.submenu
        items = sub.items if sub is not None else []
    assert item is not None
    return MenuItemHandle(harness, target, labels, item)


def _invoke_tk_entry(window: BrowserWindow, labels: list[str]) -> None:
    from ..main.compositor._tk_menus import menubar_of
    from ..main.compositor.tkhtml import TkhtmlSurface

    surface = window._surface
    if not isinstance(surface, TkhtmlSurface):
        raise LookupError(f"window {window.id} is not a Tk window")
    tk_menu = menubar_of(surface.toplevel)
    if tk_menu is None:
        raise LookupError(f"window {window.id} shows no menu bar")
    for depth, label in enumerate(labels):
        index = _entry_index(tk_menu, label)
        if depth == len(labels) - 1:
            tk_menu.invoke(index)
            return
        tk_menu = tk_menu.nametowidget(tk_menu.entrycget(index, "menu"))


def _entry_index(tk_menu: Any, label: str) -> int:
    last = tk_menu.index("end")
    for index in range(0 if last is None else last + 1):
        if tk_menu.type(index) in ("separator", "tearoff"):
            continue
        if tk_menu.entrycget(index, "label").replace("&", "") == label:
            return index
    raise LookupError(f"the Tk menu has no entry {label!r}")
