"""The raw floor: what two Python processes on this machine can do at best.

Everything tkelectron's IPC does sits on top of this: a ``socketpair``
between two Python processes, 4-byte little-endian length + msgspec msgpack
frames of the protocol's own tagged Structs. The floor does only that, with
blocking sockets and no event loop, no cloning, no dispatch:

- :func:`ping_pong`: this process sends an ``Invoke(id, "bench", [i])`` frame,
  a child decodes it and answers ``Result(id, i)``; each round trip is timed.
- :func:`one_way`: a child encodes a burst of ``Send("bench:msg", [i])``
  frames into one buffer (as :class:`~tkelectron.common._connection.Connection`
  accumulates a burst) and writes it; this process decodes until the last
  frame, timed from the start signal it sent.
- :func:`woken_round_trips`: the same round trip to a child that has been
  idle a while (as a renderer is between two clicks), with this process
  busy meanwhile (as main is, running the rest of Tk's bindings): it polls
  for the answer instead of blocking, so the child cannot be woken on this
  process's core. What a virtual machine charges for waking a process whose
  core went idle shows here: the floor under any design that hands a click
  to another process.
- :func:`spawn`: a bare ``python -I -B`` child that writes one byte to its
  socket: the floor under a renderer's spawn-to-ready.
- :func:`payload_echo`: the ping-pong child echoing ``Invoke(id, "bench",
  [payload])`` frames of bytes (1 KB .. 10 MB) through the socket: the floor
  under the payload echo rows (:mod:`._bench_echo`).

The child side is :func:`child_main`, started as ``python -I -B -c`` with the
framework's folder on its path, the way a renderer is started.
"""

from __future__ import annotations

import os
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from ..common._messages import Invoke, MainToRenderer, RendererToMain, Result, Send
from ..main._renderer_process import FRAMEWORK_ROOT

__all__ = ["FloorResult", "ping_pong", "woken_round_trips", "one_way", "spawn", "payload_echo", "child_main"]

_HEADER = struct.Struct("<I")
_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tkelectron.tools._bench_floor import child_main; child_main(sys.argv[2:])"
)
_BARE = "import os, sys; os.write(int(sys.argv[1]), b'r')"


@dataclass(frozen=True, slots=True)
class FloorResult:
    """Samples in nanoseconds (latencies), or one duration for a burst."""

    samples_ns: list[int]
    messages: int = 0


# -- framing, by hand on purpose: this is the floor -----------------------------


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = sock.recv(size, socket.MSG_WAITALL)
    if len(data) != size:
        raise EOFError("the peer closed the socket")
    return data


def _recv_frame(sock: socket.socket) -> bytes:
    (size,) = _HEADER.unpack(_recv_exactly(sock, 4))
    return _recv_exactly(sock, size)


def _frame(encoder: msgspec.msgpack.Encoder, msg: object, out: bytearray) -> None:
    start = len(out)
    out += b"\0\0\0\0"
    encoder.encode_into(msg, out, start + 4)
    _HEADER.pack_into(out, start, len(out) - start - 4)


def _start_child(*args: str) -> tuple[subprocess.Popen[bytes], socket.socket]:
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", _CHILD, FRAMEWORK_ROOT, str(child.fileno()), *args],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, start_new_session=True,
        )
    except BaseException:
        parent.close()
        raise
    finally:
        child.close()
    # The child says it is up, so interpreter start-up is never timed.
    if _recv_exactly(parent, 1) != b"r":
        raise RuntimeError("the floor child did not start")
    return proc, parent


def _finish(proc: subprocess.Popen[bytes], sock: socket.socket) -> None:
    sock.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# -- this process's side ------------------------------------------------------------


def _round_trips(sock: socket.socket, value: Callable[[int], object], count: int, warmup: int) -> list[int]:
    """Time ``count`` round trips to the ``ping`` child (after ``warmup`` untimed ones).

    Each is an ``Invoke(i, "bench", [value(i)])`` frame out and the child's
    ``Result(i, value(i))`` back.
    """
    encoder = msgspec.msgpack.Encoder()
    decoder = msgspec.msgpack.Decoder(RendererToMain)
    out = bytearray()
    samples: list[int] = []
    clock = time.perf_counter_ns
    for i in range(count + warmup):
        sent = value(i)
        out.clear()
        t0 = clock()
        _frame(encoder, Invoke(i, "bench", [sent]), out)
        sock.sendall(out)
        reply = decoder.decode(_recv_frame(sock))
        t1 = clock()
        if not isinstance(reply, Result) or reply.id != i or reply.value != sent:
            raise RuntimeError(f"the floor child answered invoke {i} with something else")
        if i >= warmup:
            samples.append(t1 - t0)
    return samples


def ping_pong(count: int, warmup: int = 200) -> FloorResult:
    """Time ``count`` invoke-shaped round trips (after ``warmup`` untimed ones)."""
    proc, sock = _start_child("ping", str(count + warmup))
    try:
        return FloorResult(_round_trips(sock, lambda i: i, count, warmup))
    finally:
        _finish(proc, sock)


def _poll_frame(sock: socket.socket, deadline: float) -> bytes:
    """One frame, read without ever blocking: this process stays on its core until it is complete."""
    data = bytearray()
    need = 4
    while True:
        try:
            chunk = sock.recv(need - len(data), socket.MSG_DONTWAIT)
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise TimeoutError("the floor child did not answer in time") from None
            continue
        if not chunk:
            raise EOFError("the peer closed the socket")
        data += chunk
        if len(data) == need:
            if need > 4:
                return bytes(data[4:])
            (size,) = _HEADER.unpack_from(data)
            need = 4 + size


def woken_round_trips(count: int, idle_s: float, warmup: int = 3) -> FloorResult:
    """Time ``count`` invoke-shaped round trips, each to a child idle for ``idle_s`` seconds.

    Both processes sleep ``idle_s`` before each round trip; then this one
    sends and polls for the answer (busy, as main is after it writes a
    click), so the child runs on the other core, waking from idle.
    """
    proc, sock = _start_child("ping", str(count + warmup))
    encoder = msgspec.msgpack.Encoder()
    decoder = msgspec.msgpack.Decoder(RendererToMain)
    out = bytearray()
    samples: list[int] = []
    try:
        for i in range(count + warmup):
            time.sleep(idle_s)
            out.clear()
            t0 = time.perf_counter_ns()
            _frame(encoder, Invoke(i, "bench", [i]), out)
            sock.sendall(out)
            reply = decoder.decode(_poll_frame(sock, time.monotonic() + 10.0))
            t1 = time.perf_counter_ns()
            if not isinstance(reply, Result) or reply.id != i or reply.value != i:
                raise RuntimeError(f"the floor child answered invoke {i} with something else")
            if i >= warmup:
                samples.append(t1 - t0)
    finally:
        _finish(proc, sock)
    return FloorResult(samples)


def _always(value: object) -> Callable[[int], object]:
    return lambda _i: value


def payload_echo(reps: dict[int, int], warmup: int = 1) -> dict[int, FloorResult]:
    """Time ``reps[size]`` echoes of a ``size``-byte payload each (after ``warmup`` untimed).

    The payload goes as an invoke's argument and comes back as its result,
    inline in the frames both ways, like a socket-only transport would carry it.
    """
    proc, sock = _start_child("ping", str(sum(n + warmup for n in reps.values())))
    results: dict[int, FloorResult] = {}
    try:
        for size, count in reps.items():
            payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
            results[size] = FloorResult(_round_trips(sock, _always(payload), count, warmup))
    finally:
        _finish(proc, sock)
    return results


def one_way(count: int) -> FloorResult:
    """Time a burst of ``count`` one-way frames, start signal to last decoded."""
    proc, sock = _start_child("burst", str(count))
    decoder = msgspec.msgpack.Decoder(RendererToMain)
    buf = bytearray()
    seen = 0
    try:
        t0 = time.perf_counter_ns()
        sock.sendall(b"g")
        while seen < count:
            chunk = sock.recv(1 << 18)
            if not chunk:
                raise EOFError("the floor child closed early")
            buf += chunk
            pos, end = 0, len(buf)
            while end - pos >= 4:
                (size,) = _HEADER.unpack_from(buf, pos)
                if end - pos - 4 < size:
                    break
                decoder.decode(memoryview(buf)[pos + 4 : pos + 4 + size])
                pos += 4 + size
                seen += 1
            del buf[:pos]
        t1 = time.perf_counter_ns()
    finally:
        _finish(proc, sock)
    return FloorResult([t1 - t0], messages=count)


def spawn(count: int) -> FloorResult:
    """Time ``count`` starts of a bare ``python -I -B`` up to its first byte."""
    samples: list[int] = []
    for _ in range(count):
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        t0 = time.perf_counter_ns()
        proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", _BARE, str(child.fileno())],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, start_new_session=True,
        )
        child.close()
        try:
            _recv_exactly(parent, 1)
            samples.append(time.perf_counter_ns() - t0)
        finally:
            _finish(proc, parent)
    return FloorResult(samples)


# -- the child ------------------------------------------------------------------------


def child_main(argv: list[str]) -> None:
    """``FD ping N``: answer N invokes; ``FD burst N``: send N frames on ``g``."""
    sock = socket.socket(fileno=int(argv[0]))
    mode, count = argv[1], int(argv[2])
    encoder = msgspec.msgpack.Encoder()
    out = bytearray()
    sock.sendall(b"r")
    if mode == "ping":
        decoder = msgspec.msgpack.Decoder(MainToRenderer)
        for _ in range(count):
            msg = decoder.decode(_recv_frame(sock))
            assert isinstance(msg, Invoke)
            out.clear()
            _frame(encoder, Result(msg.id, msg.args[0]), out)
            sock.sendall(out)
    elif mode == "burst":
        _recv_exactly(sock, 1)
        for i in range(count):
            _frame(encoder, Send("bench:msg", [i]), out)
        sock.sendall(out)
    else:
        raise SystemExit(f"unknown floor mode {mode!r}")
    sock.shutdown(socket.SHUT_WR)
    # Wait for the parent to close, so it never reads a reset connection.
    while sock.recv(1 << 16):
        pass
    os._exit(0)
