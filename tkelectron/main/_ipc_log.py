"""The IPC log of one window: every message to and from its renderer.

``web_contents.on("ipc-log", fn)`` gets an :class:`IpcLogEntry` per message —
time, direction, kind, channel, frame size, and for answers the latency of
the call they answer and its error. Nothing is recorded while nobody
listens (devtools subscribes when it opens): the connection's ``on_send`` /
``on_receive`` hooks are set only while the web contents has an ``ipc-log``
listener (:meth:`IpcLogger.listening` when one is added; the first message
after the last one left takes them off), so an unwatched window pays nothing
per message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..common._messages import (
    Cancel,
    Commit,
    DomEvent,
    Failure,
    Invoke,
    Message,
    Result,
    Send,
    Sends,
    SendSync,
    StreamItem,
    SyncReply,
)

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["IpcLogEntry", "IpcLogger"]

TO_RENDERER, TO_MAIN = "main→renderer", "renderer→main"


@dataclass(frozen=True)
class IpcLogEntry:
    time: float  # time.time()
    direction: str  # "renderer→main" or "main→renderer"
    kind: str  # send, invoke, stream, result, failure, send_sync, reply, message, commit, event, ...
    channel: str
    size: int  # bytes on the wire, header included
    latency: float | None = None  # seconds, for answers to invoke / send_sync
    error: str | None = None


class IpcLogger:
    """Turns a connection's traffic into IpcLogEntry events on a WebContents."""

    def __init__(self, wc: WebContents) -> None:
        self._wc = wc
        # (direction the call went, id) -> (start, channel)
        self._calls: dict[tuple[str, int], tuple[float, str]] = {}
        # The connection of the web contents' current renderer, and whether
        # its hooks are set.
        self._conn: Any = None
        self._hooked = False

    @property
    def hooked(self) -> bool:
        """True while the current connection's traffic is being logged."""
        return self._hooked

    def attach(self, conn: Any) -> None:
        """Log ``conn`` (a new renderer's) from now on, if anyone listens."""
        if self._conn is not None and self._conn is not conn:
            self._unhook()
        self._conn = conn
        self.listening()

    def listening(self) -> None:
        """An ``ipc-log`` listener may have been added: hook the connection."""
        conn = self._conn
        if conn is None or self._hooked or not self._wc.listener_count("ipc-log"):
            return
        conn.on_send = lambda msg, size: self._log(TO_RENDERER, msg, size)
        conn.on_receive = lambda msg, size: self._log(TO_MAIN, msg, size)
        self._hooked = True

    def _unhook(self) -> None:
        conn = self._conn
        if self._hooked and conn is not None:
            conn.on_send = conn.on_receive = None
        self._hooked = False
        self._calls.clear()  # latencies of calls not seen to their answer mean nothing later

    def _log(self, direction: str, msg: Any, size: int) -> None:
        if not self._wc.listener_count("ipc-log"):
            self._unhook()  # the last listener left: stop paying per message
            return
        if type(msg) is Sends:  # a renderer's batch: one entry per send, the frame's bytes shared out
            for item in msg.items:
                self._log(direction, item, size // len(msg.items))
            return
        now = time.perf_counter()
        other = TO_MAIN if direction == TO_RENDERER else TO_RENDERER
        kind, channel, latency, error = type(msg).__name__.lower(), getattr(msg, "channel", ""), None, None
        if isinstance(msg, Invoke):
            kind = "stream" if msg.stream else "invoke"
            self._calls[(direction, msg.id)] = (now, msg.channel)
        elif isinstance(msg, SendSync):
            kind = "send_sync"
            self._calls[(direction, -msg.id)] = (now, msg.channel)
        elif isinstance(msg, (Result, Failure, SyncReply, Cancel)):
            key = (other, -msg.id if isinstance(msg, SyncReply) else msg.id)
            start, channel = self._calls.pop(key, (now, channel))
            latency = now - start
            failed = getattr(msg, "error", None)
            if failed is not None:
                kind, error = "failure", f"{failed.type}: {failed.message}"
            elif isinstance(msg, SyncReply):
                kind = "reply"
        elif isinstance(msg, StreamItem):
            channel = self._calls.get((other, msg.id), (0.0, ""))[1]
        elif isinstance(msg, Commit):
            channel = f"{len(msg.ops)} op(s)"
        elif isinstance(msg, DomEvent):
            kind, channel = "event", msg.type
        elif isinstance(msg, (Send, Message)):
            kind = "send" if isinstance(msg, Send) else "message"
        self._wc.emit("ipc-log", IpcLogEntry(time.time(), direction, kind, channel, size, latency, error))
