"""``ipc_renderer``: the renderer's end of user IPC channels (preload only).

Mirrors Electron's ``ipcRenderer``: ``send`` (one-way), ``invoke`` (two-way,
awaitable), ``send_sync`` (blocks this renderer until main answers),
``on``/``once``/``off`` for messages from main, plus ``handle`` so main can
``web_contents.invoke`` the renderer (Electron has no equivalent: #40182).
Arguments are cloned at the call, so a value that cannot cross raises
DataCloneError here, naming its path.
"""

from __future__ import annotations

import fnmatch
import itertools
import time
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from ..common._calls import Stream
from ..common._clone import to_wire, to_wire_args
from ..common._emitter import EventEmitter
from ..common._errors import IpcError, remote_error
from ..common._listeners import ListenerRunner
from ..common._messages import INTERNAL_PREFIX, Send, SendSync, SyncReply
from ..common._ports import _check_transferable

if TYPE_CHECKING:
    from ._runtime import Runtime

__all__ = ["IpcRenderer", "IpcRendererEvent", "ipc_renderer"]

Listener = Callable[..., Any]


def _check_channel(channel: str) -> None:
    if not isinstance(channel, str):
        raise TypeError(f"a channel name must be a str, not {type(channel).__name__}")
    if channel.startswith(INTERNAL_PREFIX):
        raise ValueError(f"channel {channel!r} is reserved for tkelectron (prefix {INTERNAL_PREFIX!r})")


#: Allowlist verdicts a runtime keeps at most (``Runtime.allow_verdicts``): a
#: page naming ever new channels just stops adding to them.
_MAX_VERDICTS = 1024


def _check_allowed(rt: Runtime, channel: str, direction: str) -> None:
    """Fail at the call for a channel the window's allowlist refuses (main checks too)."""
    allowed = rt.init.channels
    if allowed is None:
        return
    # The list is fixed for the renderer's life (Init), and matching every
    # pattern on every send cost more than the send: each verdict is kept.
    verdicts = rt.allow_verdicts
    key = (direction, channel)
    verdict = verdicts.get(key)
    if verdict is None:
        verdict = any(fnmatch.fnmatchcase(channel, p) for p in allowed.get(direction, ()))
        if len(verdicts) < _MAX_VERDICTS:
            verdicts[key] = verdict
    if not verdict:
        raise PermissionError(f"this window may not {direction} on {channel!r} (web_preferences['channels'])")


class IpcRendererEvent:
    """First argument of a renderer listener: ``sender``, ``sender_id``, ``ports``."""

    def __init__(self, sender: IpcRenderer, sender_id: int = 0, ports: list[Any] | None = None) -> None:
        self.sender = sender
        self.sender_id = sender_id
        self.ports: list[Any] = ports or []


def _spawn_in_renderer(fn: Callable[[], Any]) -> None:
    ipc_renderer._runtime().spawn(fn)


#: Where the renderer's async IPC and port listeners run (its runtime's nursery).
renderer_listeners = ListenerRunner(_spawn_in_renderer)


class IpcRenderer(EventEmitter):
    """The renderer-side IPC object (one per renderer process).

    Async listeners of one channel start in arrival order per sender (main,
    or the window that sent with ``send_to``): they run one after another.
    """

    _listener_runner = renderer_listeners

    #: How long ``send_sync`` waits for main before raising TimeoutError.
    send_sync_timeout: float = 10.0

    def __init__(self) -> None:
        super().__init__()
        self._rt: Runtime | None = None
        self._ids = itertools.count(1)
        self._handlers: dict[str, Listener] = {}

    def _runtime(self) -> Runtime:
        if self._rt is None:
            raise IpcError("ipc_renderer is only usable inside a renderer process")
        return self._rt

    def _order_key(self, event: str, args: tuple[Any, ...]) -> Hashable | None:
        sender = args[0].sender_id if args and isinstance(args[0], IpcRendererEvent) else None
        return ("ipc", sender, event)

    def _report_listener_error(self, exc: BaseException) -> None:
        self._runtime().report_error(exc)

    # -- renderer -> main -----------------------------------------------------

    def send(self, channel: str, *args: Any) -> None:
        """Send a one-way message to main's ``ipc_main.on(channel)`` listeners."""
        rt = self._rt
        if rt is None or type(channel) is not str or channel not in rt.sendable:
            rt = self._admit_send(channel)
        rt.conn.send_args(channel, to_wire_args(args))

    def _admit_send(self, channel: str) -> Runtime:
        """``send``'s checks of ``channel``, in their order; a channel that
        passes them is kept (``Runtime.sendable``: the reserved prefix and the
        allowlist are fixed for the renderer's life), so the page's next send
        on it takes one set lookup instead of both checks."""
        _check_channel(channel)
        rt = self._runtime()
        _check_allowed(rt, channel, "send")
        if type(channel) is str and len(rt.sendable) < _MAX_VERDICTS:
            rt.sendable.add(channel)
        return rt

    def post_message(self, channel: str, message: Any, transfer: Sequence[Any] = ()) -> None:
        """Send ``message`` to main with the MessagePorts in ``transfer``.

        Main's ``ipc_main.on(channel)`` listeners get them in ``event.ports``.
        """
        _check_channel(channel)
        rt = self._runtime()
        _check_allowed(rt, channel, "send")
        wire = [to_wire(message, "message")]
        _check_transferable(transfer, None)
        fds = [port._detach() for port in transfer]
        rt.conn.send_user(Send(channel, wire, len(fds)), fds)

    postMessage = post_message

    async def invoke(self, channel: str, *args: Any) -> Any:
        """Call main's ``ipc_main.handle(channel)`` and return what it returns.

        If the handler raises, this raises IpcRemoteError (also an instance of
        the remote builtin exception type). Cancelling the awaiting task tells
        main to cancel the handler.
        """
        _check_channel(channel)
        rt = self._runtime()
        _check_allowed(rt, channel, "invoke")
        return await rt.calls.invoke(channel, to_wire_args(args))

    def stream(self, channel: str, *args: Any) -> Stream:
        """``async for value in ipc_renderer.stream(ch, ...)``: what main's
        async-generator handler yields, in order, with backpressure; breaking
        out of the loop cancels the producer."""
        _check_channel(channel)
        rt = self._runtime()
        _check_allowed(rt, channel, "invoke")
        return rt.calls.stream(channel, to_wire_args(args))

    def send_sync(self, channel: str, *args: Any) -> Any:
        """Send and block this renderer until main sets ``event.return_value``.

        Blocks the renderer's whole loop, as in Electron (prefer ``invoke``).
        Fails with IpcRemoteError if no listener sets a return value, and with
        TimeoutError after ``send_sync_timeout`` seconds if main never answers.
        """
        _check_channel(channel)
        _check_allowed(self._runtime(), channel, "send")
        return self._send_sync(channel, to_wire_args(args))

    def _send_sync(self, channel: str, args: list[Any]) -> Any:
        """``send_sync`` with no channel checks (also the framework's sync channels')."""
        rt = self._runtime()
        call_id = next(self._ids)
        rt.conn.send(SendSync(call_id, channel, args))
        deadline = time.monotonic() + self.send_sync_timeout
        try:
            rt.conn.flush_blocking(deadline)
            reply = rt.conn.receive_blocking_until(
                lambda m: isinstance(m, SyncReply) and m.id == call_id, deadline
            )
        except TimeoutError:
            raise TimeoutError(
                f"send_sync({channel!r}): main did not answer within {self.send_sync_timeout:g} s"
            ) from None
        assert isinstance(reply, SyncReply)
        if reply.error is not None:
            e = reply.error
            raise remote_error(e.type, e.message, channel, e.traceback, e.module)
        return reply.value

    # -- main -> renderer ---------------------------------------------------------

    def on(self, event: str, listener: Listener) -> IpcRenderer:
        _check_channel(event)
        super().on(event, listener)
        return self

    def once(self, event: str, listener: Listener) -> IpcRenderer:
        _check_channel(event)
        super().once(event, listener)
        return self

    def handle(self, channel: str, handler: Listener) -> None:
        """Answer main's ``web_contents.invoke(channel, ...)`` with ``handler(event, *args)``."""
        _check_channel(channel)
        if channel in self._handlers:
            raise ValueError(f"Attempted to register a second handler for {channel!r}")
        self._handlers[channel] = handler

    def remove_handler(self, channel: str) -> None:
        self._handlers.pop(channel, None)

    def _deliver(self, channel: str, args: list[Any], sender_id: int, ports: list[Any]) -> None:
        self.emit(channel, IpcRendererEvent(self, sender_id, ports), *args)


#: The renderer's instance, bound to its connection when the renderer starts.
ipc_renderer = IpcRenderer()

