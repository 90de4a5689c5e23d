"""Drag and drop in main: the files dropped into a window, and dragging a file out.

**Files in.** When the user drops files from another application on a window,
the compositor hands main their paths (:class:`FileDrop`). Main describes each
file to the page (:class:`~tkelectron.common._drag_data.DroppedFile`: name,
size, MIME type, modification time) and keeps the path itself in the window's
:class:`DroppedFiles`, under a number the description carries. The renderer
never learns a path, and being sandboxed it could not open one anyway. The
app's main-process code gets the path back with
``web_contents.get_path_for_file(file)`` (Electron's
``webUtils.getPathForFile``), passing the ``File`` the page sent it over IPC:
main answers only for a file the user dropped into *that* window's current
page; for anything else (a number another window got, one made up by a
compromised renderer, a page loaded since) the answer is ``""``, as Electron's
is for a ``File`` with no path. The preload's ``web_utils.get_path_for_file(file)`` gets the same answer over
a framework sync channel (``_page_file_paths``). The user's drop is the grant, as a choice in a
file dialog is; what the app then reads is the app's decision.

What another X client announces is not trusted either: only absolute local
paths (``file:`` URIs, already decoded by tkdnd) of at most 4,096 bytes with no
NUL are kept; at most :data:`~tkelectron.common._drag_data.MAX_DROP_FILES`
files a drop and :data:`MAX_REMEMBERED` a page are remembered, the oldest
forgotten first.

**A file out.** ``web_contents.start_drag({"file": path, "icon": png})``
(Electron's ``startDrag``) checks its item here (:func:`parse_drag_item`) and
asks the compositor to carry the drag on from the user's in-page drag.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common._drag_data import MAX_DROP_FILES, MAX_NAME, DragData, DroppedFile
from .compositor.base import InputEvent

__all__ = [
    "MAX_ICON_BYTES", "MAX_REMEMBERED", "DragInputEvent", "DragItem", "DroppedFiles", "FileDrop",
    "drag_for_page", "get_path_for_file", "parse_drag_item", "start_drag",
]

log = logging.getLogger("tkelectron")

#: Dropped files a page's window remembers (for ``get_path_for_file``).
MAX_REMEMBERED = 10_000
#: The longest path kept (Linux's PATH_MAX).
_MAX_PATH = 4096
#: An icon for ``start_drag``: at most this many bytes and 256 x 256 pixels.
MAX_ICON_BYTES = 1024 * 1024
_MAX_ICON_SIDE = 256


@dataclass(frozen=True, slots=True)
class FileDrop:
    """What the compositor saw of a drag from another application (main-only: it holds paths).

    ``paths`` is set on ``drop`` only; ``left`` when the pointer left the window.
    """

    paths: tuple[str, ...] = ()
    left: bool = False


@dataclass(frozen=True, slots=True)
class DragInputEvent(InputEvent):
    """An :class:`InputEvent` of a drag: ``drag`` is an in-page drag's
    :class:`DragData`, or a :class:`FileDrop` from another application."""

    drag: DragData | FileDrop | None = None


def _valid_path(path: Any) -> str | None:
    if not isinstance(path, str) or not path.startswith("/") or "\x00" in path:
        return None
    if len(path.encode("utf-8", "surrogateescape")) > _MAX_PATH:
        return None
    return path


def _describe(number: int, path: str) -> DroppedFile:
    name = os.path.basename(path.rstrip("/")) or "/"
    try:
        st = os.stat(path)
    except OSError:
        return DroppedFile(number, name[:MAX_NAME])
    folder = stat.S_ISDIR(st.st_mode)
    guessed = "" if folder else (mimetypes.guess_type(name, strict=False)[0] or "")
    return DroppedFile(number, name[:MAX_NAME], 0 if folder else st.st_size, guessed, int(st.st_mtime * 1000))


class DroppedFiles:
    """The paths dropped into one window's current page, by the number each ``File`` carries."""

    def __init__(self) -> None:
        self._paths: OrderedDict[int, str] = OrderedDict()
        self._next = 1

    def clear(self) -> None:
        """A new page: nothing dropped before is its to ask about."""
        self._paths.clear()

    def to_wire(self, drop: FileDrop | DragData) -> DragData:
        """The page's view of ``drop``: paths replaced by descriptions (remembered here)."""
        if isinstance(drop, DragData):
            return drop  # an in-page drag: nothing to hide
        given = list(drop.paths)
        kept = [p for p in (_valid_path(p) for p in given[:MAX_DROP_FILES]) if p is not None]
        if len(given) > len(kept):
            log.warning("a drop of %d files: %d passed on (at most %d, absolute local paths only)",
                        len(given), len(kept), MAX_DROP_FILES)
        files = []
        for path in kept:
            number, self._next = self._next, self._next + 1
            self._paths[number] = path
            files.append(_describe(number, path))
        while len(self._paths) > MAX_REMEMBERED:
            self._paths.popitem(last=False)
        return DragData("files", files, drop.left)

    def path_for(self, file: Any) -> str:
        """The path of a ``File`` (as it arrived from the renderer: a dict, or the struct); "" if none."""
        if isinstance(file, DroppedFile):
            number: Any = file.id
        elif isinstance(file, dict):
            number = file.get("id")
        else:
            number = getattr(file, "id", None)
        if type(number) is not int:
            return ""
        return self._paths.get(number, "")


@dataclass(frozen=True, slots=True)
class DragItem:
    """A checked ``start_drag`` item: absolute paths that exist, and PNG data for the icon (or None)."""

    files: tuple[str, ...]
    icon: bytes | None


def _read_icon(icon: Any) -> bytes | None:
    from .compositor._tk_images import image_size

    if icon is None:
        return None
    if isinstance(icon, (bytes, bytearray)):
        data = bytes(icon)
    elif isinstance(icon, (str, os.PathLike)):
        try:
            with open(icon, "rb") as f:
                data = f.read(MAX_ICON_BYTES + 1)
        except OSError as exc:
            raise ValueError(f"start_drag: cannot read the icon {str(icon)!r}: {exc.strerror or exc}") from None
    else:
        raise TypeError(f"start_drag: 'icon' must be a PNG file's path or PNG bytes, not {type(icon).__name__}")
    if len(data) > MAX_ICON_BYTES:
        raise ValueError(f"start_drag: the icon is over {MAX_ICON_BYTES} bytes")
    size = image_size(data)
    if size is None or data[:4] != b"\x89PNG":
        raise ValueError("start_drag: the icon is not a PNG image")
    if max(size) > _MAX_ICON_SIDE or min(size) < 1:
        raise ValueError(f"start_drag: the icon is {size[0]} x {size[1]} pixels (at most {_MAX_ICON_SIDE} a side)")
    return data


def parse_drag_item(item: Any) -> DragItem:
    """Electron's ``startDrag`` item: ``{"file": path}`` or ``{"files": [paths]}``, and ``"icon"``.

    Paths are the app's (main is trusted; a path a page named is the app's to
    check first): each must exist; at most ``MAX_DROP_FILES``. A wrong item is
    a clear ``TypeError``/``ValueError``/``FileNotFoundError``.
    """
    if not isinstance(item, dict):
        raise TypeError(f"start_drag takes a dict like {{'file': path, 'icon': png}}, not {type(item).__name__}")
    unknown = set(item) - {"file", "files", "icon"}
    if unknown:
        raise TypeError(f"start_drag: unknown key(s) {sorted(unknown)} (expected 'file' or 'files', and 'icon')")
    if ("file" in item) == ("files" in item):
        raise TypeError("start_drag: give exactly one of 'file' and 'files'")
    given = [item["file"]] if "file" in item else item["files"]
    if not isinstance(given, (list, tuple)) or not given:
        raise TypeError("start_drag: 'files' must be a non-empty list of paths")
    if len(given) > MAX_DROP_FILES:
        raise ValueError(f"start_drag: {len(given)} files (at most {MAX_DROP_FILES})")
    files = []
    for path in given:
        if not isinstance(path, (str, os.PathLike)) or not str(path):
            raise TypeError(f"start_drag: a file must be a path, not {path!r}")
        resolved = Path(path).absolute()
        if "\x00" in str(resolved) or not resolved.exists():
            raise FileNotFoundError(f"start_drag: no file at {str(path)!r}")
        files.append(str(resolved))
    return DragItem(tuple(files), _read_icon(item.get("icon")))


# -- what WebContents delegates to -------------------------------------------------------

#: Each web contents' dropped files, with the renderer (its pid) they were dropped on.
_registries: weakref.WeakKeyDictionary[Any, tuple[int, DroppedFiles]] = weakref.WeakKeyDictionary()


def _dropped_files(web_contents: Any) -> DroppedFiles:
    """The files dropped on ``web_contents``' current page (a new page starts with none)."""
    pid = int(web_contents.get_os_process_id())
    entry = _registries.get(web_contents)
    if entry is None or entry[0] != pid:
        entry = _registries[web_contents] = (pid, DroppedFiles())
    return entry[1]


def drag_for_page(web_contents: Any, event: Any) -> DragData | None:
    """The ``drag`` field of the DomEvent for compositor event ``event`` (paths kept here)."""
    drag = getattr(event, "drag", None)
    if drag is None:
        return None
    return _dropped_files(web_contents).to_wire(drag)


def get_path_for_file(web_contents: Any, file: Any) -> str:
    """Electron's ``webUtils.getPathForFile``, asked of the window the file was dropped on."""
    return _dropped_files(web_contents).path_for(file)


def start_drag(web_contents: Any, item: Any) -> None:
    """Electron's ``webContents.startDrag(item)``: drag the item's files out of the window.

    Call it while the user drags in the page (from the page's ``dragstart``,
    over IPC, as Electron's example does); the in-page drag becomes a drag
    to other applications. With no drag under way it does nothing but log.
    ``web_contents`` emits ``drag-end`` with the receiver's action
    (``copy``/``move``/``link``, ``refuse_drop`` when none took it).
    """
    checked = parse_drag_item(item)
    window = web_contents._window
    surface = None if window.is_destroyed() else window._surface
    begin = getattr(surface, "start_drag", None)
    if begin is None:
        log.warning("start_drag: this compositor cannot drag files to other applications")
        return
    if not begin(checked, lambda action: web_contents.emit("drag-end", action)):
        log.warning("start_drag: window %d has no drag under way (call it from the page's dragstart)", window.id)
