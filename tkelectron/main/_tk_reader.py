"""Reading a renderer's socket from a Tk file handler (main on the Tk compositor).

When trio runs as Tk's guest, a socket that becomes readable reaches trio's
reader task only after a long relay: trio's I/O thread wakes, asks the host
to run a tick (a self-pipe Tk watches), Tk runs the tick, the tick resumes
the task — about twice the cost of the rest of a round trip. So on Tk, main
watches each renderer's socket with ``createfilehandler`` instead, and
handles what it reads right in that callback: every message
:meth:`~._renderer_messages.RendererMessages.handle` takes, and every commit
that needs no pauses, runs inline, and a plain invoke handler's answer is
written back before the callback returns, trio not running at all.

Rules it keeps (each has a test in ``tests/main/test_tk_reader.py``):

- **Order.** A small ``Commit`` without HTML to parse (a click's text change:
  ``CommitRules.check_now``) is applied inline like any other message. Any
  other is applied by trio (it is paced: main's loop runs between its
  pieces): when one comes up, inline handling stops and the file handler is
  removed; the reader task applies the commit and then every message decoded
  after it, in order, and only then watches the socket again.
- **Deadline.** A frame whose first bytes arrived must be complete within
  ``conn.frame_timeout``: a Tk ``after`` timer reads the socket again at the
  deadline, and ``Connection.read_nowait`` raises FrameError if it still is not.
- **Fairness.** Between two pauses, reading handles at most
  ``FAIR_SLICE_MESSAGES`` messages and spends at most ``FAIR_SLICE_SECONDS``
  handling them, over as many callbacks as it takes: a message that would
  take the count over it (a batch of sends counts as its items) is not
  taken, and past the time bound no more are. Reading then pauses and goes
  on from ``after idle after 0``, so Tk's idle queue (where it lays out and
  redraws), other windows' events and input take their turns: the bound
  holds between two passes of the idle queue too. Reading queues nothing in
  the idle round itself (a marker there would run, on every message, ahead
  of the layout and redraw of a click's commit, and cost main a Tcl idle
  pass per round trip). The socket is read only when nothing decoded is
  left, so memory stays bounded.
- **Trio.** An inline handler may start tasks or set events that trio tasks
  wait on. Trio's guest run wakes itself when that happens (a task
  rescheduled from the host thread forces a guest tick: ``Runner.reschedule``
  → ``force_guest_tick_asap`` writes trio's wake-up socket, so trio's epoll
  fd, which Tk watches (:mod:`._guest_wait`), turns readable and Tk runs the
  tick; in the fallback trio's I/O thread wakes and hands the tick to the
  host), so trio runs only when a task became runnable. When Tk waits for
  trio itself, the callback runs that tick before it returns
  (:func:`~._guest_wait.run_due_tick`): an invoke's reply resumes its caller
  without a trip through Tcl's notifier, and trio writes no wake-up byte for
  it (:func:`~._guest_wait.hold_wakeups`, taken as the callback begins).
  (With trio's thread, waiting in the callback for its hand-over was
  measured: no gain over the self-pipe in interleaved runs, so the fallback
  does not.)
- **Errors.** Whatever a callback meets (EOF, FrameError, IpcViolation, any
  exception while handling) ends inline reading and is handed to the reader
  task, which returns (EOF) or raises it, exactly as ``read_all`` does; the
  supervisor then ends the renderer. No exception ever reaches Tk.
- **Cleanup.** The file handler, timers and Tcl commands are removed when the
  reader task ends for any reason, and the file handler before the socket
  closes (``Connection.on_close``), so Tk never watches a closed or reused fd.
"""

from __future__ import annotations

import math
import time
import tkinter
from typing import TYPE_CHECKING, Any

import trio

from ..common._connection import ConnectionClosed
from ..common._messages import Commit
from ._guest_wait import hold_wakeups, run_due_tick
from ._renderer_messages import FAIR_SLICE_MESSAGES, FAIR_SLICE_SECONDS, over_slice, weight

if TYPE_CHECKING:
    from ._renderer_messages import RendererMessages

__all__ = ["TkReader", "active_readers", "read_with_tk", "watched_fds"]

#: fds TkReaders watch now, and how many readers run (for tests: none may be
#: left after a window closes or a renderer dies).
_watched: set[int] = set()
_active = 0


def watched_fds() -> frozenset[int]:
    """The renderer sockets Tk file handlers watch at this moment."""
    return frozenset(_watched)


def active_readers() -> int:
    """How many TkReaders run now (each removes itself, and its handlers, as it ends)."""
    return _active


class TkReader:
    """One renderer's connection, read by a Tk file handler and handled inline."""

    def __init__(self, root: tkinter.Misc, messages: RendererMessages) -> None:
        self._root = root
        self._tk: Any = root.tk
        self._messages = messages
        self._conn = messages.proc.conn
        self._fd = self._conn.sock.fileno()
        #: Set from a Tk callback when trio must take over: a Commit, the end, an error.
        self._handover = trio.Event()
        self._commit: Commit | None = None
        self._ended: BaseException | None = None
        self._watching = False
        self._stopped = False
        # Pending Tcl `after` ids: the continuation after a pause, the
        # partial-frame deadline.
        self._resume_id: str | None = None
        self._deadline_id: str | None = None
        # Messages handled, and seconds spent handling them, since reading
        # last paused (the fairness bound spans callbacks).
        self._since_pause = 0
        self._busy = 0.0
        self._resume_cmd = root.register(self._resume)
        self._deadline_cmd = root.register(self._deadline)

    async def run(self) -> None:
        """Read until the renderer closes its end; raise what it sent that main cannot handle."""
        global _active
        messages = self._messages
        self._conn.on_close = self._closing
        _active += 1
        try:
            while True:
                if self._conn.closed:
                    return
                self._watch()
                await self._handover.wait()
                self._handover = trio.Event()
                ended = self._ended
                if ended is not None:
                    if isinstance(ended, ConnectionClosed):
                        return
                    raise ended
                commit, self._commit = self._commit, None
                assert commit is not None
                await messages.commit(commit)
                await messages.route_pending()  # what came after it, in order
        finally:
            self._stop()
            _active -= 1

    # -- Tk callbacks (each catches everything: nothing may reach Tk) -------

    def _on_readable(self, _fd: int, _mask: int) -> None:
        self._pump()

    def _resume(self) -> None:
        self._resume_id = None
        self._since_pause, self._busy = 0, 0.0  # it ran after a pass of the idle queue
        if not self._stopped and self._ended is None and self._commit is None:
            try:
                self._watch()
            except BaseException as exc:  # noqa: BLE001 - handed to the reader task, never to Tk
                self._end(exc)
                return
            self._pump()

    def _deadline(self) -> None:
        self._deadline_id = None
        if self._watching:
            self._pump()  # reads (nothing, most likely) and checks the deadline

    def _pump(self) -> None:
        if self._stopped or self._ended is not None or self._commit is not None:
            return
        conn = self._conn
        hold_wakeups()  # the tick below runs without trio's wake-up byte
        try:
            conn.hold_writes()
            try:
                self._handle_slice()
            finally:
                conn.flush_held()
            if self._watching:
                self._watch_deadline()
        except BaseException as exc:  # noqa: BLE001 - handed to the reader task, never to Tk
            self._end(exc)
        # A reply or event set above made a trio task runnable: run trio's
        # tick now rather than after a trip through Tcl's notifier.
        run_due_tick()

    def _handle_slice(self) -> None:
        """Handle what is decoded, reading first if nothing is (one read at most)."""
        if self._over_budget(0.0):
            self._pause()  # a steady stream: let Tk's idle queue run first
            return
        start = time.perf_counter()
        try:
            self._handle_from(start)
        finally:
            self._busy += time.perf_counter() - start

    def _over_budget(self, busy_now: float) -> bool:
        """Whether reading spent its fair share since the last pause (``busy_now``: seconds of this slice so far)."""
        return self._since_pause >= FAIR_SLICE_MESSAGES or self._busy + busy_now >= FAIR_SLICE_SECONDS

    def _handle_from(self, start: float) -> None:
        conn = self._conn
        messages = self._messages
        if not conn.has_pending and not conn.read_nowait():
            return
        while conn.has_pending:
            if over_slice(self._since_pause, conn.peek_nowait()):
                self._pause()  # it would take the slice over its bound: after the idle pass
                return
            msg = conn.take_nowait()
            messages.accept(msg)
            if isinstance(msg, Commit):
                if not messages.commit_now(msg):
                    self._hand_commit(msg)
                    return
            else:
                messages.handle(msg)
            self._since_pause += weight(msg)
            if self._over_budget(time.perf_counter() - start):
                if conn.has_pending:
                    self._pause()
                return

    # -- state changes ------------------------------------------------------

    def _watch(self) -> None:
        """Watch the socket (again) and arm the deadline of a partial frame."""
        if self._watching or self._stopped:
            return
        self._tk.createfilehandler(self._fd, tkinter.READABLE, self._on_readable)
        self._watching = True
        _watched.add(self._fd)
        self._watch_deadline()

    def _unwatch(self) -> None:
        if self._watching:
            self._watching = False
            _watched.discard(self._fd)
            try:
                self._tk.deletefilehandler(self._fd)
            except tkinter.TclError:
                pass

    def _pause(self) -> None:
        """Stop reading until Tk's idle queue ran; go on from ``after idle after 0``."""
        self._unwatch()
        if self._resume_id is None:
            self._resume_id = self._tk.call("after", "idle", "after", "0", self._resume_cmd)

    def _hand_commit(self, msg: Commit) -> None:
        self._unwatch()
        self._commit = msg
        self._handover.set()

    def _end(self, exc: BaseException) -> None:
        self._unwatch()
        if self._ended is None:
            self._ended = exc
        self._handover.set()

    def _closing(self) -> None:
        """The connection is closing (say a send overflowed): let go of the fd first."""
        self._end(ConnectionClosed("the connection is closed"))

    def _watch_deadline(self) -> None:
        """A Tk timer at the partial frame's deadline (``frame_timeout``), if one is due."""
        if self._deadline_id is not None or self._stopped:
            return
        deadline = self._conn.frame_deadline()
        if deadline == math.inf:
            return
        ms = max(1, math.ceil((deadline - time.monotonic()) * 1000))
        self._deadline_id = self._tk.call("after", ms, self._deadline_cmd)

    def _stop(self) -> None:
        """Remove the file handler, timers and commands: no callback runs after this."""
        self._stopped = True
        self._unwatch()
        if self._conn.on_close == self._closing:
            self._conn.on_close = None
        for after_id in (self._resume_id, self._deadline_id):
            if after_id is not None:
                try:
                    self._tk.call("after", "cancel", after_id)
                except tkinter.TclError:
                    pass
        self._resume_id = self._deadline_id = None
        for cmd in (self._resume_cmd, self._deadline_cmd):
            try:
                self._root.deletecommand(cmd)
            except tkinter.TclError:
                pass


async def read_with_tk(root: tkinter.Misc, messages: RendererMessages) -> None:
    """:meth:`RendererMessages.read_all`'s replacement on Tk (see the module)."""
    await TkReader(root, messages).run()
