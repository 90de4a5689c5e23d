"""Run trio as a guest on Tk's mainloop.

Tk must own the main thread's loop (it is the only way its windows, menus and
native dialogs behave), so trio runs in *guest mode*: trio does its I/O
waiting in a worker thread and asks the host to run its callbacks (unless
Tk waits for it, see the end).

How the callbacks reach Tk matters (measured here, see notes/tk.md):

- The thread-safe path (trio's I/O worker thread) must not touch Tcl at all:
  it appends to a deque and writes one byte to a self-pipe that Tk watches
  with a file handler. A worker thread that calls into Tcl makes Tcl keep
  per-thread state that is torn down when trio retires the thread, and that
  crashed a later ``Tk()`` here; ``event_generate`` from it deadlocked. Where
  Tk has no file handlers (Windows) it falls back to ``after idle`` through
  ``root.call``, which tkinter forwards to the Tcl thread.
- The not-thread-safe path (trio asking from inside its own tick) goes through
  ``after idle after 0`` so a busy trio loop cannot starve Tk's own events.

Both paths are the fallback. Where trio's guest-run internals have the shape
:mod:`._guest_wait` knows (the pinned trio, epoll), trio's first tick is handed
to a :class:`~._guest_wait.GuestWait` instead, which waits for trio's I/O in
Tk itself (a file handler on trio's epoll fd and a timer for its deadline):
no I/O thread, no self-pipe, one thread hop less on every wake-up of main.
"""

from __future__ import annotations

import collections
import os
import threading
import tkinter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import outcome
import trio

from ._guest_wait import GuestWait, guest_state_of

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
        #: The current run's driver when Tk waits for trio itself (see the module).
        self.guest_wait: GuestWait | None = None
        self._first_tick = False
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        try:
            self.root.createfilehandler(self._wake_r, tkinter.READABLE, self._on_wake)
            self._pipe = True
        except (AttributeError, RuntimeError, tkinter.TclError):
            self._pipe = False
        # Tk's emacs-style defaults bind Ctrl+W to cut and Ctrl+Y to paste on
        # X11, which would fight the Close and Redo accelerators.
        self.root.event_delete("<<Cut>>", "<Control-Key-w>")
        self.root.event_delete("<<Paste>>", "<Control-Key-y>")

    def _on_wake(self, fd: int, mask: int) -> None:
        try:
            while os.read(self._wake_r, 4096):
                pass
        except BlockingIOError:
            pass
        self._drain()

    def _drain(self) -> None:
        with self._lock:
            self._scheduled = False
            batch = list(self._queue)
            self._queue.clear()
        for fn in batch:
            fn()

    def _schedule_threadsafe(self, fn: Callable[[], Any]) -> None:
        with self._lock:
            if self._wake_w < 0:
                return  # closed: no run is left to call back into
            self._queue.append(fn)
            if self._scheduled:
                return
            self._scheduled = True
            if self._pipe:
                # Written under the lock, so close() cannot close the fd in
                # between: a stray byte into a reused fd number (Tcl's own
                # notifier pipe, say) made Tcl abort the process (seen here).
                try:
                    os.write(self._wake_w, b"\0")
                except BlockingIOError:
                    pass  # the pipe is full: a wake-up is already pending
                return
        self.root.call("after", "idle", self._drain_cmd)

    def _schedule(self, fn: Callable[[], Any]) -> None:
        if self._first_tick:
            self._first_tick = False
            state = guest_state_of(fn) if self._pipe else None
            if state is not None:
                self.guest_wait = GuestWait(self.root, state)
                self.guest_wait.start()
                return
        with self._lock:
            self._queue.append(fn)
            if self._scheduled:
                return
            self._scheduled = True
        self.root.call("after", "idle", "after", "0", self._drain_cmd)

    def _done(self, result: outcome.Outcome[Any]) -> None:
        self._outcome = result
        self.root.quit()

    def run(self, async_fn: Callable[..., Awaitable[T]], *args: Any, keep: bool = False) -> T:
        """Run ``async_fn(*args)`` under trio, with Tk's mainloop as host.

        Returns its result (or raises its exception) once it and every task it
        started have finished. The Tk root is destroyed afterwards, unless
        ``keep``: then the host can run again (a test session reuses one Tk, as
        an app has one per process) and :meth:`close` ends it.
        """
        self._outcome = None
        self._close_guest_wait()
        # start_guest_run asks for its first tick before it returns: that
        # request is the one _schedule may hand to a GuestWait.
        self._first_tick = True
        try:
            trio.lowlevel.start_guest_run(
                async_fn,
                *args,
                run_sync_soon_threadsafe=self._schedule_threadsafe,
                run_sync_soon_not_threadsafe=self._schedule,
                done_callback=self._done,
                host_uses_signal_set_wakeup_fd=False,
            )
            self._first_tick = False
            while self._outcome is None:
                self.root.mainloop()
        finally:
            self._first_tick = False
            # The run ended, or mainloop raised out of it (its ticks must not
            # go on in whatever runs on this Tk next).
            self._close_guest_wait()
            if not keep:
                self.close()
        return self._outcome.unwrap()

    def _close_guest_wait(self) -> None:
        if self.guest_wait is not None:
            self.guest_wait.close()
            self.guest_wait = None

    def close(self) -> None:
        """Destroy the Tk root and release the wake-up pipe."""
        self._close_guest_wait()
        with self._lock:
            if self._wake_r < 0:
                return
            if self._pipe:
                self.root.deletefilehandler(self._wake_r)
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._wake_r = self._wake_w = -1
        try:
            self.root.destroy()
        except tkinter.TclError:
            pass


def run_on_tk(async_fn: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Convenience: a fresh TkHost running ``async_fn``."""
    return TkHost().run(async_fn, *args)
