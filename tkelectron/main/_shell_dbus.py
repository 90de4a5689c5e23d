"""``shell.show_item_in_folder``: the file manager shows a file, selected, in its folder.

Over ``org.freedesktop.FileManager1`` ``ShowItems(uris, startup_id)`` on the
session bus, which Nautilus, Dolphin, Nemo, Caja, Thunar and PCManFM-Qt
implement. Without a session bus or a file manager on it, the folder is
opened with the user's default application instead (``shell.open_path``),
as Electron does on desktops without the interface. A path that does not
exist is a FileNotFoundError, before anything is started.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import trio
from jeepney import DBusAddress

from ._dbus import DesktopServiceError, session_bus

__all__ = ["show_item_in_folder"]

log = logging.getLogger("tkelectron.shell")

FILE_MANAGER = DBusAddress("/org/freedesktop/FileManager1", "org.freedesktop.FileManager1",
                           "org.freedesktop.FileManager1")


async def show_item_in_folder(path: str | os.PathLike[str], open_folder: Callable[[Path], Awaitable[str]]) -> str:
    """Show ``path`` selected in its folder; returns how: ``"file-manager"`` or ``"folder"``.

    Without a file manager on the bus, ``open_folder`` (``shell``'s
    ``_open_path``: an error message or ``""``) opens the folder instead.
    Raises FileNotFoundError for a missing path, and OSError when neither
    the file manager nor the folder's opener could be reached.
    """
    target = Path(os.path.abspath(os.fspath(path)))  # noqa: ASYNC240 - a string operation (and one getcwd)
    if not await trio.Path(target).exists():
        raise FileNotFoundError(f"cannot show {target}: it does not exist")
    try:
        bus = await session_bus()
        await bus.call(FILE_MANAGER, "ShowItems", "ass", ([target.as_uri()], ""))
        return "file-manager"
    except DesktopServiceError as exc:
        log.info("no file manager on the session bus (%s): opening the folder instead", exc)
    error = await open_folder(target.parent)
    if error:
        raise OSError(f"cannot show {target}: {error}")
    return "folder"
