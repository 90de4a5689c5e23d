"""The renderer's connection to main: a burst of one-way sends goes as one frame.

A page that calls ``ipc_renderer.send`` many times in one turn of the loop
would cost main one frame each — one read of the frame, one decode, one pass
of its reading loop — although each message is only a few bytes. This
connection coalesces them: while a send would wait for the writer anyway
(bytes are already queued, or a batch is open), it joins the open batch,
and the batch leaves as one :class:`~tkelectron.common._messages.Sends`
frame at the end of the turn (the runtime's flush), or as soon as it reaches
its bounds — and a full batch is written to the socket at once, so main
handles a long burst while the page is still making it instead of after the
turn. A send that finds the connection idle still goes at once, in a frame
of its own: a lone message's latency does not change.

Order is kept exactly: the batch is a pending frame, so any other message
sent on this connection (an invoke, a commit, a console line, a
``send_sync``...) first closes the batch and follows it. Backpressure is
kept too: a page's send counts the open batch's bytes as queued, so it is
refused with SendBufferFull at the same point it would be without batching
(once main stops reading: the socket is full and ``send_limit`` bytes wait).

Bounds: :data:`~tkelectron.common._messages.SENDS_MAX_ITEMS` items,
:data:`BATCH_BYTES` bytes (and never near main's frame limit),
:data:`BATCH_FDS` MessagePorts. A send larger than :data:`BATCHED_ITEM_BYTES`
goes in its own frame, through the connection's normal encoding (and so does
one holding a value that only the frame encoder knows how to carry).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import msgspec

from ..common._connection import Connection, ConnectionClosed, SendBufferFull
from ..common._framing import DEFAULT_MAX_FRAME
from ..common._messages import SENDS_MAX_ITEMS, Send, Sends

__all__ = ["BATCHED_ITEM_BYTES", "BATCH_BYTES", "BATCH_FDS", "BatchingConnection"]

T = TypeVar("T")

#: Encoded bytes one batch holds at most.
BATCH_BYTES = 64 * 1024
#: A send encoded larger than this is not batched (its own frame; big values
#: may take the connection's large-payload path).
BATCHED_ITEM_BYTES = 8 * 1024
#: MessagePorts (fds) one batch carries at most; main reads a frame's fds in
#: one receive, bounded by its connection's ``max_fds``.
BATCH_FDS = 16
#: Room kept under main's frame limit for the batch's own header.
_FRAME_SLACK = 64


def _array_header(count: int) -> bytes:
    """msgpack's header of an array of ``count`` items (at most 65,535)."""
    return bytes((0x90 | count,)) if count < 16 else b"\xdc" + count.to_bytes(2, "big")


#: A Send's tag: the first element of its array-like encoding (``["Send", channel, args, ports]``).
_SEND_TAG = Send.__struct_config__.tag


class BatchingConnection(Connection[T]):
    """A :class:`~tkelectron.common._connection.Connection` whose
    :meth:`send_user` coalesces one-way sends (see the module docstring).

    The open batch is its items' msgpack, back to back in one buffer: each
    send is encoded straight into it, and the frame is made of the buffer
    once, when the batch closes (an encode per item into bytes of its own,
    and a list of them, cost more than the rest of a send).
    """

    def __init__(self, sock: socket.socket, incoming: Any, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        super().__init__(sock, incoming, max_frame)
        self._batch = bytearray()
        self._count = 0
        self._item_fds: list[int] = []
        self._encode_into = msgspec.msgpack.Encoder().encode_into
        #: Bytes one batch may hold: below main's frame limit (``Init.max_frame``).
        self.batch_bytes = BATCH_BYTES
        #: Called when a batch opens: the owner flushes it at the end of the turn.
        self.on_batch: Callable[[], None] | None = None
        # Sends of the batches closed so far (batched_sends adds the open one's).
        self._batched = 0
        #: Batch frames written (tests, benchmarks).
        self.batches_sent = 0

    def limit_batches_to(self, peer_max_frame: int) -> None:
        """Keep every batch under ``peer_max_frame`` (main's limit for this renderer)."""
        self.batch_bytes = max(0, min(BATCH_BYTES, peer_max_frame - _FRAME_SLACK))

    @property
    def batched_sends(self) -> int:
        """Sends that went in a batch (tests, benchmarks)."""
        return self._batched + self._count

    @property
    def batch_open(self) -> bool:
        """True while sends wait in a batch not yet written to the buffer."""
        return self._count > 0

    def send_user(self, msg: Send, fds: Sequence[int] = ()) -> None:
        """Send a page's one-way message (``ipc_renderer.send``/``post_message``).

        Like ``send(msg, fds)`` (bounded: SendBufferFull past ``send_limit``),
        but batched while the connection is busy. Owns ``fds`` as ``send`` does.
        """
        if not self._count and not self._out:
            super().send(msg, fds)  # idle: a frame of its own, written at once
        elif not self._join(msg, fds):
            self.flush_batch()
            super().send(msg, fds)

    def send_args(self, channel: str, args: list[Any]) -> None:
        """``send_user(Send(channel, args))`` for a send without ports (``ipc_renderer.send``).

        A batched one is encoded from a tuple of the Send's fields (the same
        bytes): no Send is made unless it travels alone.
        """
        if not self._count and not self._out:
            super().send(Send(channel, args))  # idle: a frame of its own, written at once
        elif not self._join((_SEND_TAG, channel, args, 0), ()):
            self.flush_batch()
            super().send(Send(channel, args))

    def _join(self, item: Any, fds: Sequence[int]) -> bool:
        """Add ``item`` (a Send, or its fields) to the open batch; False when it
        must travel alone, through the connection's encoding (too large, or a
        value only the frame encoder carries: bytes shared in memory, common._framing)."""
        batch = self._batch
        if self.closed or len(self._out) + len(batch) >= self.send_limit:
            self._refuse(fds)
        if self._count >= SENDS_MAX_ITEMS or (fds and len(self._item_fds) + len(fds) > BATCH_FDS):
            self._send_full_batch()
            batch = self._batch
        start = len(batch)
        try:
            self._encode_into(item, batch, -1)
        except TypeError:
            del batch[start:]  # what the encoder wrote before it met the value
            return False
        except BaseException:
            del batch[start:]
            raise
        end = len(batch)
        if end - start > BATCHED_ITEM_BYTES or end > self.batch_bytes:  # one test for the usual item
            size = end - start
            if size > BATCHED_ITEM_BYTES or size > self.batch_bytes:
                del batch[start:]
                return False
            body = batch[start:]  # the batch is full without it: it opens the next
            del batch[start:]
            self._send_full_batch()
            self._batch += body
        count = self._count = self._count + 1
        if fds:
            self._item_fds.extend(fds)
        if count == 1 and self.on_batch is not None:
            self.on_batch()
        return True

    def _refuse(self, fds: Sequence[int]) -> None:
        for fd in fds:
            os.close(fd)
        if self.closed:
            raise ConnectionClosed("the connection is closed")
        queued = self.queued + len(self._batch)
        raise SendBufferFull(
            f"the peer is not reading: {queued} bytes are queued for it, over the limit of {self.send_limit}"
        )

    def _send_full_batch(self) -> None:
        """Close a full batch and write what is queued now, not at the turn's
        end: main reads a long burst while the page still makes it (two
        processes, two cores), at one write per full batch. Not inside a held
        batch of writes (``hold_writes``: a DOM event's answer leaves in one)."""
        self.flush_batch()
        if not self._held:
            self._write_now()

    def flush_batch(self) -> None:
        """Queue the open batch as one frame (a lone item as the Send it is)."""
        count, batch, fds = self._count, self._batch, self._item_fds
        if not count:
            return
        self._batch, self._item_fds, self._count = bytearray(), [], 0
        self._batched += count
        frame: Any = msgspec.Raw(batch)
        if count > 1:
            # The items are Sends already encoded: the batch's bytes are
            # exactly those of a Sends holding the Send structs.
            frame = Sends(msgspec.Raw(_array_header(count) + batch), len(fds))  # type: ignore[arg-type]  # Raw for list[Send]
            self.batches_sent += 1
        super().send(frame, fds, bounded=False)  # each item was admitted under the cap already

    # Every other message follows the open batch, so order is what the page did.

    def send(self, msg: Any, fds: Sequence[int] = (), *, bounded: bool = True) -> None:
        if self._count:
            self.flush_batch()
        super().send(msg, fds, bounded=bounded)

    def flush_blocking(self, deadline: float) -> None:
        self.flush_batch()
        super().flush_blocking(deadline)

    def close(self) -> None:
        for fd in self._item_fds:  # never sent
            os.close(fd)
        self._batch, self._item_fds, self._count = bytearray(), [], 0
        super().close()
