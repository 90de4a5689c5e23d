"""DOM events: :class:`Event` and the :class:`EventTarget` every node inherits.

Dispatch follows the DOM standard's three phases. The *path* runs from the
target up through its ancestors, the document and past it to whatever the
document names as the next target (the page's ``window``):

1. **capture** (``event_phase == Event.CAPTURING_PHASE``): the capture
   listeners of every target on the path from the window down to the
   target's parent;
2. **at target** (``Event.AT_TARGET``): the target's capture listeners, then
   its other listeners (the order browsers use since Chrome 89);
3. **bubble** (``Event.BUBBLING_PHASE``), only when the event ``bubbles``:
   the non-capture listeners of each ancestor, upwards.

A non-bubbling event (``focus``) still has a capture phase, as in browsers.
``stop_propagation()`` lets the current target's remaining listeners of this
pass run and stops everything after it, across phases (a capture listener
on ``window`` that stops a click keeps it from the target);
``stop_immediate_propagation()`` stops at once.

A listener is identified by (type, function, capture), as in the DOM: the same
function added with ``capture=True`` and without is two listeners, adding
one twice is a no-op, and ``remove_event_listener`` matches on ``capture``
too (not on ``once`` or ``passive``). Options come as in the DOM's
``addEventListener`` — a bool (``capture``) or a dict ``{"capture", "once",
"passive"}`` — or as keyword arguments. ``once`` removes the listener before
its first call. In a ``passive`` listener ``prevent_default()`` does nothing,
as in browsers; like Chrome, ``wheel``, ``mousewheel``, ``touchstart`` and
``touchmove`` listeners on the window, the document and the body are passive
unless ``passive=False`` is given.

A listener is a plain function or an ``async def``. A plain one runs inline;
an async one is started with the document's ``spawn`` callable (the renderer
passes a trio nursery's ``start_soon``), so it runs as a task of the
renderer's loop and can ``await`` IPC — by then the dispatch is over, so
``prevent_default()`` or ``stop_propagation()`` after its first ``await`` come
too late, as in a browser. A listener that raises never stops the others:
its exception goes to the document's ``report_error`` (the renderer prints it
as a console error). That holds for async listeners too, whose exceptions are
caught inside their task.

``on<event>`` properties (``el.onclick = fn``) live in :mod:`._dom_handlers`;
they are entries of the same listener lists, flagged as handlers.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from ..common._user_errors import did_you_mean

if TYPE_CHECKING:
    from ._dom import Document

__all__ = ["Event", "EventTarget", "Listener", "ListenerOptions"]

Listener = Callable[["Event"], Any]
#: What ``add_event_listener``'s third argument may be: ``capture`` as a bool, or a dict of options.
ListenerOptions = bool | Mapping[str, Any] | None

_OPTIONS = ("capture", "once", "passive")

#: Told ``(type, +1)`` when a listener is added anywhere and ``(type, -1)`` when
#: one is removed (the renderer's ``_input_listeners`` tells main which input
#: kinds the page listens for); None: nobody asks.
listener_watch: Callable[[str, int], None] | None = None


def watched(type: str, delta: int) -> None:
    """Report a listener of ``type`` added (+1) or removed (-1) to :data:`listener_watch`."""
    if listener_watch is not None:
        listener_watch(type, delta)
#: Chrome's intervention: these listeners on window, document and body are passive by default.
_PASSIVE_BY_DEFAULT = frozenset({"wheel", "mousewheel", "touchstart", "touchmove"})


class Event:
    """A DOM event. ``key``, ``x`` and ``y`` are set for user input.

    ``event_phase`` is one of :attr:`NONE`, :attr:`CAPTURING_PHASE`,
    :attr:`AT_TARGET`, :attr:`BUBBLING_PHASE`; ``current_target`` is the
    target whose listeners run now (both are reset when dispatch ends, while
    ``target`` stays).
    """

    NONE: ClassVar[int] = 0
    CAPTURING_PHASE: ClassVar[int] = 1
    AT_TARGET: ClassVar[int] = 2
    BUBBLING_PHASE: ClassVar[int] = 3

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
        self.event_phase = Event.NONE
        self._canceled = False
        self._stop = False
        self._stop_now = False
        self._dispatching = False
        self._in_passive = False
        self._path: list[EventTarget] = []

    @property
    def default_prevented(self) -> bool:
        return self._canceled

    def prevent_default(self) -> None:
        """Cancel the default action (no effect when not ``cancelable``, or inside a passive listener)."""
        if self.cancelable and not self._in_passive:
            self._canceled = True

    def stop_propagation(self) -> None:
        """Run no listeners on later targets (the current one finishes)."""
        self._stop = True

    def stop_immediate_propagation(self) -> None:
        """Run no further listeners at all, not even on the current target."""
        self._stop = True
        self._stop_now = True

    def composed_path(self) -> list[EventTarget]:
        """The targets the event travels through, target first (empty outside dispatch)."""
        return list(self._path)

    def __repr__(self) -> str:
        return f"<Event {self.type}>"


class _Entry:
    __slots__ = ("capture", "fn", "handler", "is_async", "once", "passive", "removed")

    def __init__(self, fn: Listener, capture: bool, once: bool, passive: bool, handler: bool = False) -> None:
        self.fn = fn
        #: Asked once here, not on every event (``inspect`` takes microseconds).
        self.is_async = inspect.iscoroutinefunction(fn)
        self.capture = capture
        self.once = once
        self.passive = passive
        #: An ``on<event>`` property's entry: remove_event_listener never matches it.
        self.handler = handler
        self.removed = False


def _flatten(options: ListenerOptions, **flags: bool | None) -> dict[str, bool]:
    """The listener options as a dict: the third argument, then the keywords (which win)."""
    out: dict[str, bool] = {}
    if isinstance(options, bool):
        out["capture"] = options
    elif isinstance(options, Mapping):
        for name, value in options.items():
            if name not in _OPTIONS:
                if name == "signal":
                    raise TypeError("the 'signal' option is not supported (tkelectron has no AbortSignal): "
                                    "call remove_event_listener instead")
                raise TypeError(f"unknown event listener option {name!r}{did_you_mean(str(name), _OPTIONS)}; "
                                f"the options are {', '.join(_OPTIONS)}")
            out[name] = bool(value)
    elif options is not None:
        raise TypeError(f"event listener options must be a bool (capture) or a dict, not {type(options).__name__}")
    out.update({name: bool(value) for name, value in flags.items() if value is not None})
    return out


async def _run_async(fn: Callable[..., Awaitable[Any]], arg: Any, report: Callable[[BaseException], None]) -> None:
    try:
        await fn(arg)
    except Exception as exc:  # noqa: BLE001 - a failing listener is reported, never fatal
        report(exc)


async def _await(awaitable: Awaitable[Any], report: Callable[[BaseException], None]) -> None:
    try:
        await awaitable
    except Exception as exc:  # noqa: BLE001 - as above: reported, never fatal
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

    def add_event_listener(
        self,
        type: str,
        listener: Listener | None,
        options: ListenerOptions = None,
        *,
        capture: bool | None = None,
        once: bool | None = None,
        passive: bool | None = None,
    ) -> None:
        """Call ``listener(event)`` for events of ``type``.

        ``options`` is ``capture`` as a bool or a dict of ``capture``, ``once``
        and ``passive`` (the keywords say the same). Adding a listener that is
        already there with the same ``capture`` is a no-op; ``None`` adds nothing.
        """
        if listener is None:
            return
        if not callable(listener):
            raise TypeError("an event listener must be callable")
        flags = _flatten(options, capture=capture, once=once, passive=passive)
        want_capture = flags.get("capture", False)
        passive_flag = flags.get("passive")
        if passive_flag is None:
            passive_flag = type in _PASSIVE_BY_DEFAULT and self._passive_by_default()
        if self._listeners is None:
            self._listeners = {}
        entries = self._listeners.setdefault(type, [])
        if not any(not e.handler and e.capture == want_capture and e.fn == listener for e in entries):
            entries.append(_Entry(listener, want_capture, flags.get("once", False), passive_flag))
            watched(type, 1)

    def _passive_by_default(self) -> bool:
        """Whether this is the window, the document or the body (Chrome's passive default)."""
        try:
            document = self._event_document()
        except NotImplementedError:
            return False
        return self is document or self is document.event_parent or self is document.body

    def remove_event_listener(
        self, type: str, listener: Listener | None, options: ListenerOptions = None, *, capture: bool | None = None
    ) -> None:
        """Stop calling ``listener`` for ``type`` in the ``capture`` phase given
        (a bool or the dict ``add_event_listener`` took); unknown listeners are ignored."""
        want_capture = _flatten(options, capture=capture).get("capture", False)
        entries = self._listeners.get(type) if self._listeners else None
        if not entries:
            return
        for entry in entries:
            if not entry.handler and entry.capture == want_capture and entry.fn == listener:
                self._drop(type, entry)
                return

    def _drop(self, type: str, entry: _Entry) -> None:
        entry.removed = True
        entries = self._listeners.get(type) if self._listeners else None
        if entries is not None and entry in entries:
            entries.remove(entry)
            watched(type, -1)

    def dispatch_event(self, event: Event) -> bool:
        """Dispatch ``event`` here; False when a listener prevented its default."""
        if event._dispatching:
            raise RuntimeError(f"{event!r} is already being dispatched")
        document = self._event_document()
        path: list[EventTarget] = [self]
        nxt = self._event_parent()
        while nxt is not None:
            path.append(nxt)
            nxt = nxt._event_parent()
        event.target = self
        event._path = path
        event._dispatching = True
        try:
            for current in reversed(path[1:]):
                if event._stop:
                    break
                event.event_phase = Event.CAPTURING_PHASE
                current._invoke_listeners(event, document, capture=True)
            if not event._stop:
                event.event_phase = Event.AT_TARGET
                self._invoke_listeners(event, document, capture=True)
            if not event._stop:
                self._invoke_listeners(event, document, capture=False)
            if event.bubbles:
                for current in path[1:]:
                    if event._stop:
                        break
                    event.event_phase = Event.BUBBLING_PHASE
                    current._invoke_listeners(event, document, capture=False)
        finally:
            event._dispatching = False
            event.event_phase = Event.NONE
            event.current_target = None
            event._path = []
        return not event._canceled

    def _invoke_listeners(self, event: Event, document: Document, *, capture: bool) -> None:
        entries = self._listeners.get(event.type) if self._listeners else None
        if not entries:
            return
        event.current_target = self
        for entry in list(entries):  # listeners added during dispatch wait for the next event
            if entry.removed or entry.capture != capture:
                continue
            if event._stop_now:
                break
            if entry.once:
                self._drop(event.type, entry)
            event._in_passive = entry.passive
            try:
                result = _call(entry.fn, event, document, entry.is_async)
            finally:
                event._in_passive = False
            if entry.handler and result is False:
                event.prevent_default()  # an on<event> handler returning False cancels, as in browsers


def _call(fn: Listener, event: Event, document: Document, is_async: bool | None = None) -> Any:
    """Call listener ``fn`` for the page; its result when it is a plain function (None otherwise).

    ``is_async``: whether ``fn`` is a coroutine function, when the caller knows."""
    report = document._report_error
    try:
        if inspect.iscoroutinefunction(fn) if is_async is None else is_async:
            document._spawn(_run_async, fn, event, report)
            return None
        result = fn(event)
        if result is not None and inspect.isawaitable(result):
            document._spawn(_await, result, report)
            return None
        return result
    except Exception as exc:  # noqa: BLE001 - one listener's error must not stop the others
        report(exc)
        return None
