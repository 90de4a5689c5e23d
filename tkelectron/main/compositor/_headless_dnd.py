"""Simulated drag and drop for the headless compositor.

Each method reports, through the surface's ``callbacks.on_input``, the events
the Tk compositor (:mod:`._tk_dnd`) reports for the same real gesture, in the
same order: files dragged in from another application
(:meth:`HeadlessDragDrop.simulate_drop_files`), an in-page drag of a
``draggable`` element (:meth:`HeadlessDragDrop.simulate_drag`), and one that
the app carries out of the window with ``start_drag``
(:meth:`HeadlessDragDrop.simulate_drag_out`; the requests are recorded in
``drags_out``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...common._drag_data import DragData
from .._drag_drop import DragInputEvent, DragItem, FileDrop
from .base import InputEvent

__all__ = ["HeadlessDragDrop"]


class HeadlessDragDrop:
    """Mixed into the headless surface (which provides ``_control`` and ``callbacks``)."""

    callbacks: Any
    _control: Callable[[int], Any]

    def _drag_state(self) -> dict[str, Any]:
        state: dict[str, Any] | None = self.__dict__.get("_dnd")
        if state is None:
            state = self.__dict__["_dnd"] = {"dragging": False, "requests": [], "drags_out": []}
        return state

    @property
    def drags_out(self) -> list[DragItem]:
        """Every ``start_drag`` this window carried out, in order."""
        return list(self._drag_state()["drags_out"])

    def _dnd_emit(self, event: InputEvent) -> None:
        self.callbacks.on_input(event)

    def _draggable(self, node: int) -> bool:
        el = self._control(node)
        while el is not None:
            if str(el.attrs.get("draggable", "")).lower() == "true":
                return True
            el = getattr(el, "parent", None)
        return False

    def simulate_drop_files(self, paths: Sequence[str], node: int, *, over: Sequence[int] = ()) -> None:
        """Drag ``paths`` from another application over ``over`` (nodes, in order), drop them on ``node``."""
        current: int | None = None
        for target in [*over, node]:
            self._control(target)
            if target != current:
                self._dnd_emit(DragInputEvent("dragenter", target, drag=FileDrop()))
                if current is not None:
                    self._dnd_emit(DragInputEvent("dragleave", current, drag=FileDrop()))
                current = target
            self._dnd_emit(DragInputEvent("dragover", target, drag=FileDrop()))
        self._dnd_emit(DragInputEvent("drop", node, drag=FileDrop(tuple(paths))))

    def simulate_drag_files_away(self, node: int) -> None:
        """Drag files from another application over ``node`` and out of the window again."""
        self._control(node)
        self._dnd_emit(DragInputEvent("dragenter", node, drag=FileDrop()))
        self._dnd_emit(DragInputEvent("dragover", node, drag=FileDrop()))
        self._dnd_emit(DragInputEvent("dragleave", node, drag=FileDrop(left=True)))

    def _page(self, kind: str, node: int, left: bool = False) -> None:
        self._dnd_emit(DragInputEvent(kind, node, drag=DragData("page", left=left)))

    def simulate_drag(self, source: int, target: int, *, over: Sequence[int] = ()) -> None:
        """Press on ``source`` (which must be draggable), move over ``over``, release on ``target``."""
        if not self._draggable(source):
            raise ValueError(f"node {source} is not draggable (draggable=\"true\" on it or an ancestor)")
        self._page("dragstart", source)
        current: int | None = None
        for node in [*over, target]:
            self._control(node)
            self._page("drag", source)
            if node != current:
                self._page("dragenter", node)
                if current is not None:
                    self._page("dragleave", current)
                current = node
            self._page("dragover", node)
        self._page("drop", target)
        self._page("dragend", source)

    def simulate_drag_out(self, source: int, over: int, action: str = "copy") -> None:
        """Start an in-page drag on ``source`` over ``over``; if the app calls ``start_drag``
        meanwhile (:meth:`start_drag`), the drag leaves the window and another application
        answers ``action``. Call :meth:`finish_drag_out` once the app had its turn."""
        if not self._draggable(source):
            raise ValueError(f"node {source} is not draggable")
        state = self._drag_state()
        state.update(dragging=True, source=source, over=over, action=action)
        self._page("dragstart", source)
        self._page("drag", source)
        self._page("dragenter", over)
        self._page("dragover", over)

    def finish_drag_out(self) -> bool:
        """End the drag begun by :meth:`simulate_drag_out`: True when it went out as a ``start_drag``."""
        state = self._drag_state()
        if not state["dragging"]:
            raise RuntimeError("no simulated drag is under way")
        state["dragging"] = False
        requests, state["requests"] = state["requests"], []
        if not requests:  # released over the page: an in-page drop
            self._page("drop", state["over"])
            self._page("dragend", state["source"])
            return False
        item, on_end = requests[0]
        self._page("dragleave", state["over"], left=True)
        state["drags_out"].append(item)
        self._page("dragend", state["source"], left=True)
        on_end(state["action"])
        return True

    def start_drag(self, item: DragItem, on_end: Callable[[str], None]) -> bool:
        """The app's ``start_drag``: accepted while a simulated drag is under way."""
        state = self._drag_state()
        if not state["dragging"] or state["requests"]:
            return False
        state["requests"].append((item, on_end))
        return True
