"""The security probe's preload: runs, on main's request, what the tests need
done *inside* a sandboxed renderer, and reports the outcome."""

import os
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
import escapes  # an app module: importing it after lockdown must work
import msgspec

from tkelectron.common._clone import to_wire_args
from tkelectron.common._messages import Send
from tkelectron.renderer import context_bridge, ipc_renderer


def _conn():
    return ipc_renderer._runtime().conn


def _describe(exc, sent):
    return {
        "error": type(exc).__name__,
        "message": str(exc),
        "permission": isinstance(exc, PermissionError),
        "sent": sent,
    }


# -- the sandbox ---------------------------------------------------------------


def run_escapes(event, params, names=None):
    return escapes.run(params, names)


async def keep_working(event):
    """What must keep working inside the same locked-down renderer."""
    out = {}

    def new_stdlib_module(p):
        name = next(n for n in ("colorsys", "wave", "sched", "fractions", "difflib") if n not in sys.modules)
        module = __import__(name)
        return module.__name__

    def sqlite_in_memory(p):
        import sqlite3

        db = sqlite3.connect(":memory:")
        db.execute("create table t (x)")
        db.executemany("insert into t values (?)", [(1,), (2,), (3,)])
        return db.execute("select sum(x) from t").fetchone()[0]

    def threads(p):
        box = []
        worker = threading.Thread(target=lambda: box.append(sum(range(1000))))
        worker.start()
        worker.join()
        return box[0]

    def ctypes_callback(p):
        import ctypes

        values = (ctypes.c_int * 4)(3, 1, 4, 2)
        compare = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
        escapes.libc.qsort(values, 4, ctypes.sizeof(ctypes.c_int), compare(lambda a, b: a[0] - b[0]))
        return list(values)

    def app_module(p):
        return os.path.basename(escapes.__file__)

    for fn in (new_stdlib_module, sqlite_in_memory, threads, ctypes_callback, app_module):
        out[fn.__name__] = escapes.outcome(fn, {})
    try:
        out["ipc_socket"] = {"ok": True, "value": repr(await ipc_renderer.invoke("ok:echo", "over the socket"))}
    except Exception as exc:
        out["ipc_socket"] = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
    return out


# -- allowlists: the renderer's own check, and a renderer that skips it --------


async def try_invoke(event, channel, *args):
    before = _conn().frames_sent
    try:
        return {"ok": await ipc_renderer.invoke(channel, *args)}
    except Exception as exc:
        return _describe(exc, _conn().frames_sent - before)


def try_send(event, channel, *args):
    before = _conn().frames_sent
    try:
        ipc_renderer.send(channel, *args)
    except Exception as exc:
        return _describe(exc, _conn().frames_sent - before)
    return {"ok": None, "sent": _conn().frames_sent - before}


async def tampered_invoke(event, channel, *args):
    """An Invoke frame for ``channel`` without the renderer-side allowlist check."""
    try:
        return {"ok": await ipc_renderer._runtime().calls.invoke(channel, to_wire_args(args))}
    except Exception as exc:
        return _describe(exc, 1)


def tampered_send(event, channel, *args):
    _conn().send(Send(channel, to_wire_args(args)))


# -- protocol abuse: each must get this renderer killed -------------------------


def raw(event, kind, size=0):
    conn = _conn()
    conn.flush_blocking(time.monotonic() + 5)  # nothing of ours may be half-written
    if kind == "malformed":
        body = b"\xc1\xc1\xc1"  # 0xc1 is never used by msgpack
        conn.sock.send(struct.pack("<I", len(body)) + body)
    elif kind == "oversized":
        conn.sock.send(struct.pack("<I", size))  # the header alone announces too much
    elif kind == "unknown-type":
        body = msgspec.msgpack.encode(["Bogus", 1, "x"])  # a valid array, an unknown tag
        conn.sock.send(struct.pack("<I", len(body)) + body)
    elif kind == "internal-channel":
        conn.send(Send("tke:x", []))
    elif kind == "big-send":
        ipc_renderer.send("ok:big", b"x" * size)
    else:
        raise ValueError(kind)
    return "sent"


# -- the page world --------------------------------------------------------------

_page = {}


def serve(fn):
    """The page hands over a function main may ask it to run (a bridged callback)."""
    _page["fn"] = fn


async def ask_page(event, *args):
    return _page["fn"](*args)


def report(*args):
    ipc_renderer.send("ok:note", *args)


def fail(message):
    raise ValueError(message)


for _channel, _fn in {
    "run-escapes": run_escapes, "keep-working": keep_working, "try-invoke": try_invoke, "try-send": try_send,
    "tampered-invoke": tampered_invoke, "tampered-send": tampered_send, "raw": raw, "ask-page": ask_page,
    "pid": lambda event: os.getpid(),
    "sendable": lambda event: sorted(ipc_renderer._runtime().sendable),
}.items():  # fmt: skip
    ipc_renderer.handle(_channel, _fn)
ipc_renderer.on("ok:ping", lambda event, n: ipc_renderer.send("ok:note", "pong", n))

context_bridge.expose_in_main_world("probe", {"serve": serve, "report": report, "fail": fail, "echo": lambda x: x})


def tampered_navigate(event, url):
    """A Navigate message a real click never produced."""
    from tkelectron.common._messages import Navigate

    _conn().send(Navigate(url))


ipc_renderer.handle("tampered-navigate", tampered_navigate)
