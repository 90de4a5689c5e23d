"""The fault probe's preload: on main's request, breaks the protocol in one
precise way (raw bytes on its socket, as a compromised renderer would), stalls
its loop, or floods main."""

import os
import signal
import socket
import struct
import time

import msgspec

from tkelectron.common._messages import Commit, Navigate, ReplaceDocument, SendSync
from tkelectron.renderer import ipc_renderer


def _conn():
    return ipc_renderer._runtime().conn


def _raw(data):
    """Write ``data`` straight onto the socket, after everything already queued."""
    conn = _conn()
    conn.flush_blocking(time.monotonic() + 5)  # nothing of ours may be half-written
    conn.sock.setblocking(True)
    try:
        conn.sock.sendall(data)
    finally:
        conn.sock.setblocking(False)


def fault(event, kind, arg=None):
    """Break the protocol as ``kind`` says; most kinds get this renderer killed."""
    if kind == "frames":  # arbitrary bytes: the fuzz test's frames
        _raw(arg)
    elif kind == "short-frame":  # a header that claims more than ever arrives
        _raw(struct.pack("<I", 1000) + b"\x93")
    elif kind == "eof-mid-frame":  # half a frame, then the process exits
        _raw(struct.pack("<I", 1000) + b"\x93")
        os._exit(0)
    elif kind == "kill-mid-frame":  # half a frame, then SIGKILL (a kill -9 during a write)
        _raw(struct.pack("<I", 1000) + b"\x93")
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "close-and-hang":  # close the socket but keep running
        _conn().sock.shutdown(socket.SHUT_RDWR)
        time.sleep(arg or 60)
    elif kind == "bad-node-id":  # a commit whose node id is not an integer
        _conn().send(Commit([ReplaceDocument('<html><body><p data-tke-id="abc">x</p></body></html>')]))
    elif kind == "navigate":  # a Navigate no click produced
        _conn().send(Navigate(arg))
    elif kind == "internal-send-sync":  # send_sync on a reserved channel
        conn = _conn()
        conn.send(SendSync(999999, "tke:x", []))
        conn.flush_blocking(time.monotonic() + 5)
        conn.receive_blocking_until(lambda m: False, time.monotonic() + 30)
    elif kind == "extra-fds":  # a frame carrying fds it does not declare
        body = msgspec.msgpack.encode(["Send", "note", []])
        a, b = socket.socketpair()
        conn = _conn()
        conn.flush_blocking(time.monotonic() + 5)
        socket.send_fds(conn.sock, [struct.pack("<I", len(body)) + body], [a.fileno(), b.fileno()])
        a.close()
        b.close()
    else:
        raise ValueError(kind)
    return "sent"


def stall(event, seconds):
    """Block this renderer's loop (a busy page): it reads nothing meanwhile."""
    time.sleep(seconds)
    return "awake"


def flood(event, n, channel="flood"):
    """Send ``n`` one-way messages to main in one go."""
    for i in range(n):
        ipc_renderer.send(channel, i)
    return n


async def hold_main(event, *args):
    """Invoke main's "hold" handler, which only returns when released."""
    return await ipc_renderer.invoke("hold", *args)


def hold_main_sync(event):
    return ipc_renderer.send_sync("hold-sync")


async def forever(event):
    """A renderer-side handler that never answers by itself."""
    import trio

    await trio.sleep_forever()


async def call_main(event, channel, *args):
    return await ipc_renderer.invoke(channel, *args)


class Point(msgspec.Struct):
    x: int
    y: int


async def send_records(event):
    """A page's own Struct, and a forged framework message, to main."""
    from tkelectron.common._messages import Init

    forged = Init(window_id="NOT-AN-INT", app_root="/", page=None, preload="/etc/shadow")
    return {
        "kinds": await ipc_renderer.invoke("kinds", Point(1, 2), forged),
        "typed": await ipc_renderer.invoke("typed", Point(3, 4)),
    }


def fill_until_refused(event, limit):
    """One-way sends of 16 KiB until the buffer towards main refuses one."""
    sent = 0
    try:
        while sent < limit:
            ipc_renderer.send("note", b"x" * 16384)
            sent += 1
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return {"sent": sent, "error": type(exc).__name__, "message": str(exc)}
    return {"sent": sent}


def sent_bytes(event):
    return _conn().queued


for _channel, _fn in {
    "fault": fault, "stall": stall, "flood": flood, "hold-main": hold_main, "hold-main-sync": hold_main_sync,
    "forever": forever, "echo": lambda event, *args: list(args), "pid": lambda event: os.getpid(),
    "queued": sent_bytes, "call-main": call_main, "send-records": send_records,
    "fill-until-refused": fill_until_refused,
}.items():  # fmt: skip
    ipc_renderer.handle(_channel, _fn)
ipc_renderer.on("go-flood", lambda event, n: flood(event, n))
ipc_renderer.on("sink", lambda event, *args: None)
