"""The renderer's shared reading over a real socketpair (tkelectron.renderer._shared_reading).

The test plays main on the far end: it reads the renderer's Invoke frames
and writes answers and messages. The dispatcher is the runtime's reader
loop in miniature: answers to Calls, everything else to a list.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import trio
import trio.testing

from tkelectron.common._calls import Calls
from tkelectron.common._connection import Connection, ConnectionClosed
from tkelectron.common._errors import IpcRemoteError, RendererGoneError
from tkelectron.common._framing import FrameDecoder, FrameEncoder, FrameError
from tkelectron.common._messages import (
    ErrorInfo,
    Failure,
    Invoke,
    MainToRenderer,
    Message,
    RendererToMain,
    Result,
    SendSync,
    StreamItem,
    SyncReply,
)
from tkelectron.renderer._shared_reading import SharedReading


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    a, b = socket.socketpair()
    try:
        yield a, b
    finally:
        a.close()
        b.close()


class Renderer:
    """A connection, its Calls and a dispatcher, as the runtime wires them."""

    def __init__(self, sock: socket.socket) -> None:
        self.conn: Connection[MainToRenderer] = Connection(sock, MainToRenderer)
        self.calls = Calls(lambda msg: self.conn.send(msg, bounded=False), lambda: None)
        self.reading = SharedReading(self.conn, self.calls)
        #: What the dispatcher took, in order (answers as ("answer", id)).
        self.log: list[Any] = []
        #: What ended the dispatcher, if anything did.
        self.ended: BaseException | None = None
        self._logged = trio.Event()

    def note(self, entry: Any) -> None:
        self.log.append(entry)
        self._logged.set()
        self._logged = trio.Event()

    async def logged(self, count: int) -> None:
        """Wait until the log holds ``count`` entries."""
        while len(self.log) < count:
            await self._logged.wait()

    async def write(self) -> None:
        try:
            await self.conn.run_writer()
        except ConnectionClosed:
            pass

    async def dispatch(self) -> None:
        try:
            while True:
                msg = await self.reading.next_message()
                if isinstance(msg, Result | Failure | StreamItem):
                    self.note(("answer", msg.id))
                    self.calls.on_message(msg)
                else:
                    self.note(msg)
        except (ConnectionClosed, FrameError) as exc:
            self.ended = exc
        finally:
            self.calls.fail_all("the connection to main closed")


class Main:
    """The far end: reads what the renderer sent, writes frames to it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._decoder: FrameDecoder[RendererToMain] = FrameDecoder(RendererToMain)
        self._encoder = FrameEncoder()
        self._got: list[RendererToMain] = []

    async def next_sent(self) -> RendererToMain:
        while not self._got:
            await trio.lowlevel.wait_readable(self.sock)
            self._got.extend(self._decoder.feed(self.sock.recv(65536)))
        return self._got.pop(0)

    def write(self, *msgs: Any) -> None:
        self.sock.sendall(b"".join(self._encoder.frame(m) for m in msgs))


@asynccontextmanager
async def running(renderer: Renderer) -> AsyncIterator[trio.Nursery]:
    with trio.fail_after(5):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(renderer.dispatch)
            nursery.start_soon(renderer.write)
            await trio.testing.wait_all_tasks_blocked()  # the dispatcher waits on the socket
            yield nursery
            nursery.cancel_scope.cancel()


def _message(n: int) -> Message:
    return Message(channel="tick", args=[n])


@pytest.mark.trio
async def test_the_caller_takes_its_own_answer_and_the_dispatcher_gets_the_rest_in_order(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer):
        async with trio.open_nursery() as calls:
            results: list[Any] = []

            async def call() -> None:
                results.append(await renderer.calls.invoke("echo", [1]))

            calls.start_soon(call)
            sent = await main.next_sent()
            assert isinstance(sent, Invoke)
            await trio.testing.wait_all_tasks_blocked()  # the caller now reads in the dispatcher's place
            main.write(Result(sent.id, "back"), _message(1), _message(2))
        assert results == ["back"]
        await renderer.logged(2)
    # The answer never went through the dispatcher: its caller read it.
    assert renderer.log == [_message(1), _message(2)]


@pytest.mark.trio
async def test_an_answer_behind_a_message_waits_until_the_dispatcher_handled_the_message(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer):

        async def call() -> None:
            await renderer.calls.invoke("echo", [1])
            renderer.log.append("resumed")

        async with trio.open_nursery() as calls:
            calls.start_soon(call)
            sent = await main.next_sent()
            await trio.testing.wait_all_tasks_blocked()
            main.write(_message(1), Result(sent.id, None))
    assert renderer.log == [_message(1), ("answer", sent.id), "resumed"]


@pytest.mark.trio
async def test_a_handler_failure_reaches_the_caller_with_its_type_and_message(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer), trio.open_nursery() as calls:
        errors: list[BaseException] = []

        async def call() -> None:
            try:
                await renderer.calls.invoke("boom", [])
            except IpcRemoteError as exc:
                errors.append(exc)

        calls.start_soon(call)
        sent = await main.next_sent()
        await trio.testing.wait_all_tasks_blocked()
        main.write(Failure(sent.id, ErrorInfo("ValueError", "bad value"), "boom"))
    assert len(errors) == 1
    assert isinstance(errors[0], ValueError)
    assert "bad value" in str(errors[0])


@pytest.mark.trio
async def test_two_callers_get_their_answers_whoever_reads(pair: tuple[socket.socket, socket.socket]) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer):
        results: dict[str, Any] = {}

        async def call(name: str) -> None:
            results[name] = await renderer.calls.invoke(name, [])

        async with trio.open_nursery() as calls:
            calls.start_soon(call, "first")
            calls.start_soon(call, "second")
            sent = [await main.next_sent(), await main.next_sent()]
            await trio.testing.wait_all_tasks_blocked()
            ids = {m.channel: m.id for m in sent if isinstance(m, Invoke)}
            main.write(Result(ids["second"], 2))
            await trio.testing.wait_all_tasks_blocked()
            main.write(Result(ids["first"], 1))
    assert results == {"first": 1, "second": 2}
    # One caller read; the other's answer was handed over, by that caller or by the dispatcher.
    assert all(entry[0] == "answer" for entry in renderer.log)


def _close(main: Main) -> None:
    main.sock.shutdown(socket.SHUT_WR)


def _oversized_frame(main: Main) -> None:
    main.sock.sendall((2048).to_bytes(4, "little"))  # a frame over the renderer's 1024-byte limit


@pytest.mark.trio
@pytest.mark.parametrize(("main_does", "ends_with"), [(_close, ConnectionClosed), (_oversized_frame, FrameError)])
async def test_what_a_caller_meets_while_it_reads_ends_the_dispatcher_and_fails_the_call(
    pair: tuple[socket.socket, socket.socket], main_does: Callable[[Main], None], ends_with: type[BaseException],
) -> None:
    """Main closing, or garbage: the caller that read it leaves it to the
    dispatcher, which raises it (the renderer ends), and the call fails."""
    renderer, main = Renderer(pair[0]), Main(pair[1])
    renderer.conn.max_frame = 1024
    errors: list[BaseException] = []
    async with running(renderer):

        async def call() -> None:
            try:
                await renderer.calls.invoke("echo", [])
            except RendererGoneError as exc:
                errors.append(exc)

        async with trio.open_nursery() as calls:
            calls.start_soon(call)
            await main.next_sent()
            await trio.testing.wait_all_tasks_blocked()
            main_does(main)
    assert isinstance(renderer.ended, ends_with)
    assert len(errors) == 1


@pytest.mark.trio
async def test_a_blocking_read_that_queues_the_answer_wakes_the_caller_reading(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer):
        results: list[Any] = []

        async def call() -> None:
            results.append(await renderer.calls.invoke("echo", []))

        async with trio.open_nursery() as calls:
            calls.start_soon(call)
            sent = await main.next_sent()
            await trio.testing.wait_all_tasks_blocked()  # the caller reads the socket
            # A send_sync elsewhere: main's answer to the invoke and a message
            # come before the reply, and the blocking read queues them.
            renderer.conn.send(SendSync(9, "sync", []))
            main.write(Result(sent.id, "answer"), _message(1), SyncReply(id=9, value="sync"))
            reply = renderer.conn.receive_blocking_until(
                lambda m: isinstance(m, SyncReply) and m.id == 9, time.monotonic() + 5
            )
            assert reply == SyncReply(id=9, value="sync")
        assert results == ["answer"]
        await renderer.logged(1)
    assert renderer.log == [_message(1)]


@pytest.mark.trio
async def test_a_cancelled_caller_gives_the_socket_back_to_the_dispatcher(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    renderer, main = Renderer(pair[0]), Main(pair[1])
    async with running(renderer):
        with trio.move_on_after(0.05):  # the caller gives up while it reads
            await renderer.calls.invoke("slow", [])
        main.write(_message(1))
        await renderer.logged(1)
    assert renderer.log == [_message(1)]
