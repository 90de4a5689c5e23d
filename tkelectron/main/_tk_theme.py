"""Main's Tk menus follow ``native_theme``: dark colours when it says dark.

Tk draws native menus (menu bars, context menus) itself on X11, in its own
colours, whatever the desktop's theme. When ``native_theme`` turns dark this
puts a dark palette on every Tk menu that exists and, through Tk's option
database, on every menu made later; when it turns light again the colours Tk
started with come back. Nothing is touched while the app never went dark.
Pages are not affected (their colours are the page's CSS).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DARK_MENU", "apply_menu_theme"]

#: The dark palette (Adwaita-dark's menu colours), by option-database name.
DARK_MENU = {
    "background": "#353535",
    "foreground": "#eeeeec",
    "activeBackground": "#215d9c",
    "activeForeground": "#ffffff",
    "disabledForeground": "#8b8e8f",
    "selectColor": "#eeeeec",
}
_OPTIONS = tuple(DARK_MENU)
# Each Tk root's own menu colours, read once before the first change.
_defaults: dict[str, dict[str, str]] = {}


def apply_menu_theme(root: Any, dark: bool) -> None:
    """Colour every Tk menu under ``root`` (and the ones made later) dark or back to Tk's."""
    key = str(root)
    if key not in _defaults:
        if not dark:
            return  # never went dark: Tk's colours are still in place
        import tkinter

        probe = tkinter.Menu(root, tearoff=0)
        try:
            _defaults[key] = {name: str(probe.cget(name.lower())) for name in _OPTIONS}
        finally:
            probe.destroy()
    colours = DARK_MENU if dark else _defaults[key]
    for name, value in colours.items():
        root.option_add(f"*Menu.{name}", value, "widgetDefault")
    for menu in _menus(root):
        menu.configure(**{name.lower(): value for name, value in colours.items()})


def _menus(widget: Any) -> list[Any]:
    found = []
    for child in widget.winfo_children():
        if child.winfo_class() == "Menu":
            found.append(child)
        found.extend(_menus(child))
    return found
