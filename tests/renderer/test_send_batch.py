"""The renderer's batching connection (tkelectron.renderer._send_batch) over a
real socketpair: a page's sends coalesce into ``Sends`` frames, in order among
every other message, within their bounds, under the same send limit."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest

from tkelectron.common._clone import to_wire_args
from tkelectron.common._connection import Connection, ConnectionClosed, SendBufferFull
from tkelectron.common._framing import FrameEncoder
from tkelectron.common._messages import SENDS_MAX_ITEMS, Commit, Invoke, RendererToMain, Send, Sends, SetTitle
from tkelectron.common._shared_bytes import THRESHOLD
from tkelectron.renderer._send_batch import BATCH_FDS, BATCHED_ITEM_BYTES, BatchingConnection


@pytest.fixture
def pair() -> Iterator[tuple[BatchingConnection[Any], Connection[Any]]]:
    a, b = socket.socketpair()
    conn: BatchingConnection[Any] = BatchingConnection(a, Any)
    peer: Connection[Any] = Connection(b, RendererToMain)
    try:
        yield conn, peer
    finally:
        conn.close()
        peer.close()


def _busy(conn: BatchingConnection[Any]) -> None:
    """Leave bytes queued, as after a turn's first messages (the writer has not run)."""
    conn.send(Send("first", [0]))  # idle: written at once
    conn.send(Send("second", [0]))  # the same turn: queued for the writer
    assert conn.queued > 0


def _drain(conn: BatchingConnection[Any], peer: Connection[Any]) -> list[Any]:
    """Write everything out and decode it at the peer, as frames."""
    conn.flush_batch()
    conn.flush_blocking(time.monotonic() + 5)
    received: list[Any] = []
    while True:
        try:
            received.append(peer.receive_blocking_until(lambda m: True, time.monotonic() + 0.05))
        except TimeoutError:
            return received


def _flat(frames: list[Any]) -> list[Any]:
    out: list[Any] = []
    for msg in frames:
        out.extend(msg.items if isinstance(msg, Sends) else [msg])
    return out


def test_an_idle_send_goes_at_once_in_a_frame_of_its_own(pair: tuple[BatchingConnection[Any], Connection[Any]]) -> None:
    conn, peer = pair
    conn.send_user(Send("ch", [1]))
    assert conn.queued == 0 and not conn.batch_open  # written, not waiting for the turn's end
    assert _drain(conn, peer) == [Send("ch", [1])]


def test_busy_sends_coalesce_and_keep_their_place_among_other_messages(
    pair: tuple[BatchingConnection[Any], Connection[Any]],
) -> None:
    conn, peer = pair
    _busy(conn)
    for i in range(5):
        conn.send_user(Send("a", [i]))
    assert conn.batch_open
    conn.send(Invoke(1, "x", []))  # closes the batch first
    assert not conn.batch_open
    for i in range(3):
        conn.send_user(Send("b", [i]))
    conn.send(Commit([SetTitle("t")]))
    conn.send_user(Send("c", [0]))
    frames = _drain(conn, peer)
    assert [type(m).__name__ for m in frames] == ["Send", "Send", "Sends", "Invoke", "Sends", "Commit", "Send"]
    assert _flat(frames) == [
        Send("first", [0]), Send("second", [0]),
        *[Send("a", [i]) for i in range(5)], Invoke(1, "x", []),
        *[Send("b", [i]) for i in range(3)], Commit([SetTitle("t")]),
        Send("c", [0]),  # a batch of one leaves as the Send it is
    ]
    assert conn.batches_sent == 2 and conn.batched_sends == 9


def test_batches_stay_within_their_item_byte_and_port_bounds(
    pair: tuple[BatchingConnection[Any], Connection[Any]],
) -> None:
    conn, peer = pair
    _busy(conn)
    count = 3 * SENDS_MAX_ITEMS + 5
    for i in range(count):
        conn.send_user(Send("n", [i]))
    frames = _drain(conn, peer)[2:]
    assert [len(m.items) for m in frames] == [SENDS_MAX_ITEMS] * 3 + [5]
    assert [s.args[0] for s in _flat(frames)] == list(range(count))

    conn.limit_batches_to(1000 + 64)  # main's frame limit for this renderer: ~1000 bytes a batch
    _busy(conn)
    for _ in range(20):
        conn.send_user(Send("n", ["x" * 200]))
    frames = _drain(conn, peer)[2:]
    assert all(len(msgspec.msgpack.encode(m)) <= 1000 + 64 for m in frames)
    assert sum(len(m.items) for m in frames) == 20 and len(frames) >= 4


def test_a_large_send_travels_alone_and_ports_ride_with_their_batch(
    pair: tuple[BatchingConnection[Any], Connection[Any]],
) -> None:
    conn, peer = pair
    _busy(conn)
    conn.send_user(Send("small", [1]))
    conn.send_user(Send("big", [b"x" * (BATCHED_ITEM_BYTES + 1)]))
    socks = [socket.socketpair() for _ in range(BATCH_FDS + 2)]
    try:
        for i, (mine, _) in enumerate(socks):
            conn.send_user(Send("port", [i], 1), [os.dup(mine.fileno())])
        frames = _drain(conn, peer)[2:]
        assert [type(m).__name__ for m in frames] == ["Send", "Send", "Sends", "Sends"]
        assert frames[1].channel == "big"
        assert [len(m.items) for m in frames[2:]] == [BATCH_FDS, 2]
        assert [m.ports for m in frames[2:]] == [BATCH_FDS, 2]
        fds = peer.take_fds(BATCH_FDS + 2)  # every port's fd arrived, in order
        for fd, (_, theirs) in zip(fds, socks, strict=True):
            with socket.socket(fileno=fd) as got:
                got.send(b"!")
            assert theirs.recv(1) == b"!"
    finally:
        for a, b in socks:
            a.close()
            b.close()


def test_bytes_shared_in_memory_travel_alone_through_the_frame_encoder(
    pair: tuple[BatchingConnection[Any], Connection[Any]],
) -> None:
    conn, peer = pair
    _busy(conn)
    large = bytes(range(256)) * (THRESHOLD // 256)
    conn.send_user(Send("before", [1]))
    conn.send_user(Send("large", to_wire_args((large,))))  # marked for a memfd: not for the batch's encoder
    conn.send_user(Send("after", [2]))
    conn.send_user(Send("after", [3]))
    frames = _drain(conn, peer)[2:]
    assert [type(m).__name__ for m in frames] == ["Send", "Send", "Sends"]
    assert frames[1].channel == "large" and frames[1].args == [large]
    assert _flat(frames)[0] == Send("before", [1]) and _flat(frames)[2:] == [Send("after", [2]), Send("after", [3])]


def test_the_open_batch_counts_against_send_limit(pair: tuple[BatchingConnection[Any], Connection[Any]]) -> None:
    conn, _ = pair
    conn.send_limit = 4096
    _busy(conn)
    sent = 0
    with pytest.raises(SendBufferFull, match="over the limit of 4096"):
        while sent < 10_000:
            conn.send_user(Send("n", ["y" * 100]))
            sent += 1
    assert 4096 // 120 <= sent <= 4096 // 100 + 1
    conn.send(Invoke(1, "x", []), bounded=False)  # the framework's own messages still queue


def test_closing_drops_the_open_batch_and_closes_its_fds(pair: tuple[BatchingConnection[Any], Connection[Any]]) -> None:
    conn, _ = pair
    _busy(conn)
    mine, theirs = socket.socketpair()
    fd = os.dup(mine.fileno())
    conn.send_user(Send("port", [0], 1), [fd])
    assert conn.batch_open
    conn.close()
    with pytest.raises(OSError):
        os.fstat(fd)  # closed exactly once, by the connection
    with pytest.raises(ConnectionClosed):
        conn.send_user(Send("late", [0]))
    mine.close()
    theirs.close()


@pytest.mark.parametrize("count", [2, 15, 16, SENDS_MAX_ITEMS])
def test_a_batch_is_byte_for_byte_the_sends_frame_of_its_items(
    pair: tuple[BatchingConnection[Any], Connection[Any]], count: int
) -> None:
    # Items are encoded into the batch as they come (send_args from the Send's
    # fields, send_user from the Send), the array header written at the end:
    # msgpack's short form below 16 items, its 16-bit form from 16 on.
    conn, _ = pair
    _busy(conn)
    before = conn.queued
    sends = [Send("n", [i, "x" * i]) for i in range(count)]
    for i, msg in enumerate(sends):
        if i % 2:
            conn.send_user(msg)
        else:
            conn.send_args(msg.channel, msg.args)
    conn.flush_batch()
    assert bytes(conn._out[before:]) == FrameEncoder().frame(Sends(sends))


def test_a_full_batch_is_written_at_once_unless_writes_are_held(
    pair: tuple[BatchingConnection[Any], Connection[Any]],
) -> None:
    # Main handles a long burst while the page still makes it: the batch that
    # fills goes to the socket (with what queued before it) before the turn's
    # end; the next send opens the next batch.
    conn, peer = pair
    _busy(conn)
    for i in range(SENDS_MAX_ITEMS + 1):
        conn.send_user(Send("n", [i]))
    assert conn.queued == 0 and conn.batch_open
    arrived = [peer.receive_blocking_until(lambda m: True, time.monotonic() + 5) for _ in range(3)]
    assert [type(m).__name__ for m in arrived] == ["Send", "Send", "Sends"]
    assert [s.args[0] for s in arrived[2].items] == list(range(SENDS_MAX_ITEMS))

    conn.hold_writes()  # a DOM event's answer leaves in one write, full batches too
    for i in range(2 * SENDS_MAX_ITEMS):
        conn.send_user(Send("m", [i]))
    assert conn.queued > 0
    conn.flush_held()
    frames = _drain(conn, peer)
    assert [s.args[0] for s in _flat(frames)] == [SENDS_MAX_ITEMS, *range(2 * SENDS_MAX_ITEMS)]
