"""Drag and drop in the page: ``DragEvent``, ``DataTransfer`` and the drag's state.

Main reports where the pointer is during a drag (``DomEvent`` with ``drag``
set); this module turns that into the HTML drag-and-drop model:

- ``dragstart`` (on the ``draggable`` source; cancelable: cancelling it
  means there is no drag), ``drag`` (on the source, at each move),
  ``dragenter``/``dragover``/``dragleave`` (on what the pointer is over),
  ``drop`` (where the button is released) and ``dragend`` (on the source,
  with ``data_transfer.drop_effect`` ``"none"`` unless a drop happened).
- As in a browser, ``drop`` fires only where the latest ``dragover`` was
  cancelled (``event.prevent_default()``: "a drop is welcome here");
  otherwise the drag ends with a ``dragleave`` instead. That holds for
  files from other applications too (Electron's pages cancel ``dragover``).
- One :class:`DataTransfer` serves a whole drag. Its modes are the
  browser's: ``set_data`` works in ``dragstart`` only (read/write mode);
  ``get_data`` returns the data in ``dragstart`` and from ``drop`` on, and
  ``""`` in the events between (protected mode) — ``types`` is always
  readable, so a ``dragover`` listener can decide from it. Once dropped, the
  data stays readable (an ``async`` listener runs after the dispatch, even
  after ``dragend``; a browser would protect it again there).
- Files dragged in from another application are ``data_transfer.files``
  in ``drop`` (``types`` is ``["Files"]`` all along): each a
  :class:`~tkelectron.common._drag_data.DroppedFile` with ``name``,
  ``size``, ``type`` and ``last_modified``. No path: the preload asks
  ``web_utils.get_path_for_file(file)`` (main answers), or passes the file to
  main over IPC, which asks ``web_contents.get_path_for_file(file)``.

Main is not trusted to send a consistent sequence either: an event for an
element that is gone, or a drag event out of order, is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..common._drag_data import DragData, DroppedFile
from ._dom_events import Event

if TYPE_CHECKING:
    from ..common._messages import DomEvent
    from ._dom import Document
    from ._dom_element import Element

__all__ = ["DataTransfer", "DragEvent", "File", "handle_drag", "swallowed_by_drag", "DRAG_TYPES"]

#: The DOM's ``File`` for a dropped file (name, size, type, last_modified; no path).
File = DroppedFile

DRAG_TYPES = frozenset({"dragstart", "drag", "dragenter", "dragover", "dragleave", "drop", "dragend"})
#: How much one drag's ``set_data`` may hold (characters, all formats together).
MAX_DATA = 1024 * 1024
_EFFECTS = ("none", "copy", "link", "move")
_ALLOWED = ("none", "copy", "copyLink", "copyMove", "link", "linkMove", "move", "all", "uninitialized")


class DataTransfer:
    """What a drag carries (the DOM's ``DataTransfer``, in snake_case)."""

    def __init__(self, files: list[DroppedFile] | None = None) -> None:
        self._data: dict[str, str] = {}
        self._files = list(files or [])
        self._external = files is not None
        self._mode = "protected"  # read/write (dragstart), read-only (drop) or protected
        self._drop_effect = "none"
        self.effect_allowed = "uninitialized"

    @property
    def types(self) -> list[str]:
        """The formats set with ``set_data``, and ``"Files"`` for a drag of files."""
        return ["Files"] if self._external else list(self._data)

    @property
    def files(self) -> list[DroppedFile]:
        """The dropped files (in ``drop`` only; empty before, as in a browser)."""
        return list(self._files) if self._mode != "protected" else []

    @property
    def items(self) -> list[dict[str, str]]:
        """One ``{"kind", "type"}`` per format or file (what ``DataTransferItemList`` lists)."""
        if self._external:
            return [{"kind": "file", "type": f.type} for f in self._files] if self._mode != "protected" \
                else [{"kind": "file", "type": ""}]
        return [{"kind": "string", "type": t} for t in self._data]

    @property
    def drop_effect(self) -> str:
        return self._drop_effect

    @drop_effect.setter
    def drop_effect(self, value: str) -> None:
        if value in _EFFECTS:  # other values are ignored, as in a browser
            self._drop_effect = value

    def set_data(self, format: str, data: Any) -> None:
        """Store ``data`` (made a string) under ``format``; only while ``dragstart`` runs."""
        if self._mode != "read/write":
            return
        key = _format(format)
        text = str(data)
        if sum(map(len, self._data.values())) - len(self._data.get(key, "")) + len(text) > MAX_DATA:
            raise ValueError(f"data_transfer.set_data: a drag holds at most {MAX_DATA} characters")
        self._data[key] = text

    setData = set_data

    def get_data(self, format: str) -> str:
        """The data stored under ``format``, or ``""`` (always ``""`` outside ``dragstart``/``drop``)."""
        if self._mode == "protected":
            return ""
        key = _format(format)
        if key == "url":
            key = "text/uri-list"
        return self._data.get(key, "")

    getData = get_data

    def clear_data(self, format: str | None = None) -> None:
        if self._mode != "read/write":
            return
        if format is None:
            self._data.clear()
        else:
            self._data.pop(_format(format), None)

    clearData = clear_data

    def set_drag_image(self, image: Any, x: int, y: int) -> None:
        """Accepted for ports; main draws no drag image for an in-page drag."""

    setDragImage = set_drag_image


def _format(format: str) -> str:
    key = str(format).lower()
    return "text/plain" if key == "text" else key


class DragEvent(Event):
    """A drag event: an :class:`Event` with ``data_transfer`` (and the pointer's ``client_x``/``client_y``)."""

    def __init__(self, type: str, data_transfer: DataTransfer, *, bubbles: bool = True, cancelable: bool = True,
                 x: int = 0, y: int = 0) -> None:
        super().__init__(type, bubbles, cancelable, x=x, y=y)
        self.data_transfer = data_transfer
        self.dataTransfer = data_transfer
        self.client_x = x
        self.client_y = y


class _Drag:
    """One drag under way in this document."""

    def __init__(self, transfer: DataTransfer, source: Element | None) -> None:
        self.transfer = transfer
        self.source = source
        self.over: Element | None = None
        self.accepted = False  # the latest dragover was cancelled


#: The drags of the renderer's document (a renderer has one document at a time;
#: Document has fixed slots, so the state lives beside it, replaced with it).
_current: list[tuple[Document, dict[str, _Drag | None]]] = []


def _state(document: Document) -> dict[str, _Drag | None]:
    if not _current or _current[0][0] is not document:
        _current[:] = [(document, {"page": None, "files": None})]
    return _current[0][1]


def _fire(target: Element, drag: _Drag, type: str, ev: DomEvent, *, mode: str = "protected",
          cancelable: bool = True) -> bool:
    transfer = drag.transfer
    if transfer._mode != "read-only":  # once dropped, the data stays readable
        transfer._mode = mode
    try:
        return target.dispatch_event(DragEvent(type, transfer, cancelable=cancelable, x=ev.x, y=ev.y))
    finally:
        # After the drop the drag is over and its data stays readable (an async
        # listener reads it after dispatch, even after dragend); else protected again.
        if transfer._mode != "read-only":
            transfer._mode = "protected"


def _is_draggable(el: Element) -> bool:
    node: Element | None = el
    while node is not None:
        if str(node.get_attribute("draggable") or "").lower() == "true":
            return True
        node = node.parent_element
    return False


#: The pointer's events a browser does not fire while the page drags (from dragstart to dragend).
_SWALLOWED = frozenset({"mousemove", "mouseup", "click", "dblclick", "auxclick", "mouseover", "mouseout"})


def swallowed_by_drag(document: Document, type: str) -> bool:
    """True for a pointer event that comes while an in-page drag is under way (it is not dispatched)."""
    return type in _SWALLOWED and bool(_current) and _current[0][0] is document \
        and _current[0][1]["page"] is not None


def handle_drag(document: Document, target: Element, ev: DomEvent, info: DragData) -> None:
    """Dispatch one drag event from main on ``target``."""
    drags = _state(document)
    drag = drags[info.kind]
    kind = ev.type
    if info.kind == "page" and kind == "dragstart":
        if not _is_draggable(target):
            return
        drag = _Drag(DataTransfer(), target)
        drag.transfer.effect_allowed = "all"
        if _fire(target, drag, "dragstart", ev, mode="read/write"):
            drags["page"] = drag
        else:
            drags["page"] = None  # cancelled: no drag at all
        return
    if info.kind == "files" and drag is None and kind in ("dragenter", "dragover", "drop"):
        drag = drags["files"] = _Drag(DataTransfer([]), None)
    if drag is None:
        return  # no drag under way here (cancelled, or main out of order)
    if kind == "drag" and drag.source is target:
        _fire(target, drag, "drag", ev)
    elif kind == "dragenter":
        drag.over, drag.accepted = target, False
        if not _fire(target, drag, "dragenter", ev):
            drag.accepted = True
    elif kind == "dragover":
        drag.over = target
        drag.transfer._drop_effect = "copy" if info.kind == "files" else "move"
        drag.accepted = not _fire(target, drag, "dragover", ev)
        if not drag.accepted:
            drag.transfer._drop_effect = "none"
    elif kind == "dragleave":
        _fire(target, drag, "dragleave", ev, cancelable=False)
        if drag.over is target:
            drag.over, drag.accepted = None, False
        if info.left and info.kind == "files":
            drags["files"] = None
    elif kind == "drop":
        if info.kind == "files":
            drag.transfer._files = list(info.files)
            drags["files"] = None
        if drag.accepted and drag.over is target:
            _fire(target, drag, "drop", ev, mode="read-only")
        else:
            drag.transfer._drop_effect = "none"
            _fire(target, drag, "dragleave", ev, cancelable=False)
        drag.over = None
    elif kind == "dragend" and drag.source is target:
        drags["page"] = None
        if info.left:
            drag.transfer._drop_effect = "none"
        _fire(target, drag, "dragend", ev, cancelable=False)
