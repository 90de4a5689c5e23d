"""Runs, on main's request, large-payload round trips and forged frames inside a renderer."""

import fcntl
import os
import socket
import struct
import time

import msgspec

from tkelectron.common import _framing
from tkelectron.common._messages import Send
from tkelectron.renderer import ipc_renderer

#: Sizes this renderer read out of memfds main passed (see shared_back).
_shared = []
_real_unshare = _framing.unshare


def _counting_unshare(fd, size):
    _shared.append(size)
    return _real_unshare(fd, size)


_framing.unshare = _counting_unshare


def shared_back(event):
    """The sizes of what main sent back in memfds so far (and forget them)."""
    sizes = list(_shared)
    _shared.clear()
    return sizes

SHARED_BYTES = 64  # common/_shared_bytes.py: the extension code of a shared value
SEALS = 0x1 | 0x2 | 0x4 | 0x8  # F_SEAL_SEAL | SHRINK | GROW | WRITE
F_ADD_SEALS = 1033


def payload(size, salt=0):
    """``size`` bytes that differ from one offset to the next (a swapped chunk would show)."""
    block = bytes((i * 7 + salt) & 0xFF for i in range(251))
    return (block * (size // 251 + 1))[:size]


async def round_trip(event, sizes):
    """Invoke main's echo with each size; report what came back and what the renderer holds open."""
    out = []
    for size in sizes:
        sent = payload(size, size)
        back = await ipc_renderer.invoke("sb:echo", sent)
        out.append({"size": size, "type": type(back).__name__, "same": back == sent})
    return out


async def nested(event, size):
    big = payload(size, 1)
    value = [big, {"k": payload(size, 2), "l": [payload(size, 3), 5]}, "s", (payload(size, 4), {payload(size, 5)})]
    back = await ipc_renderer.invoke("sb:echo", value)
    return back == value


def open_fds(event):
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError as exc:  # the sandbox may hide /proc
        return f"{type(exc).__name__}"


def _memfd(data, seals=SEALS):
    fd = os.memfd_create("forged", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
    if data:
        os.write(fd, data)
    if seals:
        fcntl.fcntl(fd, F_ADD_SEALS, seals)
    return fd


def _frame(args):
    body = msgspec.msgpack.encode(Send("sb:note", args))
    return struct.pack("<I", len(body)) + body


def _ext(size):
    return msgspec.msgpack.Ext(SHARED_BYTES, struct.pack("<Q", size))


def forge(event, kind, size=1000):
    """Write one forged frame with file descriptors straight onto the socket."""
    conn = ipc_renderer._runtime().conn
    conn.flush_blocking(time.monotonic() + 5)  # nothing of ours may be half-written
    fds = []
    args = [_ext(size)]
    if kind == "unsealed":
        fds = [_memfd(b"x" * size, seals=0)]
    elif kind == "partly-sealed":
        fds = [_memfd(b"x" * size, seals=0x2 | 0x4)]  # no F_SEAL_WRITE: could still change
    elif kind == "pipe":
        r, w = os.pipe()
        os.write(w, b"x" * 10)
        os.close(w)
        fds = [r]
    elif kind == "socket":
        a, b = socket.socketpair()
        fds = [a.detach()]
        b.close()
    elif kind == "wrong-size":
        fds = [_memfd(b"x" * (size + 1))]
    elif kind == "huge":  # the announced size is the memfd's, and over the window's max_frame
        fds = [_memfd(b"x" * size)]
    elif kind == "ext-without-fd":
        fds = []
    elif kind == "fd-without-ext":
        args = ["plain"]
        fds = [_memfd(b"x" * size)]
    elif kind == "too-many":
        args = [_ext(1)] * 17
        fds = [_memfd(b"x") for _ in range(17)]
    elif kind == "bad-ext":
        args = [msgspec.msgpack.Ext(SHARED_BYTES, b"\x01\x02")]
        fds = [_memfd(b"x")]
    elif kind == "nested-unsealed":  # inside a tuple's payload, checked the same
        args = [msgspec.msgpack.Ext(1, msgspec.msgpack.encode(["x", _ext(size)]))]
        fds = [_memfd(b"x" * size, seals=0x1 | 0x2 | 0x8)]  # no F_SEAL_WRITE
    else:
        raise ValueError(kind)
    frame = _frame(args)
    if fds:
        socket.send_fds(conn.sock, [frame], fds)
        for fd in fds:
            os.close(fd)
    else:
        conn.sock.send(frame)
    return "sent"


def try_syscalls(event):
    """What this renderer may do next to its shared bytes: memfd_create by flags, and a socket."""
    out = {}
    for name, flags in (("sealable", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING), ("plain", 0),
                        ("hugetlb", os.MFD_HUGETLB), ("exec", 0x10)):  # MFD_EXEC
        try:
            os.close(os.memfd_create(name, flags))
            out[name] = "ok"
        except OSError as exc:
            out[name] = type(exc).__name__
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
        out["socket"] = "ok"
    except OSError as exc:
        out["socket"] = type(exc).__name__
    return out


def send_big(event, size):
    ipc_renderer.send("sb:note", payload(size, 9))
    return "sent"


ipc_renderer.handle("shared-back", shared_back)
ipc_renderer.handle("round-trip", round_trip)
ipc_renderer.handle("nested", nested)
ipc_renderer.handle("open-fds", open_fds)
ipc_renderer.handle("forge", forge)
ipc_renderer.handle("send-big", send_big)
ipc_renderer.handle("try-syscalls", try_syscalls)
ipc_renderer.handle("echo-r", lambda event, value: value)
