"""Main's Tk menus and message boxes follow ``native_theme``: dark colours when it says dark.

Tk draws native menus (menu bars, context menus) itself on X11, in its own
colours, whatever the desktop's theme. When ``native_theme`` turns dark this
puts a dark palette on every Tk menu that exists and, through Tk's option
database, on every menu made later; when it turns light again the colours Tk
started with come back. Nothing is touched while the app never went dark.
Message boxes (``compositor._tk_dialogs``) get the theme they are made in
(:func:`theme_message_box`) and follow later changes while open
(:func:`apply_dialog_theme`): their ttk widgets use ``TkeDialog.*`` styles,
dark or the ttk theme's own colours again, and the Tk ones (the window, the
icon) are coloured directly. Pages follow through their CSS's
``prefers-color-scheme`` (``_page_color_scheme``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DARK_DIALOG", "DARK_MENU", "apply_dialog_theme", "apply_menu_theme", "theme_message_box"]

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


#: The dark palette of message boxes (Adwaita-dark's window and button colours).
DARK_DIALOG = {
    "background": "#353535",
    "foreground": "#eeeeec",
    "button": "#454545",
    "active": "#505050",
    "indicator": "#2b2b2b",
}
_DIALOG_PREFIX = "__tkelectron_msgbox"  # compositor._tk_dialogs.MESSAGE_BOX_PREFIX
_STYLES = ("TFrame", "TLabel", "TButton", "TCheckbutton")
# Each Tk root's ttk colours for the dialog styles, read once before the first dark.
_dialog_defaults: dict[str, dict[str, tuple[dict[str, str], dict[str, list[Any]]]]] = {}


def _dark_styles() -> dict[str, tuple[dict[str, str], dict[str, list[tuple[Any, ...]]]]]:
    d = DARK_DIALOG
    plain = {"background": d["background"], "foreground": d["foreground"]}
    return {
        "TFrame": ({"background": d["background"]}, {}),
        "TLabel": (plain, {}),
        "TButton": ({"background": d["button"], "foreground": d["foreground"]},
                    {"background": [("active", d["active"])]}),
        "TCheckbutton": ({**plain, "indicatorbackground": d["indicator"]},
                         {"background": [("active", d["active"])]}),
    }


def apply_dialog_theme(root: Any, dark: bool) -> None:
    """Colour the message boxes' styles, and every open message box, dark or back to ttk's."""
    from tkinter import ttk

    key = str(root)
    style = ttk.Style(root)
    if key not in _dialog_defaults:
        if not dark:
            return  # never went dark: the ttk theme's colours are in place
        _dialog_defaults[key] = {
            name: ({option: str(style.lookup(name, option)) for option in options},
                   {option: list(style.map(name, option)) for option in maps})
            for name, (options, maps) in _dark_styles().items()
        }
    palette = _dark_styles() if dark else _dialog_defaults[key]
    for name, (options, maps) in palette.items():
        style.configure(f"TkeDialog.{name}", **options)
        style.map(f"TkeDialog.{name}", **maps)
    for child in root.winfo_children():
        if child.winfo_name().startswith(_DIALOG_PREFIX):
            _colour_tk_widgets(child, dark)


def theme_message_box(top: Any, dark: bool) -> None:
    """Give a message box being built the theme's colours (``_tk_dialogs`` calls
    this with what ``native_theme`` says, so this module never imports it)."""
    apply_dialog_theme(top._root(), dark)
    for widget in _descendants(top):
        kind = widget.winfo_class()
        if kind in _STYLES:
            widget.configure(style=f"TkeDialog.{kind}")
    _colour_tk_widgets(top, dark)


def _colour_tk_widgets(top: Any, dark: bool) -> None:
    """The message box's plain Tk widgets (its window, the icon label), which no ttk style reaches."""
    for widget in [top, *_descendants(top)]:
        if widget.winfo_class() not in ("Toplevel", "Label"):
            continue
        saved = getattr(widget, "_tke_light", None)
        if saved is None:
            saved = widget._tke_light = {"background": str(widget.cget("background"))}
            if widget.winfo_class() == "Label":
                saved["foreground"] = str(widget.cget("foreground"))
        colours = {name: DARK_DIALOG[name] for name in saved} if dark else saved
        widget.configure(**colours)


def _descendants(widget: Any) -> list[Any]:
    found = []
    for child in widget.winfo_children():
        found.append(child)
        found.extend(_descendants(child))
    return found
