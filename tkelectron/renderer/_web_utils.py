"""``web_utils``: Electron's ``webUtils`` for preload scripts.

``web_utils.get_path_for_file(file)`` (also ``getPathForFile``) is what an
Electron preload calls in its ``drop`` listener: the path of a ``File`` the
user dropped on the page, which the preload then sends to main. The renderer
holds no paths (main keeps them; SECURITY.md, "Drag and drop"), so this asks
main, synchronously as Electron's call is: the renderer waits for main's
answer (one lookup there). Main answers with the path of a file the user
dropped on this window's current page, and ``""`` for any other ``File`` (one
made up, from a page loaded before), as Electron answers ``""`` for a ``File``
that has no path. The path is only a string: the sandbox still keeps the
renderer from opening it.
"""

from __future__ import annotations

from typing import Any

from ..common._drag_data import DroppedFile
from ._ipc_renderer import ipc_renderer

__all__ = ["PATH_CHANNEL", "WebUtils", "web_utils"]

#: main's ``_page_file_paths.PATH_CHANNEL``.
PATH_CHANNEL = "tke:web-utils.path-for-file"
_MAX_ID = 2**53


def _file_id(file: Any) -> int | None:
    """The number main gave ``file`` (a dropped ``File``, or its copy as a dict), or None."""
    number = file.id if isinstance(file, DroppedFile) else file.get("id") if isinstance(file, dict) else None
    if type(number) is not int or not 0 < number < _MAX_ID:
        return None
    return number


class WebUtils:
    """Electron's ``webUtils`` (the renderer's half: ``get_path_for_file``)."""

    def get_path_for_file(self, file: Any) -> str:
        """The path of ``file``, a ``File`` from a ``drop``'s ``data_transfer.files``; ``""`` if it has none.

        A value that is not a ``File`` at all is a TypeError (Electron's is a
        conversion error); one with no valid number gets ``""`` at once. Any
        other number is main's to check: it answers ``""`` for one it did not
        give this window's current page.
        """
        if not isinstance(file, (DroppedFile, dict)):
            raise TypeError(f"get_path_for_file takes a File (from data_transfer.files), not {type(file).__name__}")
        number = _file_id(file)
        if number is None:
            return ""
        path = ipc_renderer._send_sync(PATH_CHANNEL, [number])
        return path if isinstance(path, str) else ""

    getPathForFile = get_path_for_file


web_utils = WebUtils()
