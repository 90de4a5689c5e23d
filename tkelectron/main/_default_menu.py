"""Built-in plugin: Electron's default application menu.

Like Electron on Linux, an app that sets no menu gets File, Edit, View and
Window menus: the submenus of the ``fileMenu``, ``editMenu``, ``viewMenu``
and ``windowMenu`` roles (Quit; Undo/Redo/Cut/Copy/Paste/Delete/Select All;
Reload, Force Reload, Toggle Developer Tools, the zoom roles and Toggle Full
Screen; Minimize, Zoom, Close), with their usual accelerators. Electron's
Help menu links to electronjs.org, so it is left out. It is a plugin like any
other: other plugins' and the app's menus merge into it by label, and an app
that calls ``Menu.set_application_menu`` replaces it.
"""

from __future__ import annotations

from typing import Any

from ._menu_roles import lookup_role
from .hookspecs import hookimpl

_MENU_ROLES = ("fileMenu", "editMenu", "viewMenu", "windowMenu")


def default_template() -> list[dict[str, Any]]:
    """A fresh copy of the default menus, one ``{"label", "submenu"}`` per menu
    role (labelled menus, so plugins' items merge into them by label)."""
    template = []
    for name in _MENU_ROLES:
        spec = lookup_role(name)
        assert spec.submenu is not None
        template.append({"label": spec.default_label(), "submenu": spec.submenu()})
    return template


DEFAULT_TEMPLATE: list[dict[str, Any]] = default_template()


@hookimpl(tryfirst=True)
def tkelectron_menu_template(app: Any) -> list[dict[str, Any]]:
    """The default menus come first; other plugins' items merge into them."""
    return default_template()
