"""An awaiting invoke reads main's messages itself (tkelectron.renderer._read_turn).

Real socketpairs and real Connections; main's side is played by a Connection
that answers the renderer's Invokes.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from tkelectron.common._calls import Calls
from tkelectron.common._connection import Connection, ConnectionClosed
from tkelectron.common._errors import RendererGoneError
from tkelectron.common._messages import Invoke, MainToRenderer, Message, RendererToMain, Result, Shutdown, StreamItem
from tkelectron.renderer._read_turn import ReadTurn


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


class Renderer:
    """The renderer's reading side, as _runtime wires it: a reader task, a turn, calls."""

    def __init__(self, sock: socket.socket) -> None:
        self.conn: Connection[MainToRenderer] = Connection(sock, MainToRenderer)
        self.turn = ReadTurn(self.conn, self.handle)
        self.calls = Calls(lambda msg: self.conn.send(msg, bounded=False), lambda: None, drive=self.turn.drive)
        self.handled: list[tuple[Any, trio.lowlevel.Task]] = []
        self.reader_task: trio.lowlevel.Task | None = None
        self.reader_ended: BaseException | str | None = None

    def handle(self, msg: MainToRenderer) -> bool:
        if isinstance(msg, Shutdown):
            return False
        self.handled.append((msg, trio.lowlevel.current_task()))
        if isinstance(msg, Result | StreamItem):
            self.calls.on_message(msg)
        return True

    def channels(self) -> list[str]:
        return [m.channel for m, _ in self.handled if isinstance(m, Message)]

    async def reader(self) -> None:
        self.reader_task = trio.lowlevel.current_task()
        try:
            await self.turn.run_reader()
            self.reader_ended = "shutdown"
        except ConnectionClosed as exc:
            self.reader_ended = exc
        finally:
            self.calls.fail_all("the connection to main closed")


async def wait_while(busy: Callable[[], bool]) -> None:
    """Let every task run until ``busy()`` turns false (bounded: a hang is a failure)."""
    for _ in range(200):
        if not busy():
            return
        await trio.testing.wait_all_tasks_blocked()
    raise AssertionError("still waiting after 200 rounds of all tasks blocked")


async def next_invoke(main: Connection[RendererToMain]) -> Invoke:
    while True:
        msg = await main.receive()
        if isinstance(msg, Invoke):
            return msg


@pytest.mark.trio
async def test_the_awaiting_task_handles_its_own_answer_and_order_is_kept(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r = Renderer(a)
    main: Connection[RendererToMain] = Connection(b, RendererToMain)
    results: list[Any] = []

    async def caller() -> None:
        results.append(await r.calls.invoke("ch", [1]))
        results.append(trio.lowlevel.current_task())

    async with trio.open_nursery() as nursery:
        nursery.start_soon(r.conn.run_writer)
        nursery.start_soon(main.run_writer)
        nursery.start_soon(r.reader)
        main.send(Message("before", []))
        await wait_while(lambda: r.channels() != ["before"])
        nursery.start_soon(caller)
        call = await next_invoke(main)
        # Messages before and after the answer, in one burst: each is handled
        # once, in the order sent, whichever task reads it.
        for i in range(20):
            main.send(Message(f"m{i}", []))
        main.send(Result(call.id, "answer"))
        for i in range(20, 40):
            main.send(Message(f"m{i}", []))
        await wait_while(lambda: len(r.channels()) < 41)
        nursery.cancel_scope.cancel()
    assert r.channels() == ["before"] + [f"m{i}" for i in range(40)]
    assert results[0] == "answer"
    caller_task = results[1]
    answer_task = next(task for msg, task in r.handled if isinstance(msg, Result))
    assert answer_task is caller_task  # read and handled by the awaiting invoke itself
    assert r.handled[0][1] is r.reader_task  # before the invoke: the reader task
    assert r.handled[-1][1] is r.reader_task  # after: the reader task has the turn back


@pytest.mark.trio
async def test_concurrent_invokes_all_get_their_answers(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r = Renderer(a)
    main: Connection[RendererToMain] = Connection(b, RendererToMain)
    got: dict[int, Any] = {}

    async def caller(n: int) -> None:
        got[n] = await r.calls.invoke("ch", [n])

    async with trio.open_nursery() as nursery:
        nursery.start_soon(r.conn.run_writer)
        nursery.start_soon(main.run_writer)
        nursery.start_soon(r.reader)
        for n in range(10):
            nursery.start_soon(caller, n)
        calls = [await next_invoke(main) for _ in range(10)]
        for call in reversed(calls):  # answered out of order
            main.send(Result(call.id, call.args[0] * 10))
            await trio.testing.wait_all_tasks_blocked()
        await wait_while(lambda: len(got) < 10)
        main.send(Message("after", []))
        await wait_while(lambda: r.channels() != ["after"])
        nursery.cancel_scope.cancel()
    assert got == {n: n * 10 for n in range(10)}


@pytest.mark.trio
async def test_a_cancelled_invoke_gives_the_turn_back(pair: tuple[socket.socket, socket.socket]) -> None:
    a, b = pair
    r = Renderer(a)
    main: Connection[RendererToMain] = Connection(b, RendererToMain)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(r.conn.run_writer)
        nursery.start_soon(main.run_writer)
        nursery.start_soon(r.reader)
        waiter_scope = trio.CancelScope()

        async def waiter() -> None:
            with waiter_scope:
                await r.calls.invoke("slow", [])

        nursery.start_soon(waiter)
        await next_invoke(main)
        await trio.testing.wait_all_tasks_blocked()
        assert r.turn._taken  # the waiting invoke reads
        waiter_scope.cancel()  # the taker stops waiting while it holds the turn
        main.send(Message("after-cancel", []))
        await wait_while(lambda: r.channels() != ["after-cancel"])
        assert r.handled[-1][1] is r.reader_task
        nursery.cancel_scope.cancel()


@pytest.mark.trio
@pytest.mark.parametrize("end", ["shutdown", "close"])
async def test_the_end_read_by_an_invoke_fails_it_and_ends_the_reader(
    pair: tuple[socket.socket, socket.socket], end: str
) -> None:
    a, b = pair
    r = Renderer(a)
    main: Connection[RendererToMain] = Connection(b, RendererToMain)
    outcome: list[BaseException] = []

    async def caller() -> None:
        try:
            await r.calls.invoke("ch", [])
        except RendererGoneError as exc:
            outcome.append(exc)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(r.conn.run_writer)
        nursery.start_soon(main.run_writer)
        nursery.start_soon(r.reader)
        nursery.start_soon(caller)
        await next_invoke(main)
        await trio.testing.wait_all_tasks_blocked()
        assert r.turn._taken  # the invoke is the one reading when the end comes
        if end == "shutdown":
            main.send(Shutdown())
        else:
            b.shutdown(socket.SHUT_RDWR)
        await wait_while(lambda: not outcome or r.reader_ended is None)
        nursery.cancel_scope.cancel()
    if end == "shutdown":
        assert r.reader_ended == "shutdown"
    else:
        assert isinstance(r.reader_ended, ConnectionClosed)
    assert "closed" in str(outcome[0])
