"""The renderer's socket, read by whichever task is waiting for it.

A renderer's tasks mostly wait for one of two things: the dispatcher (the
runtime's reader) for the next message from main, and a task awaiting
``ipc_renderer.invoke`` for its answer. If only the dispatcher read the
socket, an answer would take two turns of the loop to reach its caller —
the dispatcher wakes, reads and reschedules the caller; the caller runs
one turn later — and that turn is a large part of a round trip. So the task
awaiting an invoke reads the socket itself while it waits, and an answer at
the head of what it read is taken at once: the caller resumes in the same
turn its answer arrived.

The rules that keep this exactly as if the dispatcher read everything:

- One task reads at a time (trio allows one waiter per fd). A caller that
  wants to read while the dispatcher waits on the socket takes its place
  (``Connection.wake_reader``); while another caller reads, it parks and
  its answer is handed to it.
- Order: a reader takes the answers to waiting calls only while they are
  at the head of the queue; from the first other message on, everything
  stays queued, in order, for the dispatcher (which hands answers over as
  it meets them, as it always did).
- A caller answered while it reads (its answer was among messages a
  ``send_sync`` queued and the dispatcher handed it over, or main went
  away) is woken from the socket (``_Pending.waker``).
- Nothing is left unread: a caller that stops reading (answered, or
  cancelled) wakes the dispatcher, which reads again unless another caller
  already does.
- The turn that awaited is flushed before its caller resumes (its DOM
  changes leave as one Commit after the invoke, as they did when the
  flusher task always ran before an answer could come back).
- Errors are the dispatcher's: a caller that meets the connection closing
  or a bad frame leaves the exception for the dispatcher to raise, so the
  renderer ends exactly as when the dispatcher met it, and every waiting
  call fails with the usual RendererGoneError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import trio

from ..common._calls import Calls, _Pending
from ..common._connection import Connection, ConnectionClosed
from ..common._framing import FrameError
from ..common._messages import Failure, Result

__all__ = ["SharedReading"]


class SharedReading:
    """Who reads ``conn`` now; the dispatcher's :meth:`next_message` and the
    callers' :meth:`wait_answer` (installed as ``calls.wait_answer``)."""

    def __init__(self, conn: Connection[Any], calls: Calls) -> None:
        self._conn = conn
        self._calls = calls
        # The task waiting on the socket (in Connection.fill), or None.
        self._reader: trio.lowlevel.Task | None = None
        # The dispatcher's task, and True while it is parked (another task reads).
        self._dispatcher: trio.lowlevel.Task | None = None
        self._parked = False
        # What a caller met while reading, for the dispatcher to raise.
        self._failed: BaseException | None = None
        #: Called before a caller resumes: the runtime flushes what the turn
        #: that awaited left (its DOM changes as a Commit), which the flusher
        #: task did before an answer could arrive when only the dispatcher read.
        self.before_resume: Callable[[], None] = lambda: None
        calls.wait_answer = self.wait_answer

    # -- the dispatcher ------------------------------------------------------

    async def next_message(self) -> Any:
        """The next message for the dispatcher, in arrival order; raises as ``Connection.receive``."""
        conn = self._conn
        me = self._dispatcher = trio.lowlevel.current_task()
        while True:
            failed = self._failed
            if failed is not None:
                self._failed = None
                raise failed
            if conn.has_pending:
                return conn.take_nowait()
            if self._reader is None:
                self._reader = me
                try:
                    await conn.fill()
                finally:
                    if self._reader is me:
                        self._reader = None
            else:
                await self._park()

    async def _park(self) -> None:
        self._parked = True

        def abort(_: Any) -> trio.lowlevel.Abort:
            self._parked = False
            return trio.lowlevel.Abort.SUCCEEDED

        await trio.lowlevel.wait_task_rescheduled(abort)

    def _wake_dispatcher(self) -> None:
        if self._parked and self._dispatcher is not None:
            self._parked = False
            trio.lowlevel.reschedule(self._dispatcher)

    # -- a caller ------------------------------------------------------------

    async def wait_answer(self, pending: _Pending) -> None:
        """Wait for ``pending``'s answer, reading the socket meanwhile when no one else does."""
        conn = self._conn
        reader = self._reader
        if conn.has_pending or self._failed is not None or (reader is not None and reader is not self._dispatcher):
            # Queued messages come first (the dispatcher hands our answer
            # over if it is among them), or another caller reads.
            await pending.park()
            if pending.done and not conn.closed:
                self.before_resume()
            return
        if reader is not None:
            # The dispatcher waits on the socket: read in its place. It
            # wakes, finds someone reading, and parks until we stop.
            self._reader = None
            conn.wake_reader()
        me = self._reader = trio.lowlevel.current_task()
        # Answered while we wait on the socket (the dispatcher met our answer
        # among messages a blocking read queued, or main went away): wake us.
        pending.waker = conn.wake_reader
        try:
            await conn.fill()
        except (ConnectionClosed, FrameError) as exc:
            self._failed = exc  # the dispatcher raises it, as if it had read
        finally:
            pending.waker = None
            if self._reader is me:
                self._reader = None
            if self._failed is None:
                self._take_answers()
            # The socket is free again (and what we left queued, or met, is
            # the dispatcher's): it reads next, unless a caller does first.
            self._wake_dispatcher()
        if pending.done and not conn.closed:
            self.before_resume()

    def _take_answers(self) -> None:
        """Hand over the answers at the head of the queue (ours among them, most likely)."""
        conn = self._conn
        calls = self._calls
        while conn.has_pending:
            msg = conn.peek_nowait()
            if type(msg) is not Result and type(msg) is not Failure:
                return  # the dispatcher's, and everything after it
            if not calls.awaits(msg.id):
                return  # an answer nobody waits for: the dispatcher drops it, in its turn
            conn.take_nowait()
            calls.on_message(msg)
