"""tkelectron: Electron's process model and IPC for Python desktop apps on Tk.

This module is the main process's public API; it only re-exports. Preload
scripts import from :mod:`tkelectron.renderer` instead.
"""

from __future__ import annotations

from .common._errors import DataCloneError, IpcRemoteError, RendererGoneError
from .main._app import app
from .main._browser_window import BrowserWindow
from .main._dialog import dialog
from .main._ipc_main import ipc_main
from .main._menu import Menu, MenuItem
from .main._ports import MessageChannelMain, MessagePortMain
from .main.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = [
    "BrowserWindow",
    "DataCloneError",
    "IpcRemoteError",
    "Menu",
    "MenuItem",
    "MessageChannelMain",
    "MessagePortMain",
    "RendererGoneError",
    "app",
    "dialog",
    "hookimpl",
    "ipc_main",
]
