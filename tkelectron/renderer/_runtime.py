"""The renderer's event loop: preload, page, and the conversation with main.

Order on start (after the sandbox is on): tell main ``Ready`` → run the
preload → load the page (its scripts run, then ``DOMContentLoaded`` and
``load``) → flush the first commit → ``DidFinishLoad``. From then on DOM
mutations are flushed as one ``Commit`` per turn of the loop, and each user
input event is answered with ``Settled`` once its synchronous listeners ran and
their mutations were flushed.

What main sends is dispatched by :meth:`Runtime.handle`, a ``match`` over
every message of :data:`~tkelectron.common._messages.MainToRenderer` but
``Shutdown`` (the reader's own stop), ending in ``assert_never``: a message
added to the union and not handled here is a ``mypy --strict`` error
(``tests/test_exhaustive_dispatch.py``).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import time
import types
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, assert_never

import msgspec
import trio

from ..common._calls import Answers, Calls, error_info
from ..common._clone import rebuild_records
from ..common._connection import ConnectionClosed
from ..common._errors import NoHandlerError
from ..common._messages import (
    Cancel,
    Commit,
    ConsoleLevel,
    DidFinishLoad,
    DomEvent,
    Failure,
    Init,
    Invoke,
    LoadFailed,
    MainToRenderer,
    Message,
    PreloadError,
    Ready,
    Refused,
    Result,
    Settled,
    Shutdown,
    StreamCredit,
    StreamItem,
    SyncReply,
)
from ..common._messages import (
    Console as ConsoleMsg,
)
from ..common._ports import socket_from_fd
from ..common._sandbox_report import SandboxReport
from ..common._user_errors import did_you_mean, user_frame, user_traceback
from ._context_bridge import context_bridge
from ._dom import Document
from ._idle_gc import IdleCollector
from ._input_listeners import InputListeners
from ._ipc_renderer import IpcRendererEvent, ipc_renderer
from ._isolation import PRELOAD_MODULE
from ._page import Console, Window, load_page
from ._ports import MessagePort
from ._preload_world import preload_globals
from ._send_batch import BatchingConnection
from ._shared_reading import SharedReading

__all__ = ["Immediate", "Runtime", "run"]

#: The messages of :data:`~tkelectron.common._messages.MainToRenderer` the
#: renderer handles as they come: all but ``Shutdown``. ``Runtime.reader``
#: passes what is not a Shutdown to ``handle``, so mypy checks that this lists
#: the rest of the union.
Immediate = (
    Init
    | Message
    | Invoke
    | Result
    | Failure
    | Cancel
    | StreamItem
    | StreamCredit
    | SyncReply
    | DomEvent
    | Refused
)


class _ConsoleStream(io.TextIOBase):
    """sys.stdout/stderr of a renderer: whole lines go to main as console messages."""

    def __init__(self, emit: Callable[[ConsoleLevel, str], None], level: ConsoleLevel) -> None:
        self._emit = emit
        self._level = level
        self._buffer = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._buffer += text
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            self._emit(self._level, line)
        return len(text)

    def flush(self) -> None:
        if self._buffer:
            self._emit(self._level, self._buffer)
            self._buffer = ""


class Runtime:
    """Everything one renderer process runs."""

    def __init__(self, conn: BatchingConnection[MainToRenderer], init: Init, nursery: trio.Nursery) -> None:
        self.conn = conn
        # A batch of the page's sends opened this turn goes out at its end, with the commit.
        conn.on_batch = self.mark_dirty
        self.init = init
        #: The allowlist's verdict per (direction, channel) reached so far (``_ipc_renderer``).
        self.allow_verdicts: dict[tuple[str, str], bool] = {}
        #: Channels ``ipc_renderer.send`` checked and let through (exact strs, at most 1024).
        self.sendable: set[str] = set()
        self.nursery = nursery
        self._dirty = trio.Event()
        # Something may wait to be flushed (DOM ops, batched sends, a change of
        # the input kinds listened for): every source calls mark_dirty, so a
        # flush with nothing to do costs one test (one runs after every
        # message and every answered invoke).
        self._pending = False
        # Inside handle()'s synchronous delivery, which flushes itself at its
        # end: a mutation there only marks, and the flusher is not woken.
        self._inline = False
        self.calls = Calls(self._send, self._main_gone)
        # A task awaiting an invoke reads the socket itself (its answer resumes
        # it in the turn it arrives); the reader takes everything else, in order.
        self.reading = SharedReading(conn, self.calls)
        self.reading.before_resume = self.flush
        self.answers = Answers(self._send, nursery.start_soon, lambda: init.development)
        self.answers.on_done = lambda channel: self.flush()
        self._busy = 0  # app tasks running
        self._unsettled = 0  # the last input event seq not yet reported Settled
        self.console = Console(self.console_message)
        self.document = Document(spawn=self.spawn, report_error=self.report_error)
        self.document._on_ops = self.mark_dirty
        self.window = Window(self.document, self.console)
        #: Tells main which input kinds the page listens for (``_input_listeners``).
        self.input_listeners = InputListeners(self._invoke_quietly, self.spawn, self.mark_dirty)
        self.input_listeners.install()
        #: Collects the page's cyclic garbage once the loop is idle (``_idle_gc``);
        #: ``run`` starts it, with CPython's own trigger raised.
        self.collector = IdleCollector()

    async def _invoke_quietly(self, channel: str, args: list[Any]) -> None:
        try:
            await self.calls.invoke(channel, args)
        except Exception:  # noqa: BLE001 - only main going away fails these; nothing is left to tell
            return

    # -- helpers used by the DOM, the IPC objects and the console ----------------

    def spawn(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run app code (an async listener or handler) as a task."""
        self._busy += 1
        self.nursery.start_soon(self._guarded, fn, *args)

    async def _guarded(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        try:
            await fn(*args)
        except Exception as exc:  # noqa: BLE001 - app code's error is the page's console error; the renderer goes on
            self.report_error(exc)
        finally:
            self._busy -= 1
            if not self._busy and self._unsettled:
                self.flush()
                self.conn.send(Settled(self._unsettled), bounded=False)
                self._unsettled = 0

    def report_error(self, exc: BaseException) -> None:
        """An uncaught exception in app code: a console error at the user's line, with traceback."""
        frame = user_frame(exc)  # the page's or preload's line, not the framework's
        source, line = (frame.filename, frame.lineno or 0) if frame else ("", 0)
        self.console_message("error", f"Uncaught {user_traceback(exc)}", source, line)

    def console_message(self, level: ConsoleLevel, message: str, source: str = "", line: int = 0) -> None:
        if not self.conn.closed:
            self.conn.send(ConsoleMsg(level, message, source, line), bounded=False)

    def _send(self, msg: Any) -> None:
        # The framework's own messages (answers, invokes, stream items) are
        # never refused for a full buffer; ipc_renderer.send (the page's
        # one-way traffic) is, with SendBufferFull at the call.
        if not self.conn.closed:
            self.conn.send(msg, bounded=False)

    def _main_gone(self) -> str | None:
        return "the connection to main is closed" if self.conn.closed else None

    def mark_dirty(self) -> None:
        self._pending = True
        if not self._inline:
            self._dirty.set()

    @contextlib.contextmanager
    def _flushing_inline(self) -> Iterator[None]:
        """Deliver a message from main whose answer :meth:`flush` sends before the end.

        Waking the flusher for what the delivery changed would cost a loop
        iteration after the answer left (and another for its checkpoint),
        work the renderer did just as main wakes to read that answer: after
        a click, ~50-80 µs on a core main may be sharing. Whatever is still
        pending at the end (the delivery raised before its flush) wakes the
        flusher then, so nothing is left unsent.
        """
        self._inline = True
        try:
            yield
        finally:
            self._inline = False
            if self._pending:
                self._dirty.set()

    def flush(self) -> None:
        """Send what this turn left: the page's batched sends, then its DOM ops as one Commit."""
        if not self._pending:
            return
        self._pending = False
        self.conn.flush_batch()
        ops = self.document.take_ops()
        if ops and not self.conn.closed:
            self.conn.send(Commit(ops), bounded=False)
        self.input_listeners.flush()
        self.collector.check()  # collected once idle: after the commit and the answers are written

    # -- tasks ---------------------------------------------------------------------

    async def flusher(self) -> None:
        """Send one commit per turn: wait for a mutation, let the turn finish, flush."""
        while True:
            await self._dirty.wait()
            self._dirty = trio.Event()
            await trio.lowlevel.cancel_shielded_checkpoint()
            self.flush()

    async def writer(self) -> None:
        try:
            await self.conn.run_writer()
        except ConnectionClosed:
            pass

    async def reader(self) -> None:
        try:
            while True:
                msg = await self.reading.next_message()
                if isinstance(msg, Shutdown):
                    return
                self.handle(msg)
        except ConnectionClosed:
            return
        finally:
            self.calls.fail_all("the connection to main closed")
            self.answers.cancel_all()
            self.nursery.cancel_scope.cancel()

    def handle(self, msg: Immediate) -> None:
        """Act on one message from main (any but Shutdown, which ends the reader)."""
        match msg:
            case Message():
                ports = [MessagePort(socket_from_fd(fd)) for fd in self.conn.take_fds(msg.ports)] if msg.ports else []
                with self._flushing_inline():
                    ipc_renderer._deliver(msg.channel, msg.args, msg.sender_id, ports)
                    self.flush()
            case DomEvent():
                # The event's answer (what its listeners sent, its Commit and
                # its Settled) leaves in one write: main reads it in one wake-up
                # instead of the Settled waking it again while it lays out and
                # draws the commit, and the writer task is not woken for it.
                self.conn.hold_writes()
                try:
                    # Settled waits for the async listeners the event started, so a
                    # test harness knows when everything the input caused is done.
                    with self._flushing_inline():
                        self.document.handle_input(msg)
                        self.flush()
                    if self._busy:
                        self._unsettled = msg.seq
                    else:
                        self.conn.send(Settled(msg.seq), bounded=False)
                finally:
                    self.conn.flush_held()
            case Result() | Failure() | StreamItem():
                self.calls.on_message(msg)
            case Invoke():
                handler = ipc_renderer._handlers.get(msg.channel)
                refusal = None
                if handler is None:
                    near = did_you_mean(msg.channel, ipc_renderer._handlers)
                    refusal = NoHandlerError(f"No handler registered for {msg.channel!r} in the renderer{near}")
                self.answers.start(msg, handler, IpcRendererEvent(ipc_renderer), refusal)
            case Cancel():
                self.answers.cancel(msg.id)
            case StreamCredit():
                self.answers.credit(msg)
            case Refused():
                self.report_error(PermissionError(f"main refused a message: {msg.reason}"))
            case SyncReply():
                pass  # a reply that arrived after its send_sync timed out
            case Init():
                pass  # only the first Init means anything: it was read before this loop began
            case _:
                assert_never(msg)

    # -- loading ---------------------------------------------------------------------

    def run_preload(self, path: str) -> None:
        # A real module, so what looks a class's module up in sys.modules
        # (dataclasses, typing.get_type_hints, pickle-free cloning) finds it;
        # compiled without this file's __future__ flags (string annotations
        # would be the preload's choice, not ours).
        module = types.ModuleType(PRELOAD_MODULE)
        module.__file__ = path
        module.__dict__["__builtins__"] = __builtins__
        module.__dict__.update(preload_globals(self.window, self.document, self.init.versions))
        sys.modules[PRELOAD_MODULE] = module
        code = compile(Path(path).read_text(encoding="utf-8"), path, "exec", dont_inherit=True)
        exec(code, module.__dict__)

    async def load(self) -> None:
        init = self.init
        context_bridge._expose = self.window._expose
        if init.preload:
            try:
                self.run_preload(init.preload)
            except Exception as exc:  # noqa: BLE001 - any error of the app's preload is reported to main as PreloadError
                self.conn.send(PreloadError(init.preload, error_info(exc, init.development)))
        if init.page:
            try:
                load_page(init.page, self.document, self.window, self.console, self.report_error)
            except Exception as exc:  # noqa: BLE001 - any error loading the page is reported to main as LoadFailed
                self.conn.send(LoadFailed(init.page, error_info(exc, init.development)))
                return
        await self.input_listeners.tell()  # main knows what the page listens for before it is loaded
        self.flush()
        self.conn.send(DidFinishLoad(self.document.title or ""))


async def run(conn: BatchingConnection[Any], init: Init, report: dict[str, Any]) -> None:
    """The renderer's trio main: serve until main says Shutdown or goes away."""
    # Main is trusted: what it sends may rebuild the app's Structs/dataclasses
    # (main itself never does that for what a renderer sends).
    rebuild_records(True)
    # The renderer's own buffer towards main is bounded like main's: a send
    # past the cap raises SendBufferFull at the call instead of growing.
    conn.high_water = init.send_high_water
    conn.send_limit = init.send_limit
    conn.limit_batches_to(init.max_frame)  # main reads this renderer's frames up to the same size
    # lock_down's report is a plain dict (it runs before anything but the
    # stdlib may be imported); it crosses as the typed report main decodes.
    conn.send(Ready(os.getpid(), msgspec.convert(report, SandboxReport)))
    async with trio.open_nursery() as nursery:
        rt = Runtime(conn, init, nursery)
        ipc_renderer._rt = rt
        sys.stdout = _ConsoleStream(rt.console_message, "log")
        sys.stderr = _ConsoleStream(rt.console_message, "error")
        nursery.start_soon(rt.writer)
        nursery.start_soon(rt.flusher)
        nursery.start_soon(rt.reader)
        rt.collector.install()
        nursery.start_soon(rt.collector.run)
        await rt.load()
    # Whatever is still buffered (last commits, console lines) goes out now.
    try:
        conn.flush_blocking(deadline=time.monotonic() + 1.0)
    except (OSError, TimeoutError):
        pass
