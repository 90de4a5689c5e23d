"""Built-in plugin: Electron's default application menu.

Like Electron, an app that sets no menu gets File, Edit, View and Window
menus made of roles (Quit, Undo/Redo/Cut/Copy/Paste/Select All, Reload,
Toggle Developer Tools, Minimize/Close) with their usual accelerators. It is
a plugin like any other: other plugins' and the app's menus merge into it by
label, and an app that calls ``Menu.set_application_menu`` replaces it.
"""

from __future__ import annotations

from typing import Any

from .hookspecs import hookimpl

DEFAULT_TEMPLATE: list[dict[str, Any]] = [
    {"label": "File", "submenu": [{"role": "quit"}]},
    {
        "label": "Edit",
        "submenu": [
            {"role": "undo"},
            {"role": "redo"},
            {"type": "separator"},
            {"role": "cut"},
            {"role": "copy"},
            {"role": "paste"},
            {"type": "separator"},
            {"role": "selectAll"},
        ],
    },
    {"label": "View", "submenu": [{"role": "reload"}, {"role": "forceReload"}, {"role": "toggleDevTools"}]},
    {"label": "Window", "submenu": [{"role": "minimize"}, {"role": "close"}]},
]


@hookimpl(tryfirst=True)
def tkelectron_menu_template(app: Any) -> list[dict[str, Any]]:
    """The default menus come first; other plugins' items merge into them."""
    return [dict(item, submenu=list(item["submenu"])) for item in DEFAULT_TEMPLATE]
