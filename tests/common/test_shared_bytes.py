"""Large bytes in sealed memfds, in one process (common/_shared_bytes.py, _framing, _connection).

The real-renderer side (sandbox on and off, forged frames from a tampered
renderer) is tests/e2e/test_large_payloads.py.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import resource
import socket
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
import trio
import trio.testing

from tkelectron.common import _framing
from tkelectron.common._clone import clone, to_wire, to_wire_args
from tkelectron.common._connection import Connection, SendBufferFull
from tkelectron.common._framing import FrameDecoder, FrameEncoder, FrameError
from tkelectron.common._messages import MainToRenderer, Message, RendererToMain, Result, Send
from tkelectron.common._shared_bytes import (
    MAX_PER_FRAME,
    SEALS,
    THRESHOLD,
    LargeBytes,
    LazyExt,
    SharedBytesError,
    share,
    unshare,
)


def _payload(size: int, salt: int = 0) -> bytes:
    block = bytes((i * 7 + salt) & 0xFF for i in range(251))
    return (block * (size // 251 + 1))[:size]


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


@pytest.fixture
def pair() -> Iterator[tuple[Connection[Any], Connection[Any]]]:
    a, b = socket.socketpair()
    sender: Connection[Any] = Connection(a, Any)
    receiver: Connection[Any] = Connection(b, MainToRenderer)
    try:
        yield sender, receiver
    finally:
        sender.close()
        receiver.close()


# -- the clone marks large values; other encoders put them inline --------------------


def test_values_from_the_threshold_on_are_marked_and_clone_inline() -> None:
    small, large = _payload(THRESHOLD - 1), _payload(THRESHOLD)
    assert to_wire(small) is small
    assert to_wire(large) == LargeBytes(large)
    assert to_wire_args([small, bytearray(large)]) == [small, LargeBytes(large)]
    assert to_wire([{"k": memoryview(large)}]) == [{"k": LargeBytes(large)}]
    value = (large, {1: large}, [large], {large}, ValueError(large))
    wire = to_wire(value)
    assert type(wire) is LazyExt  # a tuple holding large bytes: left to the frame encoder
    back = clone(value)  # no frame: inline
    assert back[:4] == value[:4] and back[4].args == (large,)
    back = FrameDecoder(Any).feed(FrameEncoder().frame(wire))[0]  # a frame without fds: inline too
    assert back[:4] == value[:4] and back[4].args == (large,)


@dataclasses.dataclass
class Record:
    name: str
    blob: bytes


@pytest.mark.trio
async def test_large_bytes_inside_tuples_sets_records_and_errors_are_shared_too(
    pair: tuple[Connection[Any], Connection[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    sender, receiver = pair
    shared: list[int] = []
    real = _framing.unshare
    monkeypatch.setattr(_framing, "unshare", lambda fd, size: shared.append(size) or real(fd, size))
    big = [_payload(THRESHOLD + i, i) for i in range(6)]
    value = ((big[0], (big[1],)), {big[2]}, {1: big[3]}, Record("r", big[4]), KeyError(big[5]), "small")
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sender.run_writer)
        sender.send(Result(1, to_wire(value)))
        back = (await _one(receiver)).value
        nursery.cancel_scope.cancel()
    assert back[:3] == value[:3]
    assert back[3] == {"name": "r", "blob": big[4]}  # records arrive as their fields (in main)
    assert type(back[4]) is KeyError and back[4].args == (big[5],)
    assert back[5] == "small"
    # Every one went in a memfd, in the order they appear in the frame.
    assert shared == [len(b) for b in big]


# -- share / unshare -----------------------------------------------------------------


def test_share_makes_a_sealed_memfd_and_unshare_reads_and_closes_it() -> None:
    data = _payload(THRESHOLD + 3)
    fd = share(data)
    assert fd is not None
    assert fcntl.fcntl(fd, fcntl.F_GET_SEALS) & SEALS == SEALS
    with pytest.raises(PermissionError):
        os.write(fd, b"x")  # F_SEAL_WRITE
    assert unshare(fd, len(data)) == data
    assert not _is_open(fd)


def test_share_gives_none_past_the_file_size_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (THRESHOLD, hard))
    try:
        assert share(_payload(THRESHOLD + 1)) is None  # a write past it would raise SIGXFSZ
        fd = share(_payload(THRESHOLD))
        assert fd is not None
        os.close(fd)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def _memfd(data: bytes, seals: int) -> int:
    fd = os.memfd_create("t", os.MFD_ALLOW_SEALING | os.MFD_CLOEXEC)
    os.write(fd, data)
    if seals:
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, seals)
    return fd


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: _memfd(b"abc", 0), "not sealed"),
        (lambda: _memfd(b"abc", fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL), "not sealed"),
        (lambda: _memfd(b"abcd", SEALS), "holds 4 bytes, the frame says 3"),
        (lambda: os.pipe()[0], "not a memfd"),
        (lambda: socket.socketpair()[0].detach(), "not a memfd"),
        (lambda: os.open("/proc/self/stat", os.O_RDONLY), "not a memfd"),
    ],
    ids=["unsealed", "no-write-seal", "wrong-size", "pipe", "socket", "file"],
)
def test_unshare_refuses_what_is_not_a_sealed_memfd_and_closes_it(make: Any, why: str) -> None:
    fd = make()
    with pytest.raises(SharedBytesError, match=why):
        unshare(fd, 3)
    assert not _is_open(fd)


# -- through a connection --------------------------------------------------------------


async def _one(receiver: Connection[Any]) -> Any:
    with trio.fail_after(10):
        return await receiver.receive()


@pytest.mark.trio
async def test_sizes_around_the_threshold_nested_and_the_frame_limit(pair: tuple[Connection[Any], Connection[Any]]) -> None:
    sender, receiver = pair
    before = _open_fds()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sender.run_writer)
        for size in (0, THRESHOLD - 1, THRESHOLD, 10 * 1024 * 1024):
            data = _payload(size, size)
            sender.send(Result(1, to_wire(data)))
            msg = await _one(receiver)
            assert type(msg.value) is bytes and msg.value == data
        nested = [_payload(THRESHOLD, 1), {"k": _payload(THRESHOLD, 2), "l": [_payload(THRESHOLD, 3)]}, (_payload(THRESHOLD),)]
        sender.send(Message("c", to_wire_args(nested)))
        assert (await _one(receiver)).args == nested
        # More than MAX_PER_FRAME values: the rest go inline, all arrive.
        many = [_payload(THRESHOLD, i) for i in range(MAX_PER_FRAME + 3)]
        sender.send(Message("c", to_wire_args(many)))
        assert (await _one(receiver)).args == many
        nursery.cancel_scope.cancel()
    assert _open_fds() == before


@pytest.mark.trio
async def test_ports_and_shared_bytes_keep_their_fds_apart(pair: tuple[Connection[Any], Connection[Any]]) -> None:
    """A frame's memfds come before its ports, and earlier frames' ports stay where take_fds finds them."""
    sender, receiver = pair
    big = _payload(THRESHOLD + 5)
    port_a, port_a_peer = socket.socketpair()
    port_b, port_b_peer = socket.socketpair()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sender.run_writer)
        # All three go out in one turn, so one feed decodes them.
        sender.send(Message("a", ["port a"], 0, 1), [port_a.detach()])
        sender.send(Message("b", to_wire_args([big]), 0, 1), [port_b.detach()])
        sender.send(Message("c", to_wire_args([big, big]), 0, 0))
        got = [await _one(receiver) for _ in range(3)]
        assert [m.args for m in got] == [["port a"], [big], [big, big]]
        fds = receiver.take_fds(1) + receiver.take_fds(1)
        for fd, peer, word in zip(fds, (port_a_peer, port_b_peer), (b"a", b"b"), strict=True):
            with socket.socket(fileno=fd) as sock:
                peer.send(word)
                assert sock.recv(1) == word  # the port that message sent, not a memfd
        nursery.cancel_scope.cancel()
    port_a_peer.close()
    port_b_peer.close()


def _raw(sock: socket.socket, args: list[Any], fds: list[int]) -> None:
    body = msgspec.msgpack.encode(Send("c", args))
    frame = len(body).to_bytes(4, "little") + body
    if fds:
        socket.send_fds(sock, [frame], fds)
        for fd in fds:
            os.close(fd)
    else:
        sock.send(frame)


def _ext(size: int) -> msgspec.msgpack.Ext:
    return msgspec.msgpack.Ext(64, size.to_bytes(8, "little"))


@pytest.mark.trio
@pytest.mark.parametrize(
    ("args", "fds", "why"),
    [
        (lambda: [_ext(3)], lambda: [_memfd(b"abc", 0)], "not sealed"),
        (lambda: [_ext(3)], list, "without passing their file descriptor"),
        (lambda: ["x"], lambda: [_memfd(b"abc", SEALS)], "beyond what the messages declared"),
        (lambda: [_ext(1)] * (MAX_PER_FRAME + 1), lambda: [_memfd(b"a", SEALS) for _ in range(MAX_PER_FRAME + 1)],
         f"more than {MAX_PER_FRAME} values"),
        (lambda: [_ext(2 * 1024 * 1024)], lambda: [_memfd(b"a" * (2 * 1024 * 1024), SEALS)], "over the limit of 1048576"),
    ],
    ids=["unsealed", "ext-without-fd", "fd-without-ext", "too-many", "over-max-frame"],
)
async def test_forged_frames_are_frame_errors_and_every_fd_is_closed(args: Any, fds: Any, why: str) -> None:
    before = _open_fds()
    a, b = socket.socketpair()
    receiver: Connection[Any] = Connection(b, RendererToMain, 1024 * 1024)
    _raw(a, args(), fds())
    with pytest.raises(FrameError, match=why):
        await _one(receiver)
    receiver.close()  # closes what arrived and was not claimed, once
    a.close()
    assert _open_fds() == before


def test_an_encoding_error_leaves_no_memfd_and_no_bytes() -> None:
    encoder = FrameEncoder()
    out = bytearray(b"before")
    before = _open_fds()
    with pytest.raises(TypeError):
        encoder.append([LargeBytes(_payload(THRESHOLD)), object()], out, use_memfds=True)
    assert out == b"before"
    assert _open_fds() == before
    assert encoder.take_fds() == []


@pytest.mark.trio
async def test_memfds_a_peer_has_not_read_count_towards_the_send_limit() -> None:
    """A frame passing memfds is small: without counting them a peer that does not
    read would let the sender pile up memfds past ``send_limit``."""
    a, b = socket.socketpair()
    sender: Connection[Any] = Connection(a, Any)
    receiver: Connection[Any] = Connection(b, MainToRenderer)
    sender.send_limit = 4 * 1024 * 1024
    big = _payload(1024 * 1024)
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(sender.run_writer)
            for _ in range(4):
                sender.send(Result(1, to_wire(big)))
                await trio.testing.wait_all_tasks_blocked()
                assert sender.queued == 0  # the socket took the frame; its memfd is unread
            with pytest.raises(SendBufferFull, match="4194304 bytes are queued for it, over the limit of 4194304"):
                sender.send(Result(1, to_wire(big)))
            # The peer reads them all: the socket is drained, and sends go again.
            for _ in range(4):
                assert (await _one(receiver)).value == big
            sender.send(Result(2, to_wire(big)))
            assert (await _one(receiver)).value == big
            nursery.cancel_scope.cancel()
    finally:
        sender.close()
        receiver.close()


@pytest.mark.trio
async def test_a_large_value_in_a_memfd_does_not_make_the_peer_look_unresponsive(
    pair: tuple[Connection[Any], Connection[Any]],
) -> None:
    """Only bytes waiting in the buffer are congestion: a frame passing a memfd is written at once."""
    sender, receiver = pair
    seen: list[bool] = []
    sender.on_congestion = seen.append
    big = _payload(10 * 1024 * 1024)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(sender.run_writer)
        for _ in range(3):
            sender.send(Result(1, to_wire(big)))
            assert (await _one(receiver)).value == big
        nursery.cancel_scope.cancel()
    assert seen == []
