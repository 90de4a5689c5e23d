"""Two-way calls over one connection, the same in both processes.

:class:`Calls` is the caller's side: ``invoke`` awaits one answer, ``stream``
iterates many. :class:`Answers` is the handler's side: it runs handlers as
tasks, answers them, and cancels them when the caller gives up or goes away.
Main uses both per renderer (renderer→main invoke, main→renderer invoke) and
so does each renderer, so the rules are written once:

- An exception in a handler becomes a ``Failure`` carrying its type, message
  and (in development) traceback; the caller raises IpcRemoteError.
- A caller that stops waiting (its task is cancelled, or it breaks out of a
  stream) sends ``Cancel``; the handler's task is cancelled — it sees
  ``trio.Cancelled`` — and its answer is dropped (electron#41025).
- Streams have backpressure: the consumer grants credit, and the producer
  (an async generator) is only advanced while it has credit, so at most
  ``window`` items are ever in flight and memory stays bounded. A producer
  that sends past its credit raises FrameError at the consumer (in main: the
  renderer is killed as an ipc-violation), so the queue stays bounded even
  against a hostile peer.
- Typed handlers get their arguments checked and converted first
  (:mod:`._typed`); a call that does not fit never runs the handler.
"""

from __future__ import annotations

import collections
import inspect
import itertools
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, Self

import trio

from ._clone import to_wire
from ._errors import RendererGoneError, remote_error
from ._framing import FrameError
from ._messages import Cancel, ErrorInfo, Failure, Invoke, Result, StreamCredit, StreamItem
from ._typed import checker_for

__all__ = ["Calls", "Answers", "Stream", "error_info", "STREAM_WINDOW"]

#: Items a stream's producer may have in flight before the consumer takes them.
STREAM_WINDOW = 16

#: What a plain handler mostly returns: never awaitable, so answered without
#: asking ``inspect.isawaitable`` (which costs more than the rest of the check).
_NEVER_AWAITABLE = frozenset({type(None), bool, int, float, str, bytes, list, dict, tuple})


def error_info(exc: BaseException, development: bool) -> ErrorInfo:
    """Describe an exception for the wire (the traceback only in development)."""
    cls = type(exc)
    tb = "".join(traceback.format_exception(exc)) if development else None
    return ErrorInfo(type=cls.__qualname__, message=str(exc), module=cls.__module__, traceback=tb)


def _error(failure: Failure) -> BaseException:
    e = failure.error
    return remote_error(e.type, e.message, failure.channel or None, e.traceback, e.module)


class _Pending:
    """One call waiting for its answer: its outcome, a stream's items, the task parked on it."""

    __slots__ = ("tasks", "waker", "outcome", "error", "items", "done", "channel", "window")

    def __init__(self, channel: str, window: int = 0) -> None:
        self.channel = channel
        self.window = window  # a stream's credit: the most items that may queue
        # The tasks parked in park() (one, but for a stream iterated from
        # several tasks), until wake() reschedules them: parking the task
        # itself costs less than an Event per wait.
        self.tasks: list[trio.lowlevel.Task] = []
        #: Wakes the caller when it waits other than parked (the renderer's,
        #: reading the socket itself: ``renderer._shared_reading``).
        self.waker: Callable[[], None] | None = None
        self.outcome: list[Any] = []
        #: Set when the call failed. Kept apart from ``outcome`` because a
        #: handler may *return* an exception as its value (errors clone, as in
        #: Electron): that resolves the call, it does not raise.
        self.error: BaseException | None = None
        self.items: collections.deque[Any] = collections.deque()
        self.done = False

    async def park(self) -> None:
        """Sleep until :meth:`wake` (or a cancellation); the caller looks at the state again."""
        task = trio.lowlevel.current_task()
        self.tasks.append(task)

        def abort(_: Any) -> trio.lowlevel.Abort:
            self.tasks.remove(task)
            return trio.lowlevel.Abort.SUCCEEDED

        await trio.lowlevel.wait_task_rescheduled(abort)

    def wake(self) -> None:
        if self.tasks:
            tasks, self.tasks = self.tasks, []
            for task in tasks:
                trio.lowlevel.reschedule(task)
        elif self.waker is not None:
            self.waker()


class Calls:
    """The calls this side made and is waiting on."""

    def __init__(self, send: Callable[[Any], None], gone: Callable[[], str | None]) -> None:
        self._send = send
        self._gone = gone  # a reason when the other side is gone, else None
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        #: How an invoke waits for its answer: parked until it arrives, or (the
        #: renderer's, ``renderer._shared_reading``) reading the socket itself.
        #: Returns when the call may be done; ``invoke`` looks and waits again.
        self.wait_answer: Callable[[_Pending], Awaitable[None]] = _Pending.park

    def __len__(self) -> int:
        return len(self._pending)

    def awaits(self, call_id: int) -> bool:
        """True when a call (an invoke or a stream) waits for an answer with this id."""
        return call_id in self._pending

    async def invoke(self, channel: str, wire_args: list[Any]) -> Any:
        reason = self._gone()
        if reason:
            raise RendererGoneError(f"cannot invoke {channel!r}: {reason}")
        call_id = next(self._ids)
        pending = self._pending[call_id] = _Pending(channel)
        self._send(Invoke(call_id, channel, wire_args))
        try:
            while not pending.done:
                await self.wait_answer(pending)
        finally:
            self._pending.pop(call_id, None)
            if not pending.done and not self._gone():
                self._send(Cancel(call_id))  # we stopped waiting: cancel the handler
        if pending.error is not None:
            raise pending.error
        return pending.outcome[0]

    def stream(self, channel: str, wire_args: list[Any], window: int = STREAM_WINDOW) -> Stream:
        reason = self._gone()
        if reason:
            raise RendererGoneError(f"cannot stream {channel!r}: {reason}")
        call_id = next(self._ids)
        pending = self._pending[call_id] = _Pending(channel, window)
        self._send(Invoke(call_id, channel, wire_args, stream=True))
        self._send(StreamCredit(call_id, window))
        return Stream(self, call_id, pending, window)

    # -- answers arriving --------------------------------------------------------

    def on_message(self, msg: Any) -> None:
        pending = self._pending.get(msg.id)
        if pending is None:
            return  # an answer to a call we gave up on
        if isinstance(msg, StreamItem):
            if len(pending.items) >= pending.window:
                # The producer ignored the credit it was given: the queue is
                # bounded by it, so this is the other side breaking the protocol.
                raise FrameError(f"stream {msg.id} ({pending.channel!r}) sent more items than its credit allows")
            pending.items.append(msg.value)
        elif isinstance(msg, Result):
            pending.outcome.append(msg.value)
            pending.done = True
        elif isinstance(msg, Failure):
            pending.error = _error(msg)
            pending.done = True
        pending.wake()

    def fail_all(self, reason: str) -> None:
        """The other side is gone: every waiting call fails now."""
        for pending in self._pending.values():
            if not pending.done:
                pending.error = RendererGoneError(f"{pending.channel!r}: {reason}")
                pending.done = True
                pending.wake()
        self._pending.clear()


class Stream:
    """``async for value in stream``; breaking out cancels the producer.

    Also an async context manager, and ``aclose()`` ends it early.
    """

    def __init__(self, calls: Calls, call_id: int, pending: _Pending, window: int) -> None:
        self._calls = calls
        self._id = call_id
        self._pending = pending
        self._window = window
        self._taken = 0
        self._closed = False

    def __aiter__(self) -> Stream:
        return self

    async def __anext__(self) -> Any:
        pending = self._pending
        while not pending.items and not pending.done:
            await pending.park()
        if pending.items:
            value = pending.items.popleft()
            self._taken += 1
            if self._taken >= max(1, self._window // 2) and not pending.done:
                self._calls._send(StreamCredit(self._id, self._taken))
                self._taken = 0
            return value
        self._finish(cancel=False)
        if pending.error is not None:
            raise pending.error
        raise StopAsyncIteration

    def _finish(self, cancel: bool) -> None:
        if self._closed:
            return
        self._closed = True
        if self._calls._pending.pop(self._id, None) is not None and cancel and not self._calls._gone():
            self._calls._send(Cancel(self._id))

    async def aclose(self) -> None:
        self._finish(cancel=not self._pending.done)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # `break` out of `async for` drops the stream: tell the producer at once.
        try:
            self._finish(cancel=not self._pending.done)
        except Exception:  # noqa: BLE001 - in __del__: telling the producer is best effort
            pass


class Answers:
    """Handlers running on behalf of the other side."""

    def __init__(self, send: Callable[[Any], None], spawn: Callable[..., None], development: Callable[[], bool]) -> None:
        self._send = send
        self._spawn = spawn
        self._development = development
        self._scopes: dict[int, trio.CancelScope] = {}
        self._credit: dict[int, list[Any]] = {}
        #: Called with the channel whenever a handler finished (devtools, the harness).
        self.on_done: Callable[[str], None] = lambda channel: None
        #: Called with the channel and the exception when a handler raised (main logs it).
        self.on_error: Callable[[str, BaseException], None] = lambda channel, exc: None

    def __len__(self) -> int:
        return len(self._scopes)

    def start(self, msg: Invoke, handler: Callable[..., Any] | None, event: Any, refusal: BaseException | None = None) -> None:
        """Answer ``msg`` with ``handler(event, *args)`` (or fail it with ``refusal``).

        A plain function is called right here and answered at once; only work
        that awaits (a coroutine, an awaitable result, a stream) becomes a task
        — a task costs a loop turn, which is much of a round trip's latency.
        """
        try:
            if refusal is not None:
                raise refusal
            if handler is None:  # callers pass a refusal whenever no handler exists
                raise LookupError(f"no handler for {msg.channel!r}")
            checker = checker_for(handler)
            args = checker.args(msg.channel, msg.args)
            streaming = checker.streaming
            if msg.stream and not streaming:
                raise TypeError(f"the handler of {msg.channel!r} does not stream (use invoke)")
            if streaming and not msg.stream:
                raise TypeError(f"the handler of {msg.channel!r} streams (use stream(), not invoke)")
            value = handler(event, *args)
            if not streaming and (type(value) in _NEVER_AWAITABLE or not inspect.isawaitable(value)):
                reply: Result | Failure = Result(msg.id, to_wire(checker.result(msg.channel, value), "return value"))
                self.on_done(msg.channel)
                self._send(reply)
                return
        except Exception as exc:  # noqa: BLE001 - a handler's error is the caller's Failure reply
            if exc is not refusal:
                self.on_error(msg.channel, exc)
            self.on_done(msg.channel)
            self._send(Failure(msg.id, error_info(exc, self._development()), msg.channel))
            return
        scope = trio.CancelScope()
        self._scopes[msg.id] = scope
        if streaming:
            self._credit[msg.id] = [0, trio.Event()]
        self._spawn(self._finish, msg, checker, value, streaming, scope)

    def cancel(self, call_id: int) -> None:
        scope = self._scopes.get(call_id)
        if scope is not None:
            scope.cancel()

    def cancel_all(self) -> None:
        for scope in list(self._scopes.values()):
            scope.cancel()

    def credit(self, msg: StreamCredit) -> None:
        credit = self._credit.get(msg.id)
        if credit is not None and msg.count > 0:
            credit[0] += msg.count
            credit[1].set()
            credit[1] = trio.Event()

    async def _finish(self, msg: Invoke, checker: Any, value: Any, streaming: bool, scope: trio.CancelScope) -> None:
        """Await what a handler started (or run its stream) and answer."""
        reply: Result | Failure
        with scope:
            try:
                if streaming:
                    await self._produce(msg, value)
                    result = None
                else:
                    result = checker.result(msg.channel, await value)
                reply = Result(msg.id, to_wire(result, "return value"))
            except Exception as exc:  # noqa: BLE001 - a handler's error is the caller's Failure reply
                self.on_error(msg.channel, exc)
                reply = Failure(msg.id, error_info(exc, self._development()), msg.channel)
            finally:
                self._scopes.pop(msg.id, None)
                self._credit.pop(msg.id, None)
                self.on_done(msg.channel)
        if not scope.cancelled_caught:
            self._send(reply)

    async def _produce(self, msg: Invoke, agen: Any) -> None:
        credit = self._credit[msg.id]
        try:
            while True:
                while credit[0] <= 0:
                    await credit[1].wait()
                try:
                    value = await agen.__anext__()
                except StopAsyncIteration:
                    return
                credit[0] -= 1
                self._send(StreamItem(msg.id, to_wire(value, "stream item")))
        finally:
            with trio.CancelScope(shield=True):
                await agen.aclose()
