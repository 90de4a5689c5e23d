"""The hooks a tkelectron plugin can implement (project name ``tkelectron``).

An app is a plugin too: its ``main.py`` implements some of these. Mark
implementations with ``tkelectron.hookimpl``. Any implementation may be
``async def``; the app runs it as a task in its nursery (for ``firstresult``
hooks the answer is awaited). Plugins installed as packages are found through
the ``tkelectron`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Literal

import pluggy

if TYPE_CHECKING:  # the types only: this module is imported before any of them
    from ._app import App
    from ._browser_window import BrowserWindow
    from ._dialog import DialogAnswer
    from ._ipc_main import IpcMainEvent, IpcMainInvokeEvent
    from ._renderer_supervisor import RenderProcessGoneDetails
    from ._web_contents import WebContents

__all__ = ["hookspec", "hookimpl"]

hookspec = pluggy.HookspecMarker("tkelectron")
hookimpl = pluggy.HookimplMarker("tkelectron")


@hookspec
def tkelectron_configure(app: App) -> Awaitable[None] | None:
    """Called before the app is ready: set names, options, listeners.

    No window can be opened yet; register ``app.on(...)`` listeners and
    ``ipc_main`` handlers here or in ``tkelectron_ready``.
    """


@hookspec
def tkelectron_ready(app: App) -> Awaitable[None] | None:
    """Called once the app is ready (Electron's ``ready``).

    Register channel handlers and open windows here.
    """


@hookspec
def tkelectron_menu_template(app: App) -> list[dict[str, Any]] | None:
    """Return top-level menu item dicts to add to the application menu.

    Contributions from every plugin are merged by top-level ``label``: items of
    menus that share a label are concatenated, in the order pluggy calls the
    plugins — the built-in default menu (File, Edit, View, Window) first, then
    the most recently registered plugin first (the app before installed
    plugins). Called once, when the app becomes ready, unless the app set a
    menu itself with ``Menu.set_application_menu``.
    """


@hookspec
def tkelectron_window_created(window: BrowserWindow) -> Awaitable[None] | None:
    """A BrowserWindow was created (before its page loads)."""


@hookspec
def tkelectron_window_closed(window: BrowserWindow) -> Awaitable[None] | None:
    """A BrowserWindow was closed and its renderer stopped."""


@hookspec
def tkelectron_renderer_gone(window: BrowserWindow, details: RenderProcessGoneDetails) -> Awaitable[None] | None:
    """A window's renderer died unexpectedly; ``details.reason``, ``details.exit_code``."""


@hookspec(firstresult=True)
def tkelectron_dialog(
    kind: Literal["open", "save", "message", "error"], window: BrowserWindow | None, options: dict[str, Any]
) -> DialogAnswer | Awaitable[DialogAnswer] | None:
    """Answer a dialog instead of showing it (tests, automation, policy).

    ``kind`` is ``open``, ``save``, ``message`` or ``error``. Return None to let
    the native dialog show, or the answer (:data:`~tkelectron.main._dialog.DialogAnswer`):
    a result object of the dialog module, or a dict with Electron's keys
    (``canceled``, ``file_paths``/``file_path``, ``response``).
    """


@hookspec
def tkelectron_before_quit(app: App) -> Awaitable[None] | None:
    """The app is about to quit (after ``before-quit`` was not prevented)."""


@hookspec(firstresult=True)
def tkelectron_open_dev_tools(web_contents: WebContents) -> bool | None:
    """Open developer tools for ``web_contents``; return True if you did."""


@hookspec
def tkelectron_close_dev_tools(web_contents: WebContents) -> Awaitable[None] | None:
    """Close the developer tools opened for ``web_contents``."""


@hookspec(firstresult=True)
def tkelectron_validate_ipc(event: IpcMainEvent | IpcMainInvokeEvent, channel: str) -> bool | None:
    """Return False to refuse a message from a renderer on ``channel``.

    Called in main for every send, send_sync and invoke before any listener
    or handler runs; ``event.sender`` is the WebContents. A refused message
    fails at the caller with a clear error and is logged. Return None to
    have no opinion.
    """
