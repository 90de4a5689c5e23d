"""DOM events: :class:`Event` and the :class:`EventTarget` every node inherits.

Dispatch has two phases, as the page needs them: the target's own listeners,
then (when the event bubbles) each ancestor's, up to the document and past it
to whatever the document names as the next target (the page's ``window``).
There is no capture phase.

A listener is a plain function or an ``async def``. A plain one runs inline;
an async one is started with the document's ``spawn`` callable (the renderer
passes a trio nursery's ``start_soon``), so it runs as a task of the
renderer's loop and can ``await`` IPC. A listener that raises never stops the
others: its exception goes to the document's ``report_error`` (the renderer
prints it as a console error). That holds for async listeners too, whose
exceptions are caught inside their task.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Awaitable, Callable

if TYPE_CHECKING:
    from ._dom import Document

__all__ = ["Event", "EventTarget", "Listener"]

Listener = Callable[["Event"], Any]


class Event:
    """A DOM event. ``key``, ``x`` and ``y`` are set for user input."""

    def __init__(
        self,
        type: str,
        bubbles: bool = True,
        cancelable: bool = True,
        *,
        detail: Any = None,
        key: str | None = None,
        x: int = 0,
        y: int = 0,
    ) -> None:
        self.type = type
        self.bubbles = bubbles
        self.cancelable = cancelable
        self.detail = detail
        self.key = key
        self.x = x
        self.y = y
        self.target: EventTarget | None = None
        self.current_target: EventTarget | None = None
        self._canceled = False
        self._stop = False
        self._stop_now = False
        self._dispatching = False

    @property
    def default_prevented(self) -> bool:
        return self._canceled

    def prevent_default(self) -> None:
        """Cancel the default action (no effect when not ``cancelable``)."""
        if self.cancelable:
            self._canceled = True

    def stop_propagation(self) -> None:
        """Run no listeners on later targets (the current one finishes)."""
        self._stop = True

    def stop_immediate_propagation(self) -> None:
        """Run no further listeners at all, not even on the current target."""
        self._stop = True
        self._stop_now = True

    def __repr__(self) -> str:
        return f"<Event {self.type}>"


class _Entry:
    __slots__ = ("fn", "once", "removed")

    def __init__(self, fn: Listener, once: bool) -> None:
        self.fn = fn
        self.once = once
        self.removed = False


async def _run_async(fn: Callable[..., Awaitable[Any]], arg: Any, report: Callable[[BaseException], None]) -> None:
    try:
        await fn(arg)
    except Exception as exc:  # a failing listener is reported, never fatal
        report(exc)


async def _await(awaitable: Awaitable[Any], report: Callable[[BaseException], None]) -> None:
    try:
        await awaitable
    except Exception as exc:
        report(exc)


class EventTarget:
    """Something listeners can be added to and events dispatched on."""

    __slots__ = ("_listeners",)

    def __init__(self) -> None:
        self._listeners: dict[str, list[_Entry]] | None = None

    # Subclasses say where an event goes next and which document runs listeners.
    def _event_parent(self) -> EventTarget | None:
        return None

    def _event_document(self) -> Document:
        raise NotImplementedError

    def add_event_listener(self, type: str, listener: Listener, *, once: bool = False) -> None:
        """Call ``listener(event)`` for events of ``type``; adding it twice is a no-op."""
        if not callable(listener):
            raise TypeError("an event listener must be callable")
        if self._listeners is None:
            self._listeners = {}
        entries = self._listeners.setdefault(type, [])
        if not any(e.fn == listener for e in entries):
            entries.append(_Entry(listener, once))

    def remove_event_listener(self, type: str, listener: Listener) -> None:
        """Stop calling ``listener`` for ``type``; unknown listeners are ignored."""
        entries = self._listeners.get(type) if self._listeners else None
        if not entries:
            return
        for entry in entries:
            if entry.fn == listener:
                entry.removed = True
                entries.remove(entry)
                return

    def dispatch_event(self, event: Event) -> bool:
        """Dispatch ``event`` here; False when a listener prevented its default."""
        if event._dispatching:
            raise RuntimeError(f"{event!r} is already being dispatched")
        document = self._event_document()
        path: list[EventTarget] = [self]
        nxt = self._event_parent()
        while nxt is not None and event.bubbles:
            path.append(nxt)
            nxt = nxt._event_parent()
        event.target = self
        event._dispatching = True
        try:
            for current in path:
                current._invoke_listeners(event, document)
                if event._stop:
                    break
        finally:
            event._dispatching = False
            event.current_target = None
        return not event._canceled

    def _invoke_listeners(self, event: Event, document: Document) -> None:
        entries = self._listeners.get(event.type) if self._listeners else None
        if not entries:
            return
        event.current_target = self
        for entry in list(entries):  # listeners added during dispatch wait for the next event
            if entry.removed:
                continue
            if event._stop_now:
                break
            if entry.once:
                self.remove_event_listener(event.type, entry.fn)
            _call(entry.fn, event, document)


def _call(fn: Listener, event: Event, document: Document) -> None:
    report = document._report_error
    try:
        if inspect.iscoroutinefunction(fn):
            document._spawn(_run_async, fn, event, report)
            return
        result = fn(event)
        if inspect.isawaitable(result):
            document._spawn(_await, result, report)
    except Exception as exc:
        report(exc)
