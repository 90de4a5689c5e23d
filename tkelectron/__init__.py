"""tkelectron: Electron's process model and IPC for Python desktop apps on Tk.

This module is the main process's public API; it only re-exports. Preload
scripts import from :mod:`tkelectron.renderer` instead.

Names are loaded on first use (PEP 562), so a renderer process — which
imports ``tkelectron.renderer`` and therefore this package — never pays for
the main process's modules before it locks itself down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "BrowserWindow": ".main._browser_window",
    "DataCloneError": ".common._errors",
    "IpcRemoteError": ".common._errors",
    "IpcValidationError": ".common._errors",
    "Menu": ".main._menu",
    "MenuItem": ".main._menu",
    "MessageChannelMain": ".main._ports",
    "MessagePortMain": ".main._ports",
    "Notification": ".main._notification",
    "RendererGoneError": ".common._errors",
    "SandboxUnavailableError": ".main._browser_window",
    "Tray": ".main._tray",
    "app": ".main._app",
    "clipboard": ".main._clipboard",
    "dialog": ".main._dialog",
    "global_shortcut": ".main._global_shortcut",
    "native_theme": ".main._native_theme",
    "hookimpl": ".main.hookspecs",
    "ipc_main": ".main._ipc_main",
    "screen": ".main._screen",
    "session": ".main._session",
    "shell": ".main._shell",
}

# Literal, so type checkers and IDEs read the public names (they match _EXPORTS).
__all__ = [
    "BrowserWindow",
    "DataCloneError",
    "IpcRemoteError",
    "IpcValidationError",
    "Menu",
    "MenuItem",
    "MessageChannelMain",
    "MessagePortMain",
    "Notification",
    "RendererGoneError",
    "SandboxUnavailableError",
    "Tray",
    "app",
    "clipboard",
    "dialog",
    "global_shortcut",
    "hookimpl",
    "ipc_main",
    "native_theme",
    "screen",
    "session",
    "shell",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)


if TYPE_CHECKING:
    from .common._errors import DataCloneError as DataCloneError
    from .common._errors import IpcRemoteError as IpcRemoteError
    from .common._errors import IpcValidationError as IpcValidationError
    from .common._errors import RendererGoneError as RendererGoneError
    from .main._app import app as app
    from .main._browser_window import BrowserWindow as BrowserWindow
    from .main._browser_window import SandboxUnavailableError as SandboxUnavailableError
    from .main._clipboard import clipboard as clipboard
    from .main._dialog import dialog as dialog
    from .main._global_shortcut import global_shortcut as global_shortcut
    from .main._ipc_main import ipc_main as ipc_main
    from .main._menu import Menu as Menu
    from .main._menu import MenuItem as MenuItem
    from .main._native_theme import native_theme as native_theme
    from .main._notification import Notification as Notification
    from .main._ports import MessageChannelMain as MessageChannelMain
    from .main._ports import MessagePortMain as MessagePortMain
    from .main._screen import screen as screen
    from .main._session import session as session
    from .main._shell import shell as shell
    from .main._tray import Tray as Tray
    from .main.hookspecs import hookimpl as hookimpl
