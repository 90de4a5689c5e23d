"""What a drag carries from main to a renderer (inside a ``DomEvent``).

Two kinds of drags reach a page:

- ``files``: the user drags files from another application (XDND) over the
  window. Every event says so (``types`` is ``["Files"]``); only ``drop``
  lists the files, each as a :class:`DroppedFile` — its name, size, type and
  modification time, and an ``id`` that main gave it. The path never crosses:
  main keeps it, per window, and hands it to the app's main-process code that
  asks with the file (``web_contents.get_path_for_file(file)``), or to the
  preload's ``web_utils.get_path_for_file(file)``.
- ``page``: the user drags a ``draggable`` element of the page itself. The
  data the page puts in ``data_transfer.set_data`` stays in the renderer;
  main only reports the pointer (which element it is over), so the event
  carries no data at all.

Both are bounded by main before they are sent: at most :data:`MAX_DROP_FILES`
files, each name at most :data:`MAX_NAME` characters.
"""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = ["DragData", "DroppedFile", "MAX_DROP_FILES", "MAX_NAME"]

#: Files one drop may list; past it the rest are left out (and main logs how many).
MAX_DROP_FILES = 1000
#: Characters of a file's name (a Linux name is at most 255 bytes).
MAX_NAME = 255


class DroppedFile(msgspec.Struct, array_like=True, frozen=True):
    """One dropped file as the page sees it (the DOM's ``File``).

    ``size`` is in bytes, ``last_modified`` in milliseconds since the epoch,
    ``type`` a MIME type guessed from the name ("" when unknown, and for a
    folder). ``id`` names the file in main's list of what was dropped into
    this window; it is not a capability by itself (main checks the window).
    """

    id: int
    name: str
    size: int = 0
    type: str = ""
    last_modified: int = 0


class DragData(msgspec.Struct, array_like=True, frozen=True):
    """The drag a ``dragenter``/``dragover``/``dragleave``/``drop``/``drag*`` event belongs to."""

    kind: Literal["files", "page"]
    files: list[DroppedFile] = []
    #: The pointer left the window (or the drag ended there without a drop).
    left: bool = False
