"""The limits of a framed connection (issue 9, item 3; issue 8, item 5):
high-water mark and hard cap on what waits to be written, the partial-frame
deadline, the bounded queue of a blocking read, and file descriptors owned
exactly once."""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import trio

from tkelectron.common._connection import Connection, ConnectionClosed, SendBufferFull
from tkelectron.common._framing import FrameEncoder, FrameError
from tkelectron.common._messages import RendererToMain, Send

CHUNK = b"x" * 4096


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _open_fds() -> set[int]:
    return {int(name) for name in os.listdir("/proc/self/fd")}


# -- what waits to be written -------------------------------------------------------


def test_past_the_high_water_mark_sends_are_accepted_and_congestion_is_reported_once(pair) -> None:
    a, _b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.high_water = 64 * 1024
    seen: list[bool] = []
    conn.on_congestion = seen.append
    for _ in range(200):  # ~800 KB: more than the kernel's buffer plus the mark
        conn.send(CHUNK)
    assert seen == [True] and conn.congested and conn.queued > conn.high_water


def test_draining_to_half_the_mark_reports_it_cleared(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.high_water = 64 * 1024
    seen: list[bool] = []
    conn.on_congestion = seen.append
    for _ in range(200):
        conn.send(CHUNK)
    b.setblocking(False)
    while conn.queued:
        try:
            while b.recv(1 << 20):
                pass
        except BlockingIOError:
            pass
        conn._send_some()
    assert seen == [True, False] and not conn.congested


def test_past_the_hard_cap_a_send_is_refused_at_the_call_and_its_fds_closed(pair) -> None:
    a, _b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.send_limit = 256 * 1024
    sent = 0
    with pytest.raises(SendBufferFull, match="over the limit of 262144"):
        while sent < 1000:
            conn.send(CHUNK)
            sent += 1
    assert conn.queued < conn.send_limit + len(CHUNK) + 16  # one frame on top of a buffer under the cap
    x, y = socket.socketpair()
    fd = x.detach()
    with pytest.raises(SendBufferFull):
        conn.send(CHUNK, [fd])
    with pytest.raises(OSError):
        os.fstat(fd)  # the connection owned it and closed it
    y.close()


def test_with_an_overflow_handler_the_connection_closes_and_frees_its_buffer(pair) -> None:
    a, _b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.send_limit = 256 * 1024
    overflowed: list[int] = []
    conn.on_overflow = overflowed.append
    with pytest.raises(ConnectionClosed):
        for _ in range(1000):
            conn.send(CHUNK)
    assert len(overflowed) == 1 and overflowed[0] >= conn.send_limit
    assert conn.closed and conn.queued == 0


# -- what arrives -----------------------------------------------------------------------


@pytest.mark.trio
async def test_a_frame_that_never_completes_fails_after_its_deadline(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    conn.frame_timeout = 0.05
    b.send(struct.pack("<I", 1000) + b"\x93")  # announces 1000 bytes, sends one
    with trio.fail_after(5):
        with pytest.raises(FrameError, match=r"a frame of 1004 bytes was still incomplete after 0.05 s \(5 bytes"):
            await conn.receive()


@pytest.mark.trio
async def test_a_lone_header_fragment_also_has_a_deadline(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    conn.frame_timeout = 0.05
    b.send(b"\x10\x00")
    with trio.fail_after(5):
        with pytest.raises(FrameError, match="a frame header was still incomplete"):
            await conn.receive()


@pytest.mark.trio
async def test_without_a_partial_frame_an_idle_peer_is_not_a_fault(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    conn.frame_timeout = 0.01
    b.send(FrameEncoder().frame(Send("ch", [])))
    assert await conn.receive() == Send("ch", [])
    with trio.move_on_after(0.1) as waited:
        await conn.receive()  # nothing comes: waits, no error
    assert waited.cancelled_caught


def test_a_blocking_read_queues_at_most_its_limit_and_then_stops_reading(pair) -> None:
    # A renderer blocked in send_sync while main keeps sending: its queue stays
    # bounded, and what it does not take stays with the sender.
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.receive_limit = 64 * 1024
    data = FrameEncoder().frame(CHUNK) * 1024  # ~4 MiB
    written: list[int] = []

    def write() -> None:
        b.settimeout(2.0)
        sent = 0
        try:
            while sent < len(data):
                sent += b.send(data[sent:])
        except (TimeoutError, OSError):
            pass
        written.append(sent)

    writer = threading.Thread(target=write)
    writer.start()
    with pytest.raises(TimeoutError):
        conn.receive_blocking_until(lambda m: False, time.monotonic() + 0.3)
    writer.join()
    assert conn._pending_bytes <= conn.receive_limit + (1 << 18)  # the limit, plus one read
    assert written[0] < len(data)  # the sender was held back


# -- file descriptors ---------------------------------------------------------------------


def _frame(msg: Any) -> bytes:
    return FrameEncoder().frame(msg)


@pytest.mark.trio
async def test_declared_fds_are_handed_over(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    x, y = socket.socketpair()
    socket.send_fds(b, [_frame(Send("ch", [], 1))], [x.fileno()])
    msg = await conn.receive()
    (fd,) = conn.take_fds(msg.ports)
    os.close(fd)
    x.close()
    y.close()


@pytest.mark.trio
async def test_undeclared_fds_are_a_violation_and_closed_exactly_once(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    x, y = socket.socketpair()
    socket.send_fds(b, [_frame(Send("ch", []))], [x.fileno(), y.fileno()])
    with pytest.raises(FrameError, match=r"2 file descriptor\(s\) arrived beyond what the messages declared"):
        await conn.receive()
    received = set(conn._in_fds)  # held by the connection, nobody else
    assert len(received) == 2 and received <= _open_fds()
    closes: list[int] = []
    real_close = os.close

    def counting_close(fd: int) -> None:
        closes.append(fd)
        real_close(fd)

    os.close = counting_close  # type: ignore[assignment]
    try:
        conn.close()
        conn.close()  # closing twice closes nothing twice
    finally:
        os.close = real_close  # type: ignore[assignment]
    assert sorted(closes) == sorted(received)
    assert not (_open_fds() & received)
    x.close()
    y.close()


@pytest.mark.trio
async def test_more_fds_than_the_limit_is_a_violation_and_none_leak(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, RendererToMain)
    conn.max_fds = 4
    socks = [socket.socketpair() for _ in range(4)]
    fds = [s.fileno() for p in socks for s in p]  # 8 > 4
    before = _open_fds()
    socket.send_fds(b, [_frame(Send("ch", [], 8))], fds)
    with pytest.raises(FrameError, match="more than 4 file descriptors"):
        await conn.receive()
    conn.close()
    assert _open_fds() <= before
    for p in socks:
        for s in p:
            s.close()


@pytest.mark.trio
async def test_a_message_announcing_a_negative_count_is_refused(pair) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    b.send(_frame(msgspec.msgpack.encode(1)))
    await conn.receive()
    with pytest.raises(FrameError, match="announced -1 file descriptors"):
        conn.take_fds(-1)
