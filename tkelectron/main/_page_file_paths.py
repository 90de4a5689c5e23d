"""The preload's ``web_utils.get_path_for_file(file)``: a dropped file's path, asked of main.

Electron's preload calls ``webUtils.getPathForFile(file)`` in its ``drop``
listener and sends the path to main. Here the renderer never holds a path
(main keeps them, ``_drag_drop``), so the renderer's ``web_utils`` asks main
over the framework sync channel ``tke:web-utils.path-for-file`` ``[id]``, the
number the ``File`` carries, and main answers with what
``web_contents.get_path_for_file`` answers: the path of a file the user
dropped on this window's current page, ``""`` for any other number.

The request is hostile input: anything but one integer in ``1 .. 2**53`` is an
``ipc-violation``. Answering costs one dict lookup, so a renderer asking
often costs main no more than any other message.
"""

from __future__ import annotations

from typing import Any

from ._drag_drop import get_path_for_file
from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation

__all__ = ["CHANNELS", "PATH_CHANNEL"]

PATH_CHANNEL = "tke:web-utils.path-for-file"
#: File numbers main gives count up from 1 and stay below JavaScript's safe integers.
_MAX_ID = 2**53


def _check(wc: Any, args: list[Any]) -> None:
    if len(args) != 1 or type(args[0]) is not int or not 0 < args[0] < _MAX_ID:
        raise IpcViolation(f"{PATH_CHANNEL} takes [file id] (one positive integer)")


def _path_for_file(event: Any, number: int) -> str:
    return get_path_for_file(event.sender, {"id": number})


CHANNELS = {PATH_CHANNEL: InternalChannel(_check, _path_for_file, sync=True)}
