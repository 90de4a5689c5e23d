"""One end of a renderer's socket: buffered frame writes, decoded frame reads.

``send`` never blocks: it encodes the message into an output buffer at once
(so a clone error surfaces at the caller) and a writer task flushes whatever
has accumulated in one system call — many small messages cost one write.

The socket is used raw (non-blocking, with trio's ``wait_readable`` /
``wait_writable``) rather than through a trio stream, because a renderer's
``send_sync`` must be able to finish a write and read its answer while its trio
loop is blocked; both paths share the same buffers, so bytes never interleave.
"""

from __future__ import annotations

import collections
import os
import select
import socket
import time
from typing import Any, Callable, Generic, Sequence, TypeVar

import trio

from ._framing import DEFAULT_MAX_FRAME, FrameDecoder, FrameEncoder, FrameError

__all__ = ["Connection", "ConnectionClosed"]

T = TypeVar("T")


class ConnectionClosed(Exception):
    """The peer closed the socket (or it was closed here)."""


class Connection(Generic[T]):
    """Framed messages over a connected stream socket.

    ``incoming`` is the union type this end decodes; ``max_frame`` bounds what
    the peer may send in one frame.
    """

    def __init__(self, sock: socket.socket, incoming: Any, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        sock.setblocking(False)
        self.sock = sock
        self._encoder = FrameEncoder()
        self._decoder: FrameDecoder[T] = FrameDecoder(incoming, max_frame)
        self._out = bytearray()
        # File descriptors to pass with SCM_RIGHTS: (offset in _out of the
        # frame they belong to, fds). They travel with that frame's first byte.
        self._out_fds: collections.deque[tuple[int, list[int]]] = collections.deque()
        self._in_fds: collections.deque[int] = collections.deque()
        self.max_fds = 64
        self._wake = trio.Event()
        self._wrote_this_turn = False
        self._pending: collections.deque[T] = collections.deque()
        self.closed = False
        self._wait_scope: trio.CancelScope | None = None
        #: Frames written and read, for tests and benchmarks.
        self.frames_sent = 0
        self.frames_received = 0
        #: Called with each message and its frame size as it is sent and as it
        #: arrives (the devtools IPC log); None costs nothing.
        self.on_send: Callable[[Any, int], None] | None = None
        self.on_receive: Callable[[Any, int], None] | None = None

    @property
    def max_frame(self) -> int:
        """The largest frame accepted from the peer (a larger one is a FrameError)."""
        return self._decoder.max_frame

    @max_frame.setter
    def max_frame(self, value: int) -> None:
        self._decoder.max_frame = value

    # -- writing -----------------------------------------------------------

    def send(self, msg: Any, fds: Sequence[int] = ()) -> None:
        """Queue ``msg``; ``fds`` are passed along with it.

        The connection takes ownership of ``fds``: it closes them once they are
        sent (the peer then holds its own copies), or when it closes.
        """
        if self.closed:
            raise ConnectionClosed("the connection is closed")
        idle = not self._out and not self._wrote_this_turn
        if fds:
            self._out_fds.append((len(self._out), list(fds)))
        size = self._encoder.append(msg, self._out)
        self.frames_sent += 1
        if self.on_send is not None:
            self.on_send(msg, size)
        if idle:
            # Nothing queued: write now instead of waiting for the writer task's
            # turn (one loop tick less per message, which is most of a round
            # trip's cost when trio runs as Tk's guest). Later sends in the same
            # turn still pile up and go out together.
            self._wrote_this_turn = True
            try:
                self._send_some()
            except OSError:
                pass  # the writer meets the error again and reports it
        self._wake.set()  # the writer runs next turn: flushes the rest, re-arms the direct write

    async def run_writer(self) -> None:
        """Flush the output buffer whenever there is something in it."""
        try:
            while True:
                while not self._out:
                    await self._wake.wait()
                    self._wake = trio.Event()
                    self._wrote_this_turn = False
                self._send_some()
                if self._out:
                    await trio.lowlevel.wait_writable(self.sock)
        except (OSError, trio.ClosedResourceError) as exc:  # the latter: close() while waiting
            self.closed = True
            raise ConnectionClosed(str(exc)) from None

    def _send_some(self) -> None:
        try:
            if not self._out_fds:
                sent = self.sock.send(self._out)
            elif self._out_fds[0][0] > 0:  # the bytes before the next frame with fds
                sent = self.sock.send(memoryview(self._out)[: self._out_fds[0][0]])
            else:
                fds = self._out_fds[0][1]
                end = self._out_fds[1][0] if len(self._out_fds) > 1 else len(self._out)
                sent = socket.send_fds(self.sock, [memoryview(self._out)[:end]], fds)
                self._out_fds.popleft()
                for fd in fds:
                    os.close(fd)
        except BlockingIOError:
            return
        del self._out[:sent]
        if self._out_fds:
            self._out_fds = collections.deque((offset - sent, fds) for offset, fds in self._out_fds)

    def flush_blocking(self, deadline: float) -> None:
        """Write out the whole buffer now, blocking the thread (send_sync)."""
        while self._out:
            self._send_some()
            if self._out:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out writing to the main process")
                select.select([], [self.sock], [], remaining)

    # -- reading -----------------------------------------------------------

    def _recv(self) -> bytes:
        data, fds, _flags, _addr = socket.recv_fds(self.sock, 1 << 18, self.max_fds)
        if fds:
            self._in_fds.extend(fds)
            if len(self._in_fds) > self.max_fds:
                for fd in fds:
                    os.close(fd)
                raise FrameError(f"the peer passed more than {self.max_fds} file descriptors")
        return data

    def take_fds(self, count: int) -> list[int]:
        """The next ``count`` received file descriptors (now owned by the caller)."""
        if count > len(self._in_fds):
            raise FrameError(f"a message announced {count} file descriptor(s) but {len(self._in_fds)} arrived")
        return [self._in_fds.popleft() for _ in range(count)]

    def _fill(self, data: bytes) -> None:
        if not data:
            self.closed = True
            raise ConnectionClosed("the peer closed the connection")
        msgs = self._decoder.feed(data)
        self.frames_received += len(msgs)
        self._pending.extend(msgs)
        if self.on_receive is not None:
            for msg, size in zip(msgs, self._decoder.sizes):
                self.on_receive(msg, size)

    async def receive(self) -> T:
        """The next message; raises ConnectionClosed at EOF, FrameError on garbage."""
        while not self._pending:
            if self.closed:  # the socket may be gone: never wait on its fd
                raise ConnectionClosed("the connection is closed")
            # The scope lets a blocking read (send_sync) wake this task when it
            # queued messages that belong to it.
            try:
                with trio.CancelScope() as self._wait_scope:
                    await trio.lowlevel.wait_readable(self.sock)
            except trio.ClosedResourceError:  # close() ran while we waited
                raise ConnectionClosed("the connection is closed") from None
            self._wait_scope = None
            if self._pending:
                break
            try:
                data = self._recv()
            except BlockingIOError:
                continue
            except OSError as exc:
                self.closed = True
                raise ConnectionClosed(str(exc)) from None
            self._fill(data)
        return self._pending.popleft()

    def receive_blocking_until(self, match: Callable[[T], bool], deadline: float) -> T:
        """Block the thread until a message that ``match``es arrives.

        Other messages stay queued, in order, for the async reader.
        """
        skipped: list[T] = []
        try:
            while True:
                while self._pending:
                    msg = self._pending.popleft()
                    if match(msg):
                        return msg
                    skipped.append(msg)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out waiting for the main process")
                readable, _, _ = select.select([self.sock], [], [], remaining)
                if readable:
                    try:
                        data = self._recv()
                    except BlockingIOError:
                        continue
                    self._fill(data)
        finally:
            self._pending.extendleft(reversed(skipped))
            if self._pending and self._wait_scope is not None:
                self._wait_scope.cancel()

    def close(self) -> None:
        self.closed = True
        while self._out_fds:  # never sent
            for fd in self._out_fds.popleft()[1]:
                os.close(fd)
        while self._in_fds:  # received but never claimed
            os.close(self._in_fds.popleft())
        try:
            trio.lowlevel.notify_closing(self.sock)  # wake any task waiting on it
        except RuntimeError:
            pass  # not inside a trio run
        try:
            self.sock.close()
        except OSError:
            pass

