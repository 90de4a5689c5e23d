"""One end of a renderer's socket: buffered frame writes, decoded frame reads.

``send`` never blocks: it encodes the message into an output buffer at once
(so a clone error surfaces at the caller) and a writer task flushes whatever
has accumulated in one system call — many small messages cost one write.

The socket is used raw (non-blocking, with trio's ``wait_readable`` /
``wait_writable``) rather than through a trio stream, because a renderer's
``send_sync`` must be able to finish a write and read its answer while its trio
loop is blocked; both paths share the same buffers, so bytes never interleave.

Limits (each side of every connection; main sets them per window from
``web_preferences``, see :class:`~tkelectron.main._web_preferences.WebPreferences`):

- **Outgoing high-water mark** (``high_water``, default
  :data:`DEFAULT_HIGH_WATER`): once that many bytes wait for a peer that does
  not read, ``on_congestion(True)`` is called (main's window emits
  ``unresponsive``); ``send`` keeps accepting. When the buffer drains to half
  the mark, ``on_congestion(False)`` (``responsive``).
- **Outgoing hard cap** (``send_limit``, default :data:`DEFAULT_SEND_LIMIT`):
  a send that finds at least that many bytes still queued is refused. With
  an ``on_overflow`` handler (main's: it kills that renderer) the handler is
  called, the connection closes and the send raises ConnectionClosed (as
  for any gone peer); without one (a renderer's) it raises
  :class:`SendBufferFull` at the call. One frame may always be queued on top of a buffer
  below the cap, so a single large message still goes. The bytes of large
  values sent in memfds count too, until the peer has read their frames.
- **Partial-frame deadline** (``frame_timeout``, off unless set): a frame whose
  first bytes arrived must be complete within that many seconds, or
  ``receive`` raises FrameError (a peer that announces more than it sends
  cannot hold a reader forever).
- **Receive queue** (``receive_limit`` bytes, default
  :data:`DEFAULT_RECEIVE_LIMIT`): decoded messages waiting for their reader.
  The async reader only reads when its queue is empty; a blocking read
  (``send_sync``) stops reading from the socket once that many bytes of other
  messages are queued, so its memory stays bounded too.
- **File descriptors**: every fd that arrives must be declared by the message
  it came with (``ports``). More than that, or more than ``max_fds`` at once, is
  a FrameError; the extra fds are closed exactly once, when the connection
  closes. Large bytes values travel in sealed memfds with their frame
  (``_shared_bytes``): claimed and closed as the frame is decoded.
"""

from __future__ import annotations

import array
import collections
import math
import os
import select
import socket
import time
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import trio

from ._framing import DEFAULT_MAX_FRAME, FrameDecoder, FrameEncoder, FrameError
from ._shared_bytes import unread_bytes

__all__ = [
    "Connection",
    "ConnectionClosed",
    "SendBufferFull",
    "DEFAULT_HIGH_WATER",
    "DEFAULT_SEND_LIMIT",
    "DEFAULT_RECEIVE_LIMIT",
    "DEFAULT_FRAME_TIMEOUT",
]

T = TypeVar("T")

#: Bytes one receive reads at most (into a buffer each connection allocates once).
RECEIVE_CHUNK = 1 << 18
_FD_BYTES = array.array("i").itemsize
#: ``socket.MSG_CTRUNC`` as a plain int: the flag is an IntFlag member, and
#: ``flags & member`` goes through enum's Python ``__and__`` on every read.
_MSG_CTRUNC = int(socket.MSG_CTRUNC)

#: Bytes queued for a peer before it counts as not keeping up (``unresponsive``).
DEFAULT_HIGH_WATER = 8 * 1024 * 1024
#: Bytes queued for a peer past which a further send is refused (main kills the renderer).
DEFAULT_SEND_LIMIT = 64 * 1024 * 1024
#: Bytes of decoded messages a blocking read may queue for the async reader.
DEFAULT_RECEIVE_LIMIT = 64 * 1024 * 1024
#: Seconds a frame from a renderer may take from its first byte to its last.
DEFAULT_FRAME_TIMEOUT = 5.0


class ConnectionClosed(Exception):
    """The peer closed the socket (or it was closed here)."""


class SendBufferFull(BufferError):
    """A send found the peer not reading: the queued bytes are over the hard cap."""


def _declared_fds(msg: Any) -> int:
    """How many fds a message says travel with it (its ``ports`` field, if any)."""
    ports = getattr(msg, "ports", 0)
    return ports if type(ports) is int else 0


def _received_fds(ancdata: list[tuple[int, int, bytes]]) -> list[int]:
    """The file descriptors in ``recvmsg`` ancillary data (SCM_RIGHTS), as ``socket.recv_fds`` parses them."""
    fds: list[int] = []
    for level, kind, payload in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            arr = array.array("i")
            arr.frombytes(payload[: len(payload) - len(payload) % _FD_BYTES])
            fds.extend(arr)
    return fds


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
        self._decoder.take_shared_fd = self._take_shared_fd
        self._out = bytearray()
        # File descriptors to pass with SCM_RIGHTS: (offset in _out of the
        # frame they belong to, fds, bytes its memfds share). They travel
        # with that frame's first byte.
        self._out_fds: collections.deque[tuple[int, list[int], int]] = collections.deque()
        self._in_fds: collections.deque[int] = collections.deque()
        # Bytes of large values queued in memfds (the hard cap counts them).
        self._out_shared = 0
        # Bytes of memfds written that the peer may not have read yet (see _backlog).
        self._sent_shared = 0
        self.max_fds = 64
        # What _recv reads into, allocated on first use: a fresh 256 KiB
        # buffer per recv (socket.recv_fds) costs more than decoding a small frame.
        self._rbuf: memoryview | None = None
        self._wake = trio.Event()
        self._wrote_this_turn = False
        # Decoded messages not yet taken, with their frame sizes.
        self._pending: collections.deque[tuple[T, int]] = collections.deque()
        self._pending_bytes = 0
        self.closed = False
        # Tasks in fill() (wake_reader wakes the one waiting): a count, as a
        # woken task may not have left fill yet when another enters it.
        self._reading = 0
        # fds received vs. fds the decoded messages declared (see _check_fds).
        self._fds_received = 0
        self._fds_declared = 0
        self._fds_claimed = 0  # by take_fds and by shared bytes
        # When the frame now being received began (monotonic), or None.
        self._partial_since: float | None = None
        #: Limits; see the module docstring.
        self.high_water = DEFAULT_HIGH_WATER
        self.send_limit = DEFAULT_SEND_LIMIT
        self.receive_limit = DEFAULT_RECEIVE_LIMIT
        self.frame_timeout: float | None = None
        #: True while more than ``high_water`` bytes wait to be written.
        self.congested = False
        #: Called with True when the buffer passes the high-water mark and with
        #: False when it has drained to half of it.
        self.on_congestion: Callable[[bool], None] | None = None
        #: Called (once) when a send finds the buffer over ``send_limit``.
        self.on_overflow: Callable[[int], None] | None = None
        #: Frames written and read, for tests and benchmarks.
        self.frames_sent = 0
        self.frames_received = 0
        #: Called with each message and its frame size as it is sent and as it
        #: arrives (the devtools IPC log); None costs nothing.
        self.on_send: Callable[[Any, int], None] | None = None
        self.on_receive: Callable[[Any, int], None] | None = None
        #: Called once when the connection closes, before the socket does (a
        #: reader watching the fd from another loop, Tk's, lets go of it first).
        self.on_close: Callable[[], None] | None = None
        # True while a reader outside trio handles a batch of messages: sends
        # only queue, and flush_held writes what they queued in one go.
        self._held = False

    @property
    def max_frame(self) -> int:
        """The largest frame accepted from the peer (a larger one is a FrameError)."""
        return self._decoder.max_frame

    @max_frame.setter
    def max_frame(self, value: int) -> None:
        self._decoder.max_frame = value

    # -- writing -----------------------------------------------------------

    def send(self, msg: Any, fds: Sequence[int] = (), *, bounded: bool = True) -> None:
        """Queue ``msg``; ``fds`` are passed along with it.

        The connection takes ownership of ``fds``: it closes them once they are
        sent (the peer then holds its own copies), when it closes, or at once
        if the send is refused.

        Raises ConnectionClosed when closed (or just closed by ``on_overflow``),
        and SendBufferFull when the peer let ``send_limit`` bytes pile up and
        there is no ``on_overflow`` handler. ``bounded=False`` skips the cap: a
        renderer's own protocol messages (answers, commits, Settled) always
        queue, so only what its page sends can be refused.
        """
        if self.closed or (bounded and self._backlog() >= self.send_limit):
            for fd in fds:
                os.close(fd)
            if self.closed:
                raise ConnectionClosed("the connection is closed")
            queued = self._backlog()
            why = f"the peer is not reading: {queued} bytes are queued for it, over the limit of {self.send_limit}"
            if self.on_overflow is not None:
                self.on_overflow(queued)  # the owner ends the peer (main: kills that renderer)
                self.close()
                raise ConnectionClosed(why)
            raise SendBufferFull(why)
        idle = not self._out and not self._wrote_this_turn and not self._held
        size = self._append(msg, fds)
        self.frames_sent += 1
        if not self.congested and len(self._out) > self.high_water:
            self._set_congested(True)
        if self.on_send is not None:
            self.on_send(msg, size)
        if idle:
            # Nothing queued: write now instead of waiting for the writer task's
            # turn (one loop tick less per message, which is most of a round
            # trip's cost when trio runs as Tk's guest). Later sends in the same
            # turn still pile up and go out together: the writer flushes them
            # next turn and re-arms the direct write (so does the next message
            # received, which begins a new turn).
            self._wrote_this_turn = True
            self._write_now()
        elif not self._held:
            self._wake.set()

    def send_now(self, msg: Any) -> None:
        """:meth:`send` from outside the loop's turns (a Tk callback): written at once
        when nothing waits before it, whatever was sent earlier.

        A direct write is normally the turn's first only: later sends of the same
        turn pile up for the writer task, to go out together. A Tk callback is
        no turn of trio's: the writer task would run only once Tcl's notifier
        brought trio round, so a second message of one callback (a ``click``
        after its ``mouseup``) would wait for that. Order and bounds are
        :meth:`send`'s: with bytes still queued this queues behind them, and
        inside a held batch (:meth:`hold_writes`) it waits for the batch's end.
        """
        if not self._held:
            self._wrote_this_turn = False
        self.send(msg)

    def _write_now(self) -> None:
        """Write what the socket takes now; wake the writer task only for the
        rest (when all of it went, waking it would cost a loop tick for nothing)."""
        try:
            self._send_some()
        except OSError:
            self._wake.set()  # the writer meets the error again and reports it
            return
        if self._out:
            self._wake.set()

    def hold_writes(self) -> None:
        """Begin a batch: what is sent until :meth:`flush_held` only queues.

        For a reader that handles messages outside trio (a Tk file handler): the
        answers to one batch of messages go out in one write at its end, with
        no writer-task tick when the socket takes them all. Each batch begins a
        new turn, so the first send after it may write directly again.
        """
        self._held = True
        self._wrote_this_turn = False

    def flush_held(self) -> None:
        """End the batch :meth:`hold_writes` began: write what it queued now,
        waking the writer task only for what the socket did not take."""
        self._held = False
        if self._out and not self.closed:
            self._write_now()

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
                    try:
                        await trio.lowlevel.wait_writable(self.sock)
                    except trio.ClosedResourceError:
                        if self.closed:
                            raise
                        # wake_reader woke every task waiting on the socket,
                        # this one too: nothing happened to the socket, go on.
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
                _offset, fds, moved = self._out_fds[0]
                end = self._out_fds[1][0] if len(self._out_fds) > 1 else len(self._out)
                sent = socket.send_fds(self.sock, [memoryview(self._out)[:end]], fds)
                self._out_fds.popleft()
                self._out_shared -= moved
                self._sent_shared += moved
                for fd in fds:
                    os.close(fd)
        except BlockingIOError:
            return
        del self._out[:sent]
        if self._out_fds:
            self._out_fds = collections.deque((offset - sent, fds, shares) for offset, fds, shares in self._out_fds)
        if self.congested and len(self._out) <= self.high_water // 2:
            self._set_congested(False)

    def _set_congested(self, congested: bool) -> None:
        self.congested = congested
        if self.on_congestion is not None:
            self.on_congestion(congested)

    @property
    def queued(self) -> int:
        """Bytes waiting to be written to the peer."""
        return len(self._out)

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

    def _recv(self) -> memoryview:
        """Read what the socket has (a view valid until the next call) and take its fds."""
        buf = self._rbuf
        if buf is None:
            buf = self._rbuf = memoryview(bytearray(RECEIVE_CHUNK))
        nbytes, ancdata, flags, _addr = self.sock.recvmsg_into([buf], socket.CMSG_SPACE(self.max_fds * _FD_BYTES))
        fds = _received_fds(ancdata)
        if fds:
            # Owned from here on: each fd sits in _in_fds until a message
            # claims it (take_fds) or the connection closes it — exactly once.
            self._in_fds.extend(fds)
            self._fds_received += len(fds)
        if flags & _MSG_CTRUNC:
            raise FrameError(f"the peer passed more than {self.max_fds} file descriptors at once")
        if len(self._in_fds) > self.max_fds:
            raise FrameError(f"the peer passed more than {self.max_fds} file descriptors")
        return buf[:nbytes]

    def take_fds(self, count: int) -> list[int]:
        """The next ``count`` received file descriptors (now owned by the caller)."""
        if type(count) is not int or count < 0:
            raise FrameError(f"a message announced {count!r} file descriptors")
        if count > len(self._in_fds):
            raise FrameError(f"a message announced {count} file descriptor(s) but {len(self._in_fds)} arrived")
        self._fds_claimed += count
        return [self._in_fds.popleft() for _ in range(count)]

    def _take_shared_fd(self) -> int:
        """The memfd of the next shared value of the frame being decoded (``_shared_bytes``).

        A frame's memfds come first among its fds. Ahead of them in
        ``_in_fds`` sit only the fds of earlier messages not claimed yet
        (their ``ports``), those decoded by the feed in progress included.
        """
        ahead = self._fds_declared - self._fds_claimed + sum(map(_declared_fds, self._decoder.decoded))
        if ahead >= len(self._in_fds):
            raise FrameError("a frame shares bytes without passing their file descriptor")
        fd = self._in_fds[ahead]
        del self._in_fds[ahead]
        self._fds_declared += 1
        self._fds_claimed += 1
        return fd

    def _backlog(self) -> int:
        """What the hard cap counts: :attr:`queued`, and the bytes of memfds not sent or not read yet.

        A frame passing memfds is small, so the socket takes it at once and
        the bytes would escape ``send_limit``; they count until the socket is
        seen drained (``SIOCOUTQ`` 0: the peer took every frame and its fds).
        """
        if self._sent_shared and unread_bytes(self.sock.fileno()) == 0:
            self._sent_shared = 0
        return len(self._out) + self._out_shared + self._sent_shared

    def _append(self, msg: Any, fds: Sequence[int]) -> int:
        """Encode ``msg`` into the output buffer; its fds are the memfds of its large bytes, then ``fds``.

        Returns the bytes that cross: the frame and what it shares.
        """
        offset = len(self._out)
        try:
            size = self._encoder.append(msg, self._out, use_memfds=True)
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        shared = self._encoder.take_fds()
        if shared or fds:
            self._out_fds.append((offset, [*shared, *fds], self._encoder.shared))
            self._out_shared += self._encoder.shared
        return size + self._encoder.shared

    def _fill(self, data: bytes | memoryview) -> None:
        if not data:
            self.closed = True
            raise ConnectionClosed("the peer closed the connection")
        msgs = self._decoder.feed(data)
        sizes = self._decoder.sizes
        self.frames_received += len(msgs)
        for msg, size in zip(msgs, sizes, strict=True):
            self._pending.append((msg, size))
            self._pending_bytes += size
            self._fds_declared += _declared_fds(msg)
        if not self._decoder.buffered:
            self._partial_since = None
            if self._fds_received > self._fds_declared:
                # Every frame received is complete, so every fd that came with
                # them should have been declared by one. The extras stay in
                # _in_fds and are closed once, with the connection.
                extra = self._fds_received - self._fds_declared
                raise FrameError(f"{extra} file descriptor(s) arrived beyond what the messages declared")
        elif msgs or self._partial_since is None:
            self._partial_since = time.monotonic()
        if self.on_receive is not None:
            for msg, size in zip(msgs, sizes, strict=True):
                self.on_receive(msg, size)

    def _take(self) -> T:
        msg, size = self._pending.popleft()
        self._pending_bytes -= size
        return msg

    @property
    def has_pending(self) -> bool:
        """True when a decoded message is waiting (``receive`` returns it at once)."""
        return bool(self._pending)

    @property
    def partial(self) -> int:
        """Bytes of an incomplete frame received so far (0 between frames)."""
        return self._decoder.buffered

    def frame_deadline(self) -> float:
        """When the frame being received must be complete (time.monotonic), or inf."""
        if self.frame_timeout is None or self._partial_since is None:
            return math.inf
        return self._partial_since + self.frame_timeout

    def _partial_overdue(self) -> FrameError:
        expected = self._decoder.expected
        size = f"a frame of {expected} bytes" if expected is not None else "a frame header"
        return FrameError(
            f"{size} was still incomplete after {self.frame_timeout:g} s ({self._decoder.buffered} bytes arrived)"
        )

    async def receive(self) -> T:
        """The next message; raises ConnectionClosed at EOF, FrameError on garbage.

        FrameError also when a frame stays incomplete past ``frame_timeout``.
        """
        while not self._pending:
            await self.fill()
        self._wrote_this_turn = False  # a message begins a new turn: its answer may be written directly
        return self._take()

    async def fill(self) -> None:
        """Wait until the socket is readable, then decode what it holds into the queue.

        One step of :meth:`receive`, for a reader that takes the decoded
        messages itself (:meth:`take_nowait`; the renderer's shared reading).
        Returns having read nothing when :meth:`wake_reader` woke it (a
        blocking read queued messages meanwhile) or when the socket held
        nothing after all; the caller looks at the queue again. Raises as
        :meth:`receive` does.
        """
        if self.closed:  # the socket may be gone: never wait on its fd
            raise ConnectionClosed("the connection is closed")
        deadline = self.frame_deadline()
        self._reading += 1
        try:
            if deadline == math.inf:
                # No cancel scope between frames: entering one costs more than
                # the rest of reading a small frame, and this is every round trip.
                await trio.lowlevel.wait_readable(self.sock)
            else:  # a partial frame: it must be complete by its deadline
                with trio.move_on_at(trio.current_time() + deadline - time.monotonic()):
                    await trio.lowlevel.wait_readable(self.sock)
        except trio.ClosedResourceError:
            if self.closed:  # close() ran while we waited
                raise ConnectionClosed("the connection is closed") from None
            return  # wake_reader: the queue has messages now
        finally:
            self._reading -= 1
        try:
            data = self._recv()
        except BlockingIOError:
            if time.monotonic() >= deadline:  # nothing more came in time
                raise self._partial_overdue() from None
            return
        except OSError as exc:
            self.closed = True
            raise ConnectionClosed(str(exc)) from None
        self._fill(data)
        self._wrote_this_turn = False  # what arrived begins a new turn: an answer may be written directly
        if self._partial_since is not None and time.monotonic() >= self.frame_deadline():
            raise self._partial_overdue()

    def wake_reader(self) -> None:
        """Wake the task waiting in :meth:`fill`, if one is: it returns, having read nothing.

        For a blocking read that queued messages (``send_sync``) and for a
        task that wants to read in the waiting one's place. It goes through
        ``notify_closing`` (trio's only way to wake a task waiting on an fd
        from outside), which also wakes a writer waiting on the socket;
        :meth:`run_writer` takes that for what it is.
        """
        if self._reading and not self.closed:
            trio.lowlevel.notify_closing(self.sock)

    def read_nowait(self) -> bool:
        """Read what the socket holds now, without waiting; False when it held nothing.

        For a reader woken by another loop (main's Tk file handler): the
        decoded messages wait for :meth:`take_nowait`. Raises as
        :meth:`receive` does: ConnectionClosed at EOF (or once closed),
        FrameError on garbage and when the frame being received is past
        ``frame_timeout`` (checked on every call, so a timer calling this
        enforces the deadline).
        """
        if self.closed:
            raise ConnectionClosed("the connection is closed")
        try:
            data = self._recv()
        except BlockingIOError:
            data = None
        except OSError as exc:
            self.closed = True
            raise ConnectionClosed(str(exc)) from None
        if data is not None:
            self._fill(data)
        if self._partial_since is not None and time.monotonic() >= self.frame_deadline():
            raise self._partial_overdue()
        return data is not None

    def peek_nowait(self) -> T:
        """The next decoded message, left in place (a reader deciding whether
        to handle it now); IndexError when none waits."""
        return self._pending[0][0]

    def take_nowait(self) -> T:
        """The next decoded message (see :attr:`has_pending`); IndexError when none waits."""
        msg = self._take()
        self._wrote_this_turn = False  # as in receive: its answer may be written directly
        return msg

    def receive_blocking_until(self, match: Callable[[T], bool], deadline: float) -> T:
        """Block the thread until a message that ``match``es arrives.

        Other messages stay queued, in order, for the async reader. Once
        ``receive_limit`` bytes of them are queued, the socket is no longer
        read (the peer's own high-water mark then applies) and this waits out
        its deadline.
        """
        skipped: list[tuple[T, int]] = []
        try:
            while True:
                while self._pending:
                    item = self._pending.popleft()
                    if match(item[0]):
                        self._pending_bytes -= item[1]
                        return item[0]
                    skipped.append(item)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("timed out waiting for the main process")
                if self._pending_bytes >= self.receive_limit:
                    time.sleep(remaining)  # full: read no more, the answer cannot be reached
                    continue
                readable, _, _ = select.select([self.sock], [], [], remaining)
                if readable:
                    try:
                        data = self._recv()
                    except BlockingIOError:
                        continue
                    self._fill(data)
        finally:
            self._pending.extendleft(reversed(skipped))
            if self._pending:
                self.wake_reader()

    def close(self) -> None:
        on_close, self.on_close = self.on_close, None
        if on_close is not None:
            on_close()
        self.closed = True
        self._out = bytearray()  # never to be sent: free it now
        self._pending.clear()
        self._pending_bytes = 0
        while self._out_fds:  # never sent
            for fd in self._out_fds.popleft()[1]:
                os.close(fd)
        self._out_shared = 0
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

