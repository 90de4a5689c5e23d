"""Reading one renderer's messages and routing each to where it belongs.

Reading is fair: a renderer that floods main is read in slices of at most
:data:`FAIR_SLICE_MESSAGES` messages or :data:`FAIR_SLICE_SECONDS` of handling,
with a trio checkpoint after each (a ``Sends`` batch counts as its items),
so every other window's messages (an invoke waiting on its answer) get
their turn within a few milliseconds.

Anything raised while handling a message — not only a framing error — means
the renderer sent something main could not handle; it propagates out of
:meth:`RendererMessages.read_all` and the supervisor kills the renderer as an
``ipc-violation``.

Dispatch is exhaustive: :meth:`RendererMessages.handle` is a ``match`` over
every message of :data:`~tkelectron.common._messages.RendererToMain` but
``Commit`` (awaited by :meth:`~RendererMessages.read_all`), ending in
``assert_never``, so ``mypy --strict`` fails when a message is added to the
union and not handled here (``tests/test_exhaustive_dispatch.py`` runs it).

This is the one place main reads a renderer's connection (the seam described
in ``_renderer_session``): a different reader replaces :meth:`read_all` and
calls :meth:`~RendererMessages.handle` and :meth:`~RendererMessages.commit`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, assert_never

import trio

from ..common._connection import ConnectionClosed
from ..common._emitter import PreventableEvent
from ..common._errors import remote_error
from ..common._messages import (
    Cancel,
    Commit,
    Console,
    DidFinishLoad,
    Failure,
    Invoke,
    LoadFailed,
    Navigate,
    Op,
    PreloadError,
    Ready,
    Remove,
    RendererToMain,
    Result,
    Send,
    Sends,
    SendSync,
    SetHTML,
    SetText,
    SetTitle,
    Settled,
    StreamCredit,
    StreamItem,
)
from ._commit_rules import CommitRules, TickBudget
from ._guest_wait import skip_idle
from ._internal_channels import answer_internal_send_sync
from ._ipc_dispatch import IpcViolation, answer_invoke, answer_send_sync, check_renderer_channel, dispatch_send
from ._navigation import navigate
from ._send_batches import dispatch_sends
from ._terminal_text import MAX_MESSAGE, LineGate, printable

if TYPE_CHECKING:
    from ._renderer_process import RendererProcess
    from ._renderer_session import RendererSession
    from ._renderer_supervisor import LoadRequest

__all__ = ["Immediate", "RendererMessages", "apply_paced", "over_slice", "weight"]

log = logging.getLogger("tkelectron")

#: The ops that take nodes out of the page (a sliced commit frees them before its next slice).
_REMOVING = (Remove, SetHTML, SetText)

#: At most this many messages of one renderer are handled between checkpoints...
#: (256 one-way sends take ~0.25 ms in main; each slice's end costs main's
#: loop a turn, ~0.1 ms under Tk, so 64 a slice spent more on turns than on
#: the sends of a burst. The time bound below holds for slow messages.)
FAIR_SLICE_MESSAGES = 256
#: ...and at most this long (seconds) is spent on them.
FAIR_SLICE_SECONDS = 0.001

#: The messages of :data:`~tkelectron.common._messages.RendererToMain` main
#: handles at once, without awaiting: all but ``Commit``. ``read_all`` passes
#: what is not a Commit to ``handle``, so mypy checks that this lists the rest
#: of the union.
Immediate = (
    Ready
    | Settled
    | Console
    | PreloadError
    | LoadFailed
    | DidFinishLoad
    | Send
    | Sends
    | SendSync
    | Invoke
    | Result
    | Failure
    | Cancel
    | StreamItem
    | StreamCredit
    | Navigate
)


def weight(msg: RendererToMain) -> int:
    """What a message counts for in a fair slice: a batch of sends, its items."""
    return len(msg.items) if type(msg) is Sends else 1


def over_slice(handled: int, msg: RendererToMain) -> bool:
    """True when handling ``msg`` would take a slice that has ``handled``
    messages over :data:`FAIR_SLICE_MESSAGES`: it waits for the next slice.

    Checked before a message is handled, not after: a lone send followed by a
    full batch would otherwise make a slice one message too wide. A slice's
    first message is always handled (a batch is never wider than a slice).
    """
    return handled > 0 and handled + weight(msg) > FAIR_SLICE_MESSAGES


class FairSlice:
    """Counts handled messages; a checkpoint before a message would take the
    slice over its bound, and once a slice's messages or time are spent."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        self.handled = 0
        self.end = time.perf_counter() + FAIR_SLICE_SECONDS

    async def admit(self, msg: RendererToMain) -> None:
        """Before handling ``msg``: a checkpoint first if it does not fit the slice."""
        if over_slice(self.handled, msg):
            await trio.lowlevel.checkpoint()
            self.restart()

    async def count(self, msg: RendererToMain) -> None:
        """After handling ``msg``: a checkpoint if the slice is spent."""
        self.handled += weight(msg)
        if self.handled >= FAIR_SLICE_MESSAGES or time.perf_counter() >= self.end:
            await trio.lowlevel.checkpoint()
            self.restart()


async def apply_paced(ops: list[Op], apply: Callable[[Op], None], pace: Callable[[], Awaitable[None]],
                      gone: Callable[[], bool]) -> bool:
    """Apply ``ops`` in order, awaiting ``pace`` *between* them; False when
    ``gone()`` (the window closed) stopped it first.

    Never after the last one: a pause there let Tk lay the change out and
    draw it before the commit was reported applied (``dom-commit``), and
    whoever waited for that (the bench's drawn clock, a test's settle) then
    waited for one more round of main's loop and one more redraw (a 1000-row
    refill past the budget: ~1.5 ms).
    """
    for i, op in enumerate(ops):
        if i:
            await pace()
        if gone():
            return False
        apply(op)
    return True


class RendererMessages:
    """The main-process side of one renderer's connection."""

    def __init__(self, session: RendererSession, proc: RendererProcess, request: LoadRequest) -> None:
        self.session = session
        self.proc = proc
        self.request = request
        self.ready = False
        #: The shadow of what this renderer displays, and the rules its commits meet.
        self.rules = CommitRules(session.window_id)
        session.display = self.rules  # the newest renderer's, as it is the one drawn from now on
        #: Awaited between pieces of a commit's work: main's loop runs between them.
        self.pace = TickBudget()
        self._console_gate = LineGate()
        #: Where main's tasks for this renderer run (send_sync answers): the
        #: supervisor's nursery, cancelled when the renderer goes.
        self.nursery: trio.Nursery | None = None

    async def read_all(self) -> None:
        """Handle messages until the renderer closes its end (fairly: see the module)."""
        conn = self.proc.conn
        fair = FairSlice()
        while True:
            if not conn.has_pending:  # receive() will wait, which is a checkpoint
                fair.restart()
            try:
                msg = await conn.receive()
            except ConnectionClosed:
                return
            await fair.admit(msg)
            await self.route(msg)
            await fair.count(msg)

    def accept(self, msg: RendererToMain) -> None:
        """Refuse anything but ``Ready`` before ``Ready`` (an IpcViolation)."""
        if not self.ready and not isinstance(msg, Ready):
            raise IpcViolation(f"{type(msg).__name__} before Ready")

    async def route(self, msg: RendererToMain) -> None:
        """Handle one message: a Commit that needs paced work awaited, any other at once."""
        self.accept(msg)
        if isinstance(msg, Commit):
            if not self.commit_now(msg):
                await self.commit(msg)
        else:
            self.handle(msg)

    async def route_pending(self) -> None:
        """Handle every message already decoded and waiting, in order, fairly;
        reads nothing more from the socket (a reader outside trio handed these
        over, see ``_tk_reader``)."""
        conn = self.proc.conn
        fair = FairSlice()
        while conn.has_pending:
            msg = conn.take_nowait()
            await fair.admit(msg)
            await self.route(msg)
            await fair.count(msg)

    def handle(self, msg: Immediate) -> None:
        """Route one message (any but a Commit); raises for one main must not get."""
        session = self.session
        wc = session.web_contents
        window = session.window
        match msg:
            case Send():
                dispatch_send(session, msg, self.proc.conn)
            case Sends():
                dispatch_sends(session, msg, self.proc.conn)  # each item exactly as a Send, in order
            case Invoke():
                answer_invoke(session, msg)
            case SendSync():
                if answer_internal_send_sync(session, msg):
                    return  # a framework sync channel (web_utils.get_path_for_file), answered at once
                # Checked before anything runs: a reserved channel here is a
                # violation now, not a task that fails and leaves the renderer
                # waiting out its timeout.
                check_renderer_channel(msg.channel)
                if self.nursery is not None:
                    self.nursery.start_soon(self._answer_send_sync, msg)
                else:
                    session.spawn(answer_send_sync, session, msg)
            case Result() | Failure() | StreamItem():
                session.calls.on_message(msg)
            case Cancel():
                session.answers.cancel(msg.id)
            case StreamCredit():
                session.answers.credit(msg)
            case Settled():
                session.settle(msg.seq)
                wc.emit("input-settled", msg.seq)
            case Console():
                self._console(msg)
            case DidFinishLoad():
                if msg.title:
                    window._page_title_updated(msg.title)
                wc.emit("did-finish-load", PreventableEvent(sender=wc))
                self.request._finish()
            case PreloadError():
                err = remote_error(msg.error.type, msg.error.message, None, msg.error.traceback, msg.error.module)
                log.error("window %d: preload %s failed: %s", window.id, msg.path, err)
                if msg.error.traceback:
                    log.error("%s", msg.error.traceback)
                wc.emit("preload-error", PreventableEvent(sender=wc), msg.path, err)
            case LoadFailed():
                err = remote_error(msg.error.type, msg.error.message, None, msg.error.traceback, msg.error.module)
                log.error("window %d: loading %s failed: %s", window.id, msg.path, err)
                wc.emit("did-fail-load", PreventableEvent(sender=wc), msg.path, err)
                self.request._finish(err)
            case Navigate():
                navigate(wc, msg.url)
            case Ready():
                if self.ready:
                    raise IpcViolation("a second Ready")
                self.ready = True
                session.sandbox_report = msg.sandbox
                missing = msg.sandbox.missing
                if missing and session.prefs.sandbox is True:
                    log.warning("window %d: renderer sandbox is missing: %s", window.id, ", ".join(missing))
            case _:
                # Unreachable for anything the decoder returns; mypy proves
                # every message of the union has its case above.
                assert_never(msg)

    async def _answer_send_sync(self, msg: SendSync) -> None:
        # In the renderer's own nursery: a failure here must not end the
        # renderer's supervision, only be logged (listeners' errors are
        # already answered to the renderer by answer_send_sync).
        try:
            await answer_send_sync(self.session, msg)
        except Exception:
            log.exception("window %d: answering send_sync(%r) failed", self.session.window_id, msg.channel)

    async def commit(self, msg: Commit) -> None:
        """Check a commit (``_commit_rules``: validated, sanitized, sliced), then
        apply it op by op, letting main's loop run whenever a tick's budget is spent."""
        wc = self.session.web_contents
        window = self.session.window
        if window.is_destroyed():
            return  # a last commit racing the window's close: nothing to draw on
        self.pace.restart()  # the loop ran before this read (or a fair slice ago at most)
        ops = await self.rules.check(msg.ops, self.pace)
        # Tkhtml lays the document out in Tk's idle round: between the
        # slices of one commit that would lay out each partial document
        # (see skip_idle); it lays out once, after the last.
        removed = False

        def apply(op: Op) -> None:
            nonlocal removed
            self._apply(op)
            removed = removed or isinstance(op, _REMOVING)

        async def pause() -> None:
            nonlocal removed
            if removed and self.pace.spent():
                # With the idle round held back, removed nodes would wait
                # for the commit's end (their destroy follows the redraw): a
                # refilled list's old rows outlived the building of the new
                # ones (10,000 rows: +7 MB, and later clicks' text walks and
                # layouts slower, 30 -> 50 ms). Freed before main's loop runs
                # instead: once a slice at most, so the layout the free
                # forces is one a slice at worst, as the idle round's was.
                # A commit done in one slice frees nothing (apply_paced
                # pauses only between ops): its old nodes go after the
                # redraw, as before (a 1000-row refill: the free's layout
                # and destroys on its path cost ~20 ms).
                window._surface.free_removed()
                removed = False
            await self.pace()

        skip_idle(True)
        try:
            applied = await apply_paced(ops, apply, pause, window.is_destroyed)
        finally:
            skip_idle(False)
        if applied:
            wc.emit("dom-commit", ops)

    def commit_now(self, msg: Commit) -> bool:
        """Check and apply a commit that needs no pauses (``CommitRules.check_now``)
        at once; False, having done nothing, for one :meth:`commit` must pace.

        A click's commit is one of these: applied where main reads it, it is
        drawn without waiting for a turn of main's loop (on Tk, a trio guest
        tick two thread hops away)."""
        window = self.session.window
        if window.is_destroyed():
            return True  # a last commit racing the window's close: nothing to draw on
        ops = self.rules.check_now(msg.ops)
        if ops is None:
            return False
        for op in ops:
            if window.is_destroyed():
                return True  # a listener of the title's change closed it
            self._apply(op)
        self.session.web_contents.emit("dom-commit", ops)
        return True

    def _apply(self, op: Op) -> None:
        window = self.session.window
        window._surface.apply([op])
        if isinstance(op, SetTitle):
            window._page_title_updated(op.title)

    def _console(self, msg: Console) -> None:
        """Print a console message (escaped, cut, at most so many a second) and emit it."""
        wc = self.session.web_contents
        window_id = self.session.window_id
        shown, held = self._console_gate.admit()
        if held:
            print(f"[window {window_id}] ({held} console messages not printed: over "
                  f"{self._console_gate.per_second} a second)", flush=True)
        if shown:
            where = f" ({printable(msg.source, keep_newlines=False, limit=300)}:{msg.line})" if msg.source else ""
            text = printable(msg.message, limit=MAX_MESSAGE)
            print(f"[window {window_id}] {msg.level}: {text}{where}", flush=True)
        wc.emit("console-message", PreventableEvent(sender=wc), msg.level, msg.message, msg.line, msg.source)
