"""Menu item roles (Electron's ``role``) and the glue menus use to reach the app.

Every role of Electron's MenuItem is accepted. A role gives an item a default
label and accelerator and, for the action roles, a behaviour that runs when
the item is clicked (as in Electron, a role with a behaviour wins over
``click``). What each role does on Linux:

- Edit roles (``undo``, ``redo``, ``cut``, ``copy``, ``paste``, ``delete``,
  ``selectAll``, and ``pasteAndMatchStyle``, which is a plain paste because a
  Tk text has no style to match) generate Tk's virtual events on the focused
  Tk widget; the Tk menu layer registers how to reach it with
  :func:`register_edit_target`, so this module never imports tkinter.
- Window roles act on the focused BrowserWindow: ``close``, ``minimize``,
  ``reload``, ``forceReload``, ``toggleDevTools``, and ``togglefullscreen``
  (the window's ``set_full_screen``). ``zoomIn``, ``zoomOut`` and
  ``resetZoom`` change the page's zoom level by Electron's steps (+/-0.5, 0)
  through ``web_contents.set_zoom_level`` -- or ``set_zoom_factor`` -- when
  the window's web contents has one, and do nothing otherwise.
- ``quit`` quits the app; ``about`` shows a message box naming the app;
  ``clearRecentDocuments`` is ``app.clear_recent_documents()`` (the
  desktop's recently-used list), as in Electron.
- Menu roles (``appMenu``, ``fileMenu``, ``editMenu``, ``viewMenu``,
  ``windowMenu``) give an item without a ``submenu`` the submenu Electron
  gives it on Linux.
- Roles with no meaning on Linux are accepted with Electron's label and no
  behaviour, so the item's own ``click`` runs as in Electron on a platform
  without that role: ``help`` and ``window`` (macOS marks those menus),
  ``services``, ``hide``, ``hideOthers``, ``unhide``, ``front``, ``zoom``,
  ``recentDocuments``, ``shareMenu``, the speech
  roles (``startSpeaking``, ``stopSpeaking``), the text-substitution roles
  (``toggleSpellChecker``, ``showSubstitutions``, ``toggleSmartQuotes``,
  ``toggleSmartDashes``, ``toggleTextReplacement``) and the window-tab roles
  (``toggleTabBar``, ``selectNextTab``, ``selectPreviousTab``,
  ``showAllTabs``, ``mergeAllWindows``, ``moveTabToNewWindow``). They get no
  default accelerator (the macOS ones, like Command+H, would take a key on
  Linux for nothing); an explicit ``accelerator`` works as on any item.

Roles are matched case-insensitively (``selectall`` is ``selectAll``), as in
Electron.

Roles reach the app through the app session (``_context``), never by
importing the app or BrowserWindow: menus can be built and tested without a
running app, and this module stays below them in main's import graph.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import trio

from ._context import DEFAULT_APP_NAME, DEFAULT_APP_VERSION, RunningApp, current_session

__all__ = [
    "RoleSpec", "lookup_role", "perform_role", "register_edit_target",
    "current_app", "focused_window", "spawn", "EDIT_ROLE_EVENTS", "ROLE_NAMES",
]

log = logging.getLogger("tkelectron.menu")

#: Edit roles -> the Tk virtual event they generate on the focused widget.
EDIT_ROLE_EVENTS: dict[str, str] = {
    "undo": "<<Undo>>", "redo": "<<Redo>>", "cut": "<<Cut>>", "copy": "<<Copy>>",
    "paste": "<<Paste>>", "pasteAndMatchStyle": "<<Paste>>", "delete": "<<Clear>>",
    "selectAll": "<<SelectAll>>",
}

RoleAction = Callable[[Any, Any, Any], None]
_edit_targets: list[Callable[[str], bool]] = []


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """What a role gives an item: label, accelerator, behaviour or submenu."""

    name: str
    label: str | Callable[[], str]
    accelerator: str | None = None
    action: RoleAction | None = None
    submenu: Callable[[], list[dict[str, Any]]] | None = None

    def default_label(self) -> str:
        return self.label() if callable(self.label) else self.label


# -- reaching the app ---------------------------------------------------------

def current_app() -> RunningApp | None:
    """The app (``tkelectron.app``), or None when the app module was never loaded."""
    return current_session().app


def focused_window() -> Any | None:
    """The app's focused BrowserWindow, or None."""
    return current_session().focused_window()


async def _run_logged(fn: Callable[..., Awaitable[Any]], args: tuple[Any, ...], what: str) -> None:
    # A failing handler is the app's bug, not the framework's: report it and
    # keep the app (and its nursery) running, as Electron does for click errors.
    try:
        await fn(*args)
    except Exception:
        log.exception("%s raised", what)


def spawn(fn: Callable[..., Awaitable[Any]], *args: Any, what: str) -> None:
    """Run ``fn(*args)`` as a task: in ``app.nursery`` when the app runs one,
    else as a trio system task. Exceptions are logged, never propagated.

    Must be called from trio context (a task or a ``run_sync_soon`` callback).
    """
    job = functools.partial(_run_logged, fn, args, what)
    nursery = current_session().nursery
    if nursery is not None:
        nursery.start_soon(job)
        return
    try:
        trio.lowlevel.spawn_system_task(job)
    except RuntimeError:
        log.error("cannot run %s: trio is not running", what)  # noqa: TRY400 - the traceback would say no more


# -- behaviours ---------------------------------------------------------------

def register_edit_target(target: Callable[[str], bool]) -> None:
    """Add a way to deliver an edit virtual event (``<<Copy>>``...).

    ``target(event)`` returns True when it delivered the event to a focused
    widget. Registering the same callable twice has no effect.
    """
    if target not in _edit_targets:
        _edit_targets.append(target)


def _edit(virtual_event: str) -> RoleAction:
    def action(item: Any, window: Any, event: Any) -> None:
        for target in _edit_targets:
            if target(virtual_event):
                return
        log.debug("no focused widget for %s", virtual_event)
    return action


def _on_window(method: Callable[[Any], None]) -> RoleAction:
    def action(item: Any, window: Any, event: Any) -> None:
        if window is not None:
            method(window)
    return action


def _quit(item: Any, window: Any, event: Any) -> None:
    app = current_app()
    if app is None:
        log.error("quit role: the app is not available")
        return
    app.quit()


def _clear_recent_documents(item: Any, window: Any, event: Any) -> None:
    # Electron's clearRecentDocuments runs app.clearRecentDocuments(); here
    # that is the desktop's recently-used list (a file of this user's).
    app = current_app()
    clear = getattr(app, "clear_recent_documents", None)
    if not callable(clear):
        log.error("clearRecentDocuments role: the app is not available")
        return
    try:
        clear()
    except (OSError, ValueError) as exc:
        log.error("clearRecentDocuments role: %s", exc)  # noqa: TRY400 - the OS error says it all


def _app_name_version() -> tuple[str, str]:
    app = current_app()
    if app is None:  # menus built before the app module loaded: the app's defaults
        return DEFAULT_APP_NAME, DEFAULT_APP_VERSION
    return str(app.get_name() or DEFAULT_APP_NAME), str(app.get_version() or "")


def _about(item: Any, window: Any, event: Any) -> None:
    from ._dialog import dialog

    name, version = _app_name_version()
    spawn(
        functools.partial(
            dialog.show_message_box, window, type="info", title=f"About {name}",
            message=f"{name} {version}".strip(), buttons=["OK"],
        ),
        what="about dialog",
    )


def _toggle_full_screen(window: Any) -> None:
    if callable(getattr(window, "set_full_screen", None)) and callable(getattr(window, "is_full_screen", None)):
        window.set_full_screen(not window.is_full_screen())
    else:
        log.debug("togglefullscreen: this window cannot go full screen")


#: Electron's zoom roles move the zoom level by half a step; a level is a
#: factor of 1.2 per step (Chromium's zoom scale).
_ZOOM_STEP = 0.5
_ZOOM_BASE = 1.2


def _zoom(change: Callable[[float], float]) -> RoleAction:
    def action(item: Any, window: Any, event: Any) -> None:
        import math

        contents: Any = getattr(window, "web_contents", None) if window is not None else None
        if callable(getattr(contents, "set_zoom_level", None)) and callable(getattr(contents, "get_zoom_level", None)):
            contents.set_zoom_level(change(contents.get_zoom_level()))
        elif callable(getattr(contents, "set_zoom_factor", None)) and callable(getattr(contents, "get_zoom_factor", None)):
            level = math.log(contents.get_zoom_factor(), _ZOOM_BASE)
            contents.set_zoom_factor(_ZOOM_BASE ** change(level))
        else:
            log.debug("zoom role: no window whose page can zoom")
    return action


def _submenu(*roles: str) -> Callable[[], list[dict[str, Any]]]:
    return lambda: [{"type": "separator"} if r == "-" else {"role": r} for r in roles]


_SPECS = [
    RoleSpec("quit", "Quit", "CmdOrCtrl+Q", _quit),
    RoleSpec("close", "Close Window", "CmdOrCtrl+W", _on_window(lambda w: w.close())),
    RoleSpec("minimize", "Minimize", "CmdOrCtrl+M", _on_window(lambda w: w.minimize())),
    RoleSpec("reload", "Reload", "CmdOrCtrl+R", _on_window(lambda w: w.web_contents.reload())),
    RoleSpec("forceReload", "Force Reload", "Shift+CmdOrCtrl+R",
             _on_window(lambda w: w.web_contents.reload_ignoring_cache())),
    # Electron uses Ctrl+Shift+I on Linux/Windows; F12 is the other common
    # binding, which an app can add with a hidden item of its own.
    RoleSpec("toggleDevTools", "Toggle Developer Tools", "Ctrl+Shift+I",
             _on_window(lambda w: w.web_contents.toggle_dev_tools())),
    RoleSpec("togglefullscreen", "Toggle Full Screen", "F11", _on_window(_toggle_full_screen)),
    RoleSpec("resetZoom", "Actual Size", "CmdOrCtrl+0", _zoom(lambda level: 0.0)),
    RoleSpec("zoomIn", "Zoom In", "CmdOrCtrl+Plus", _zoom(lambda level: level + _ZOOM_STEP)),
    RoleSpec("zoomOut", "Zoom Out", "CmdOrCtrl+-", _zoom(lambda level: level - _ZOOM_STEP)),
    RoleSpec("undo", "Undo", "CmdOrCtrl+Z", _edit(EDIT_ROLE_EVENTS["undo"])),
    RoleSpec("redo", "Redo", "Shift+CmdOrCtrl+Z", _edit(EDIT_ROLE_EVENTS["redo"])),
    RoleSpec("cut", "Cut", "CmdOrCtrl+X", _edit(EDIT_ROLE_EVENTS["cut"])),
    RoleSpec("copy", "Copy", "CmdOrCtrl+C", _edit(EDIT_ROLE_EVENTS["copy"])),
    RoleSpec("paste", "Paste", "CmdOrCtrl+V", _edit(EDIT_ROLE_EVENTS["paste"])),
    RoleSpec("pasteAndMatchStyle", "Paste and Match Style", "Shift+CmdOrCtrl+V",
             _edit(EDIT_ROLE_EVENTS["pasteAndMatchStyle"])),
    RoleSpec("delete", "Delete", None, _edit(EDIT_ROLE_EVENTS["delete"])),
    RoleSpec("selectAll", "Select All", "CmdOrCtrl+A", _edit(EDIT_ROLE_EVENTS["selectAll"])),
    RoleSpec("about", lambda: f"About {_app_name_version()[0]}", None, _about),
    # Menu roles: Electron's default submenus on Linux.
    RoleSpec("appMenu", lambda: _app_name_version()[0], submenu=_submenu(
        "about", "-", "services", "-", "hide", "hideOthers", "unhide", "-", "quit")),
    RoleSpec("fileMenu", "File", submenu=_submenu("quit")),
    RoleSpec("editMenu", "Edit", submenu=_submenu(
        "undo", "redo", "-", "cut", "copy", "paste", "delete", "-", "selectAll")),
    RoleSpec("viewMenu", "View", submenu=_submenu(
        "reload", "forceReload", "toggleDevTools", "-", "resetZoom", "zoomIn", "zoomOut", "-",
        "togglefullscreen")),
    RoleSpec("windowMenu", "Window", submenu=_submenu("minimize", "zoom", "close")),
    # No meaning on Linux: Electron's label, no behaviour (the item's click runs).
    RoleSpec("help", "Help"),
    RoleSpec("window", "Window"),
    RoleSpec("services", "Services"),
    RoleSpec("hide", lambda: f"Hide {_app_name_version()[0]}"),
    RoleSpec("hideOthers", "Hide Others"),
    RoleSpec("unhide", "Show All"),
    RoleSpec("front", "Bring All to Front"),
    RoleSpec("zoom", "Zoom"),
    RoleSpec("recentDocuments", "Open Recent"),
    RoleSpec("clearRecentDocuments", "Clear Menu", None, _clear_recent_documents),
    RoleSpec("shareMenu", "Share"),
    RoleSpec("startSpeaking", "Start Speaking"),
    RoleSpec("stopSpeaking", "Stop Speaking"),
    RoleSpec("toggleSpellChecker", "Check Spelling While Typing"),
    RoleSpec("showSubstitutions", "Show Substitutions"),
    RoleSpec("toggleSmartQuotes", "Smart Quotes"),
    RoleSpec("toggleSmartDashes", "Smart Dashes"),
    RoleSpec("toggleTextReplacement", "Text Replacement"),
    RoleSpec("toggleTabBar", "Show Tab Bar"),
    RoleSpec("selectNextTab", "Select Next Tab"),
    RoleSpec("selectPreviousTab", "Select Previous Tab"),
    RoleSpec("showAllTabs", "Show All Tabs"),
    RoleSpec("mergeAllWindows", "Merge All Windows"),
    RoleSpec("moveTabToNewWindow", "Move Tab to New Window"),
]
#: Every role name, in Electron's spelling.
ROLE_NAMES: tuple[str, ...] = tuple(spec.name for spec in _SPECS)
_ROLES: dict[str, RoleSpec] = {spec.name.lower(): spec for spec in _SPECS}


def lookup_role(role: str) -> RoleSpec:
    """The spec of ``role`` (case-insensitive); ValueError naming unknown roles."""
    spec = _ROLES.get(role.lower()) if isinstance(role, str) else None
    if spec is None:
        known = ", ".join(s.name for s in _SPECS)
        raise ValueError(f"unknown menu item role {role!r} (known roles: {known})")
    return spec


def perform_role(spec: RoleSpec, item: Any, window: Any, event: Any) -> bool:
    """Run the role's behaviour; False when the role has none (menu roles and
    the roles with no meaning on Linux): then the item's ``click`` runs."""
    if spec.action is None:
        return False
    spec.action(item, window, event)
    return True
