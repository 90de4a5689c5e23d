"""A small EventEmitter in Node's shape, shared by both processes.

Listeners are called in registration order with the emitted arguments. A
listener may be ``async def``: it runs as a task through the process's
:class:`~tkelectron.common._listeners.ListenerRunner` (the app's or the
renderer's nursery). An emitter may give each emit an *ordering key*
(:meth:`EventEmitter._order_key`): async listener calls with the same key run
one after another in emit order — the IPC emitters use it so that messages on
one channel from one sender start their listeners in arrival order. A
listener that raises is reported through ``_report_listener_error`` and the
other listeners still run — one bad listener never breaks the process.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Hashable
from typing import Any

from ._listeners import Entry, ListenerRunner

__all__ = ["EventEmitter", "PreventableEvent"]

log = logging.getLogger("tkelectron")

Listener = Callable[..., Any]


class PreventableEvent:
    """An event whose default action a listener may cancel with prevent_default()."""

    def __init__(self, **fields: Any) -> None:
        self.default_prevented = False
        self.__dict__.update(fields)

    def prevent_default(self) -> None:
        self.default_prevented = True

    # Electron's spelling, for people porting code.
    preventDefault = prevent_default


def _default_report(exc: BaseException) -> None:
    log.error("an event listener raised", exc_info=exc)


class EventEmitter:
    """``on``/``once``/``off``/``emit`` with sync or async listeners."""

    #: Where async listeners run: each process's emitters share its runner
    #: (the app's nursery in main, the renderer's nursery in a renderer).
    _listener_runner: ListenerRunner = ListenerRunner(
        unbound="this emitter cannot run async listeners before the loop runs"
    )

    def __init__(self) -> None:
        self._listeners: dict[str, list[Entry]] = {}

    def _order_key(self, event: str, args: tuple[Any, ...]) -> Hashable | None:
        """Async listener calls with one key run in emit order; None: each as its own task."""
        return None

    def _report_listener_error(self, exc: BaseException) -> None:
        _default_report(exc)

    def _error_report(self, event: str, args: tuple[Any, ...]) -> Callable[[BaseException], None]:
        """Where an exception of a listener of this one emit goes (an emitter that
        knows more about its events, like ``ipc_main``, names them in its report)."""
        return self._report_listener_error

    def _listener_added(self, event: str) -> None:
        """Called after ``on``/``once`` added a listener of ``event``: an emitter
        that does work only while its events are heard starts it here."""

    def on(self, event: str, listener: Listener) -> EventEmitter:
        self._listeners.setdefault(event, []).append((listener, False, inspect.iscoroutinefunction(listener)))
        self._listener_added(event)
        return self

    def add_listener(self, event: str, listener: Listener) -> EventEmitter:
        # Through self.on, not an alias of this class's: a subclass that checks
        # what may be listened to (ipc_renderer's reserved channels) is asked too.
        return self.on(event, listener)

    def once(self, event: str, listener: Listener) -> EventEmitter:
        self._listeners.setdefault(event, []).append((listener, True, inspect.iscoroutinefunction(listener)))
        self._listener_added(event)
        return self

    def off(self, event: str, listener: Listener) -> EventEmitter:
        entries = self._listeners.get(event, [])
        for i, (fn, _, _) in enumerate(entries):
            if fn == listener:
                del entries[i]
                break
        return self

    remove_listener = off

    def remove_all_listeners(self, event: str | None = None) -> EventEmitter:
        if event is None:
            self._listeners.clear()
        else:
            self._listeners.pop(event, None)
        return self

    def listener_count(self, event: str) -> int:
        return len(self._listeners.get(event, ()))

    def listeners(self, event: str) -> list[Listener]:
        return [fn for fn, _, _ in self._listeners.get(event, ())]

    def emit(self, event: str, *args: Any) -> bool:
        """Call every listener of ``event``; True if there was any."""
        if not self._listeners.get(event):
            return False
        return self._emit_keyed(event, args, self._order_key(event, args), self._error_report(event, args))

    def _emit_keyed(self, event: str, args: tuple[Any, ...], key: Hashable | None,
                    report: Callable[[BaseException], None]) -> bool:
        """:meth:`emit` with its ordering key and error report already known:
        a caller delivering many messages of one sender (a renderer's batch of
        sends) works them out once, not per message."""
        entries = self._listeners.get(event)
        if not entries:
            return False
        self._listener_runner.call_each(key, entries, args, report)
        return True
