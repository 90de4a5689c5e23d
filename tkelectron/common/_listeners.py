"""Running async event listeners: in arrival order, with a bounded number of tasks.

Every emitter of a process hands the awaitables its ``async def`` listeners
produce to that process's :class:`ListenerRunner`. A call comes with an
*ordering key*:

- ``None`` — the call runs as a task of its own (app and window events: each
  one is independent of the others).
- any hashable key — calls with the same key run **one after another, in the
  order they were emitted**, in one worker task; calls with different keys run
  concurrently. The IPC emitters key by (sender, channel) and a message port
  by itself, so messages on one channel from one sender start their listeners
  in arrival order, and a flood of messages is a queue, not thousands of
  tasks.

A worker exists only while its key has calls waiting or running: it ends when
its queue is empty, so idle channels cost nothing. If the worker is cancelled
(its app or renderer is shutting down), the calls still waiting are dropped
and their coroutines closed, never left "never awaited".
"""

from __future__ import annotations

import collections
import inspect
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

import trio

__all__ = ["Entry", "ListenerRunner", "Spawn"]

#: How a runner starts a task: ``spawn(async_fn)`` runs ``await async_fn()``.
Spawn = Callable[[Callable[[], Awaitable[Any]]], None]
#: Where a listener's exception goes (the emitter's error report).
Report = Callable[[BaseException], None]
#: One listener as an emitter keeps it: the function, whether it runs once,
#: and whether it is a coroutine function. The last is asked once, when the
#: listener is added: ``inspect.iscoroutinefunction`` on every emit cost more
#: than the rest of a one-way message's delivery.
Entry = tuple[Callable[..., Any], bool, bool]


class _Call:
    """One listener call waiting to run: ``fn(*args)``, or an awaitable already made."""

    __slots__ = ("args", "fn", "made", "report")

    def __init__(self, fn: Callable[..., Any] | None, args: tuple[Any, ...], made: Awaitable[Any] | None,
                 report: Report) -> None:
        self.fn = fn
        self.args = args
        self.made = made
        self.report = report

    async def run(self) -> None:
        try:
            if self.made is not None:
                awaitable, self.made = self.made, None
            else:
                assert self.fn is not None
                awaitable = self.fn(*self.args)
            await awaitable
        except Exception as exc:  # noqa: BLE001 -- one bad listener never stops the others
            self.report(exc)

    def drop(self) -> None:
        """Never run: close a coroutine made for it, so Python does not warn."""
        if inspect.iscoroutine(self.made):
            self.made.close()
        self.made = None


class ListenerRunner:
    """Runs listener calls through ``spawn``: unordered, or FIFO per key.

    ``spawn`` may be given later with :meth:`bind` (the process's nursery does
    not exist when its emitters are made); until then running raises
    RuntimeError.
    """

    def __init__(self, spawn: Spawn | None = None, *, unbound: str = "no loop is running") -> None:
        self._spawn = spawn
        self._unbound = unbound
        self._queues: dict[Hashable, collections.deque[_Call]] = {}
        # Keys someone waits to see drain: (at most this many calls left, set then).
        self._drains: dict[Hashable, tuple[int, trio.Event]] = {}

    def bind(self, spawn: Spawn | None) -> None:
        """Run tasks with ``spawn`` from now on (None: refuse until bound again)."""
        self._spawn = spawn

    @property
    def workers(self) -> int:
        """How many ordered workers exist now (one per key with calls pending)."""
        return len(self._queues)

    def pending(self, key: Hashable) -> int:
        """How many calls for ``key`` are waiting or running."""
        queue = self._queues.get(key)
        return len(queue) if queue is not None else 0

    async def wait_for_backlog(self, key: Hashable, most: int) -> None:
        """Return once at most ``most`` calls for ``key`` are waiting or running.

        A reader applies backpressure with it: it stops reading its source
        while that source's listeners are far behind (one waiter per key).
        """
        while self.pending(key) > most:
            drained = trio.Event()
            self._drains[key] = (most, drained)
            try:
                await drained.wait()
            finally:
                if self._drains.get(key, (0, None))[1] is drained:
                    del self._drains[key]

    def _drained(self, key: Hashable, left: int) -> None:
        waiter = self._drains.get(key)
        if waiter is not None and left <= waiter[0]:
            waiter[1].set()

    def call_each(self, key: Hashable | None, entries: list[Entry], args: tuple[Any, ...], report: Report) -> None:
        """Call each listener of one emit, ``fn(*args)``, in order.

        ``entries`` is the emitter's list for the event (a listener added or
        removed meanwhile counts from the next emit on; a ``once`` entry is
        taken out as it runs). A coroutine function is only called when its
        turn comes (a queued call holds its arguments, not a coroutine). Any
        other callable is called now, inline (the hot path of a burst of
        messages: no call of its own per listener); if what it returns is not
        awaitable, nothing more happens. Raises RuntimeError (nothing left
        behind) for an async listener when no loop is bound.
        """
        for entry in tuple(entries):  # a listener may add or remove listeners meanwhile
            fn, once, is_async = entry
            if once:
                try:
                    entries.remove(entry)
                except ValueError:
                    continue
            if is_async:
                self._submit(key, _Call(fn, args, None, report))
                continue
            try:
                result = fn(*args)
            except Exception as exc:  # noqa: BLE001 -- reported; the other listeners still run
                report(exc)
                continue
            if result is not None and inspect.isawaitable(result):  # None: most listeners, asked for nothing
                self._submit(key, _Call(None, (), result, report))

    def _submit(self, key: Hashable | None, call: _Call) -> None:
        spawn = self._spawn
        if spawn is None:
            call.drop()
            raise RuntimeError(f"cannot run async listeners: {self._unbound}")
        if key is None:
            self._start(spawn, call.run, call)
            return
        queue = self._queues.get(key)
        if queue is not None:
            queue.append(call)
            return
        queue = collections.deque([call])
        self._start(spawn, lambda: self._work(key, queue), call)
        self._queues[key] = queue

    @staticmethod
    def _start(spawn: Spawn, fn: Callable[[], Awaitable[Any]], call: _Call) -> None:
        try:
            spawn(fn)
        except BaseException:
            call.drop()
            raise

    async def _work(self, key: Hashable, queue: collections.deque[_Call]) -> None:
        # The call being run stays at the head of the queue, so a call
        # emitted meanwhile joins this worker instead of starting another.
        try:
            while queue:
                await queue[0].run()
                queue.popleft()
                self._drained(key, len(queue))
        finally:
            if self._queues.get(key) is queue:
                del self._queues[key]
            while queue:
                queue.popleft().drop()
            self._drained(key, 0)
