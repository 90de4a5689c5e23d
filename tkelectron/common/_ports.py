"""Message ports: a channel between two parties, made of a real socketpair.

A port is one end of a ``socketpair``. Handing a port to another process
passes its socket with SCM_RIGHTS, so once two renderers hold the two ends
of a channel their messages go straight from one to the other: the main
process is not on the path. The same class serves both processes; each
process's subclass says how to start the port's tasks there.

Semantics follow Electron's MessagePortMain: messages queue until
``start()``; ``message`` events carry ``.data`` and ``.ports``; ``close`` is
emitted when the other end closes or its process dies. A port can be
transferred once, and not after it was started or closed.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

import msgspec
import trio

from ._clone import to_wire
from ._connection import Connection, ConnectionClosed
from ._emitter import EventEmitter
from ._errors import DataCloneError
from ._framing import FrameError

__all__ = ["PORT_BACKLOG", "MessageEvent", "MessagePortBase", "PortFrame", "socket_from_fd"]

#: Messages a port holds for its async listeners before it stops reading its
#: socket (it reads again once half of them have run).
PORT_BACKLOG = 1024


class PortFrame(msgspec.Struct, tag=True, tag_field="msg", array_like=True, omit_defaults=True, frozen=True):
    """One message on a port's socket; ``ports`` sockets come with it."""

    data: Any
    ports: int = 0


class MessageEvent:
    """What a ``message`` listener gets: ``data`` and the transferred ``ports``."""

    def __init__(self, data: Any, ports: list[Any]) -> None:
        self.data = data
        self.ports = ports

    def __repr__(self) -> str:
        return f"MessageEvent(data={self.data!r}, ports={self.ports!r})"


def socket_from_fd(fd: int) -> socket.socket:
    """Wrap a received fd as a port socket, refusing anything but a unix stream socket."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        import os

        os.close(fd)
        raise FrameError("a transferred port is not a socket") from None
    if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
        sock.close()
        raise FrameError("a transferred port is not a unix stream socket")
    return sock


class MessagePortBase(EventEmitter):
    """One end of a message channel."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._conn: Connection[PortFrame] = Connection(sock, PortFrame)
        self._state = "new"  # new -> started -> closed, or new -> transferred
        self._started = trio.Event()
        self._scope = trio.CancelScope()
        self._spawn_system(self._serve)

    # Each process says how a port's own task runs there.
    def _spawn_system(self, fn: Callable[[], Awaitable[Any]]) -> None:
        raise NotImplementedError

    def _order_key(self, event: str, args: tuple[Any, ...]) -> Hashable | None:
        # A port has one sender (the other end): its messages' async
        # listeners run one after another in arrival order, and ``close``'s
        # after them.
        return ("port", self)

    # -- sending ----------------------------------------------------------------

    def post_message(self, message: Any, transfer: Sequence[MessagePortBase] = ()) -> None:
        """Send ``message`` (cloned now) and hand over the ports in ``transfer``.

        On a closed port (closed here, or by the other end) this is a silent
        no-op once the message and ``transfer`` are checked, as in Electron
        and the DOM: nobody can receive it, and a page racing its peer's
        close must not fail. The ports in ``transfer`` then stay here, usable.
        Posting on a port that was *transferred* away is a bug of the caller
        (its messages would be lost with no one told): that raises.
        """
        if self._state == "transferred":
            raise RuntimeError("cannot post on a transferred port")
        wire = to_wire(message, "message")
        if transfer:
            _check_transferable(transfer, self)
        if self._state == "closed" or self._conn.closed:
            return
        fds = [port._detach() for port in transfer] if transfer else ()
        try:
            self._conn.send(PortFrame(wire, len(fds)), fds)
        except ConnectionClosed:
            pass  # the other end went away just now: as if it had closed first

    postMessage = post_message

    # -- receiving ----------------------------------------------------------------

    def start(self) -> None:
        """Start delivering ``message`` events (they queue until then)."""
        if self._state == "new":
            self._state = "started"
            self._started.set()

    def close(self) -> None:
        """Disconnect; the other end gets ``close``."""
        if self._state in ("closed", "transferred"):
            return
        self._state = "closed"
        self._scope.cancel()
        self._conn.close()

    @property
    def closed(self) -> bool:
        return self._state == "closed"

    async def _serve(self) -> None:
        with self._scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._write)
                await self._started.wait()
                await self._read()
                nursery.cancel_scope.cancel()

    async def _write(self) -> None:
        try:
            await self._conn.run_writer()
        except ConnectionClosed:
            pass

    async def _read(self) -> None:
        conn = self._conn
        # The same for every message of this port: worked out once, not per message.
        key = self._order_key("message", ())
        report = self._error_report("message", ())
        runner = self._listener_runner
        try:
            while True:
                frame = await conn.receive()
                ports = [type(self)(socket_from_fd(fd)) for fd in conn.take_fds(frame.ports)] if frame.ports else []
                self._emit_keyed("message", (MessageEvent(frame.data, ports),), key, report)
                # Backpressure: while this port's async listeners are far
                # behind, stop reading it; the sender's writes then wait in
                # its own bounded buffer instead of piling up here.
                if key is not None and runner.pending(key) > PORT_BACKLOG:
                    await runner.wait_for_backlog(key, PORT_BACKLOG // 2)
        except (ConnectionClosed, FrameError):
            pass
        if self._state == "started":
            self._state = "closed"
            conn.close()
            self.emit("close")

    def _detach(self) -> int:
        """Give up this end's socket (to transfer it); returns its fd."""
        import time

        self._state = "transferred"
        self._scope.cancel()
        self._conn.flush_blocking(time.monotonic() + 5.0)
        trio.lowlevel.notify_closing(self._conn.sock)
        return self._conn.sock.detach()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._state}>"


def _check_transferable(ports: Sequence[Any], sender: Any) -> None:
    seen: set[int] = set()
    for i, port in enumerate(ports):
        path = f"transfer[{i}]"
        if not isinstance(port, MessagePortBase):
            raise DataCloneError(path, f"{type(port).__name__} is not a transferable port")
        if port is sender:
            raise DataCloneError(path, "a port cannot transfer itself")
        if id(port) in seen:
            raise DataCloneError(path, "the same port is listed twice")
        if port._state != "new":
            raise DataCloneError(path, f"a {port._state} port cannot be transferred")
        seen.add(id(port))
