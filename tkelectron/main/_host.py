"""Run trio as a guest on Tk's mainloop.

Tk must own the main thread's loop (it is the only way its windows, menus and
native dialogs behave), so trio runs in *guest mode*: trio does its I/O
waiting in a worker thread and asks the host to run its callbacks.

How the callbacks reach Tk matters (measured here, see notes/tk.md):

- The thread-safe path appends to a deque and schedules ONE Tcl command,
  registered once, with ``after idle``. ``root.after(0, f)`` from a thread
  would register a new Tcl command per call, and ``event_generate`` from the
  worker thread deadlocked.
- The not-thread-safe path (trio asking from inside its own tick) goes through
  ``after idle after 0`` so a busy trio loop cannot starve Tk's own events.
"""

from __future__ import annotations

import collections
import threading
import tkinter
from typing import Any, Awaitable, Callable, TypeVar

import outcome
import trio

__all__ = ["TkHost", "run_on_tk"]

T = TypeVar("T")


class TkHost:
    """A hidden Tk root and the plumbing to run one trio guest run on it."""

    def __init__(self, root: tkinter.Tk | None = None) -> None:
        self.root = root if root is not None else tkinter.Tk()
        self.root.withdraw()
        self._queue: collections.deque[Callable[[], Any]] = collections.deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self._drain_cmd = self.root.register(self._drain)
        self._outcome: outcome.Outcome[Any] | None = None

    def _drain(self) -> None:
        with self._lock:
            self._scheduled = False
            batch = list(self._queue)
            self._queue.clear()
        for fn in batch:
            fn()

    def _schedule_threadsafe(self, fn: Callable[[], Any]) -> None:
        with self._lock:
            self._queue.append(fn)
            if self._scheduled:
                return
            self._scheduled = True
        self.root.call("after", "idle", self._drain_cmd)

    def _schedule(self, fn: Callable[[], Any]) -> None:
        with self._lock:
            self._queue.append(fn)
            if self._scheduled:
                return
            self._scheduled = True
        self.root.call("after", "idle", "after", "0", self._drain_cmd)

    def _done(self, result: outcome.Outcome[Any]) -> None:
        self._outcome = result
        self.root.quit()

    def run(self, async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run ``async_fn(*args)`` under trio, with Tk's mainloop as host.

        Returns its result (or raises its exception) once it and every task it
        started have finished. The Tk root is destroyed afterwards.
        """
        trio.lowlevel.start_guest_run(
            async_fn,
            *args,
            run_sync_soon_threadsafe=self._schedule_threadsafe,
            run_sync_soon_not_threadsafe=self._schedule,
            done_callback=self._done,
            host_uses_signal_set_wakeup_fd=False,
        )
        try:
            while self._outcome is None:
                self.root.mainloop()
        finally:
            try:
                self.root.destroy()
            except tkinter.TclError:
                pass
        return self._outcome.unwrap()


def run_on_tk(async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Convenience: a fresh TkHost running ``async_fn``."""
    return TkHost().run(async_fn, *args)
