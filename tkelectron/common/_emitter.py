"""A small EventEmitter in Node's shape, shared by both processes.

Listeners are called in registration order with the emitted arguments. A
listener may be ``async def``: its coroutine is handed to the emitter's
``spawn`` function (the app's or renderer's nursery) so it runs as a task.
A listener that raises is reported through ``report_error`` and the other
listeners still run — one bad listener never breaks the process.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable

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

    def __init__(self) -> None:
        self._listeners: dict[str, list[tuple[Listener, bool]]] = {}

    # How async listeners run and errors are reported; subclasses wire these
    # to their process (the app nursery, the renderer console).
    def _spawn_listener(self, fn: Callable[[], Awaitable[Any]]) -> None:
        raise RuntimeError("this emitter cannot run async listeners before the loop runs")

    def _report_listener_error(self, exc: BaseException) -> None:
        _default_report(exc)

    def on(self, event: str, listener: Listener) -> "EventEmitter":
        self._listeners.setdefault(event, []).append((listener, False))
        return self

    add_listener = on

    def once(self, event: str, listener: Listener) -> "EventEmitter":
        self._listeners.setdefault(event, []).append((listener, True))
        return self

    def off(self, event: str, listener: Listener) -> "EventEmitter":
        entries = self._listeners.get(event, [])
        for i, (fn, _) in enumerate(entries):
            if fn == listener:
                del entries[i]
                break
        return self

    remove_listener = off

    def remove_all_listeners(self, event: str | None = None) -> "EventEmitter":
        if event is None:
            self._listeners.clear()
        else:
            self._listeners.pop(event, None)
        return self

    def listener_count(self, event: str) -> int:
        return len(self._listeners.get(event, ()))

    def listeners(self, event: str) -> list[Listener]:
        return [fn for fn, _ in self._listeners.get(event, ())]

    def emit(self, event: str, *args: Any) -> bool:
        """Call every listener of ``event``; True if there was any."""
        entries = self._listeners.get(event)
        if not entries:
            return False
        for entry in list(entries):
            fn, once = entry
            if once:
                try:
                    entries.remove(entry)
                except ValueError:
                    continue
            self._call(fn, args)
        return True

    def _call(self, fn: Listener, args: tuple[Any, ...]) -> None:
        try:
            result = fn(*args)
        except Exception as exc:
            self._report_listener_error(exc)
            return
        if inspect.isawaitable(result):
            try:
                self._spawn_listener(self._guard(result))
            except BaseException:
                if inspect.iscoroutine(result):
                    result.close()  # never started: no "never awaited" warning later
                raise

    def _guard(self, awaitable: Awaitable[Any]) -> Callable[[], Awaitable[Any]]:
        async def run() -> None:
            try:
                await awaitable
            except Exception as exc:
                self._report_listener_error(exc)

        return run
