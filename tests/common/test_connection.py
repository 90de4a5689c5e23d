"""Framed connections over a real socketpair (tkelectron.common._connection)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from tkelectron.common._clone import to_wire_args
from tkelectron.common._connection import Connection, ConnectionClosed
from tkelectron.common._framing import FrameDecoder, FrameEncoder, FrameError
from tkelectron.common._messages import MainToRenderer, Message, RendererToMain, SendSync, SyncReply

BIG = bytes(range(256)) * (10 * 1024 * 1024 // 256)  # 10 MiB


class CountingSocket(socket.socket):
    """A real socket that counts the write system calls made on it."""

    writes = 0

    def send(self, data: Any, flags: int = 0) -> int:
        self.writes += 1
        return super().send(data, flags)


@pytest.fixture
def pair() -> Iterator[tuple[CountingSocket, socket.socket]]:
    a, b = socket.socketpair()
    counted = CountingSocket(a.family, a.type, fileno=a.detach())
    try:
        yield counted, b
    finally:
        counted.close()
        b.close()


def frames(*msgs: Any) -> bytes:
    enc = FrameEncoder()
    return b"".join(enc.frame(m) for m in msgs)


# -- async paths ------------------------------------------------------------------


@pytest.mark.trio
async def test_many_sends_coalesce_into_few_writes_and_arrive_in_order(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    peer: Connection[Any] = Connection(b, Any)
    sizes: list[int] = []
    conn.on_send = lambda msg, size: sizes.append(size)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(conn.run_writer)
        for batch in range(5):
            for i in range(200):
                conn.send([batch, i, "payload"])
            await trio.lowlevel.checkpoint()  # let the writer run once per batch
        got = [await peer.receive() for _ in range(1000)]
        nursery.cancel_scope.cancel()
    assert got == [[batch, i, "payload"] for batch in range(5) for i in range(200)]
    assert 1 <= a.writes <= 10  # 1000 messages, a handful of system calls
    assert conn.frames_sent == 1000 and peer.frames_received == 1000
    assert len(sizes) == 1000 and all(s == len(FrameEncoder().frame([0, 0, "payload"])) for s in sizes[:10])


@pytest.mark.trio
async def test_a_10_mib_message_round_trips(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    peer: Connection[Any] = Connection(b, Any)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(conn.run_writer)
        conn.send(["big", BIG])
        conn.send(["after", 1])
        with trio.fail_after(10):
            assert await peer.receive() == ["big", BIG]
            assert await peer.receive() == ["after", 1]
        nursery.cancel_scope.cancel()
    assert a.writes > 1  # it did not fit in the socket buffer: the writer waited for room


@pytest.mark.trio
async def test_typed_messages_in_both_directions(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    renderer: Connection[MainToRenderer] = Connection(a, MainToRenderer)
    main: Connection[RendererToMain] = Connection(b, RendererToMain)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(renderer.run_writer)
        nursery.start_soon(main.run_writer)
        renderer.send(SendSync(id=7, channel="ask", args=to_wire_args(((1, 2), {3: "x"}))))
        got = await main.receive()
        assert isinstance(got, SendSync) and got.args == [(1, 2), {3: "x"}]
        main.send(SyncReply(id=7, value=None))
        assert await renderer.receive() == SyncReply(id=7, value=None)
        nursery.cancel_scope.cancel()


@pytest.mark.trio
async def test_eof_raises_connection_closed_after_the_last_message(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    b.sendall(frames("one", "two"))
    b.close()
    assert await conn.receive() == "one"
    assert await conn.receive() == "two"
    with pytest.raises(ConnectionClosed):
        await conn.receive()
    assert conn.closed


@pytest.mark.trio
async def test_send_after_close_raises(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, _ = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.close()
    with pytest.raises(ConnectionClosed):
        conn.send("late")
    with pytest.raises(ConnectionClosed):
        await conn.receive()
    conn.close()  # closing twice is harmless


@pytest.mark.trio
async def test_close_wakes_a_task_waiting_to_receive(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, _ = pair
    conn: Connection[Any] = Connection(a, Any)
    outcome: list[BaseException] = []

    async def reader() -> None:
        try:
            await conn.receive()
        except ConnectionClosed as exc:
            outcome.append(exc)

    with trio.fail_after(5):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(reader)
            await trio.testing.wait_all_tasks_blocked()
            conn.close()
    assert len(outcome) == 1


@pytest.mark.trio
async def test_close_wakes_a_writer_waiting_for_room(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, _ = pair  # the peer never reads: the writer ends up waiting for the socket to drain
    conn: Connection[Any] = Connection(a, Any)
    conn.send(BIG)
    with trio.fail_after(5):
        async with trio.open_nursery() as nursery:

            async def writer() -> None:
                with pytest.raises(ConnectionClosed):
                    await conn.run_writer()

            nursery.start_soon(writer)
            await trio.testing.wait_all_tasks_blocked()
            conn.close()


@pytest.mark.trio
async def test_waking_the_reader_leaves_a_writer_waiting_for_room_writing(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    conn.send(BIG)  # more than the socket takes: the writer waits for room
    woken: list[bool] = []

    async def reader() -> None:
        await conn.fill()  # returns, having read nothing, when woken
        woken.append(True)

    with trio.fail_after(5):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(conn.run_writer)
            nursery.start_soon(reader)
            await trio.testing.wait_all_tasks_blocked()
            conn.wake_reader()  # wakes every task waiting on the socket, the writer too
            await trio.testing.wait_all_tasks_blocked()
            assert woken == [True]
            decoder: FrameDecoder[Any] = FrameDecoder(Any)
            got: list[Any] = []
            while not got:  # the writer goes on until the whole message is out
                await trio.lowlevel.wait_readable(b)
                got = decoder.feed(b.recv(1 << 20))
            assert got == [BIG]
            nursery.cancel_scope.cancel()


@pytest.mark.trio
async def test_garbage_from_the_peer_raises_frame_error(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any, max_frame=1024)
    b.sendall(frames("fine"))
    assert await conn.receive() == "fine"
    b.sendall((2048).to_bytes(4, "little"))  # announces a frame over the limit
    with pytest.raises(FrameError):
        await conn.receive()


@pytest.mark.trio
async def test_a_message_of_the_wrong_direction_is_refused(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    main: Connection[RendererToMain] = Connection(a, RendererToMain)
    b.sendall(frames(SyncReply(id=1)))  # only main sends SyncReply
    with pytest.raises(FrameError):
        await main.receive()


# -- the blocking path (send_sync) --------------------------------------------------------


def _message(n: int) -> Message:
    return Message(channel="tick", args=[n])


@pytest.mark.trio
async def test_blocking_receive_keeps_skipped_messages_in_order_and_wakes_the_reader(
    pair: tuple[CountingSocket, socket.socket],
) -> None:
    a, b = pair
    renderer: Connection[MainToRenderer] = Connection(a, MainToRenderer)
    send, receive = trio.open_memory_channel[Any](10)

    async def reader() -> None:
        while True:
            await send.send(await renderer.receive())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(reader)
        await trio.testing.wait_all_tasks_blocked()  # the reader is parked on the socket
        # Main answers a send_sync with other messages around the reply; the
        # renderer's loop is blocked (no checkpoint from here to the reply).
        b.sendall(frames(_message(1), _message(2), SyncReply(id=5, value="answer"), _message(3)))
        reply = renderer.receive_blocking_until(
            lambda m: isinstance(m, SyncReply) and m.id == 5, time.monotonic() + 5
        )
        assert reply == SyncReply(id=5, value="answer")
        # Everything is read off the socket now: only the blocking path can wake the reader.
        with trio.fail_after(5):
            got = [await receive.receive() for _ in range(3)]
        assert got == [_message(1), _message(2), _message(3)]
        nursery.cancel_scope.cancel()


@pytest.mark.trio
async def test_blocking_receive_finds_a_match_already_queued(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    b.sendall(frames(1, 2, 3, 4))
    assert await conn.receive() == 1  # reads all four, queues 2, 3, 4
    assert conn.receive_blocking_until(lambda m: m == 3, time.monotonic() + 5) == 3
    assert [await conn.receive(), await conn.receive()] == [2, 4]


@pytest.mark.trio
async def test_blocking_receive_times_out_and_keeps_what_it_skipped(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    b.sendall(frames("x", "y"))

    def receive() -> Any:
        return conn.receive_blocking_until(lambda m: m == "never", time.monotonic() + 0.05)

    # Nothing else arrives: a receive that ignored its deadline would never return.
    with trio.fail_after(10), pytest.raises(TimeoutError):
        await trio.to_thread.run_sync(receive, abandon_on_cancel=True)
    assert [await conn.receive(), await conn.receive()] == ["x", "y"]


@pytest.mark.trio
async def test_blocking_receive_at_eof_raises_and_keeps_what_it_skipped(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    b.sendall(frames("kept"))
    b.close()
    with pytest.raises(ConnectionClosed):
        conn.receive_blocking_until(lambda m: False, time.monotonic() + 5)
    assert await conn.receive() == "kept"


def test_flush_blocking_writes_everything_without_a_writer_task(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    received = bytearray()
    want = len(frames(*(["m", i] for i in range(100)), ["big", BIG[: 3 * 1024 * 1024]]))

    def drain() -> None:
        while len(received) < want:
            chunk = b.recv(1 << 20)
            if not chunk:
                return
            received.extend(chunk)

    thread = threading.Thread(target=drain)
    thread.start()
    for i in range(100):
        conn.send(["m", i])
    conn.send(["big", BIG[: 3 * 1024 * 1024]])  # more than the socket buffer holds
    conn.flush_blocking(time.monotonic() + 10)
    thread.join(10)
    msgs: list[Any] = FrameDecoder(Any).feed(received)
    assert msgs[:100] == [["m", i] for i in range(100)] and msgs[100] == ["big", BIG[: 3 * 1024 * 1024]]
    assert a.writes < 100  # coalesced here too


@pytest.mark.trio
async def test_flush_blocking_times_out_and_the_writer_finishes_later(pair: tuple[CountingSocket, socket.socket]) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    peer: Connection[Any] = Connection(b, Any)
    conn.send(["big", BIG])
    with pytest.raises(TimeoutError):
        conn.flush_blocking(time.monotonic() + 0.05)  # nobody reads yet
    conn.send("next")
    async with trio.open_nursery() as nursery:
        nursery.start_soon(conn.run_writer)
        with trio.fail_after(10):
            assert await peer.receive() == ["big", BIG]  # no byte lost or repeated
            assert await peer.receive() == "next"
        nursery.cancel_scope.cancel()


class _TaskSteps(trio.abc.Instrument):
    """Counts the steps one task takes (trio's public instrument hooks)."""

    def __init__(self, task: trio.lowlevel.Task) -> None:
        self.task = task
        self.steps = 0

    def before_task_step(self, task: trio.lowlevel.Task) -> None:
        if task is self.task:
            self.steps += 1


@pytest.mark.trio
async def test_a_direct_write_that_sent_everything_does_not_wake_the_writer(
    pair: tuple[CountingSocket, socket.socket],
) -> None:
    a, b = pair
    conn: Connection[Any] = Connection(a, Any)
    peer: Connection[Any] = Connection(b, Any)
    async with trio.open_nursery() as nursery:
        writer = await nursery.start(_started_writer, conn)
        await trio.testing.wait_all_tasks_blocked()
        steps = _TaskSteps(writer)
        trio.lowlevel.add_instrument(steps)
        try:
            conn.send(["one"])  # idle: written here, all of it
            assert a.writes == 1 and conn.queued == 0
            await trio.testing.wait_all_tasks_blocked()
            assert steps.steps == 0  # no loop tick spent on the writer
            conn.send(["two"])  # the same turn: queued for the writer, coalesced
            conn.send(["three"])
            assert a.writes == 1
            with trio.fail_after(5):
                assert [await peer.receive() for _ in range(3)] == [["one"], ["two"], ["three"]]
            await trio.testing.wait_all_tasks_blocked()
            assert steps.steps >= 1 and a.writes == 2
            # A message received begins a new turn: its answer goes out directly again.
            peer.send(["question"])  # the peer is idle too: written at once
            assert peer.queued == 0
            with trio.fail_after(5):
                assert await conn.receive() == ["question"]
            before = steps.steps
            conn.send(["answer"])
            assert a.writes == 3 and conn.queued == 0
            await trio.testing.wait_all_tasks_blocked()
            assert steps.steps == before
            with trio.fail_after(5):
                assert await peer.receive() == ["answer"]
        finally:
            trio.lowlevel.remove_instrument(steps)
        nursery.cancel_scope.cancel()


async def _started_writer(conn: Connection[Any], task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    task_status.started(trio.lowlevel.current_task())
    await conn.run_writer()
