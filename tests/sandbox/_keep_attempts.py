"""What a sandboxed renderer must still be able to do, run inside the child.

Same contract as ``_escape_attempts``: return a JSON-able value on success,
raise on failure.  Imports of the modules under test happen inside the
functions, after lockdown, and each checks that the module was not already
loaded (otherwise the test would prove nothing).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

Params = dict[str, Any]


class AlreadyImported(Exception):
    """The module was loaded before lockdown, so importing it proves nothing."""


def _fresh_import(name: str) -> Any:
    if name in sys.modules:
        raise AlreadyImported(f"{name} was imported before lockdown (by the framework)")
    return importlib.import_module(name)


def setup_fresh_import(p: Params) -> bool:
    """Before lockdown: is the module installed at all?  (Not every build has curses.)"""
    return p["module"] in sys.modules or importlib.util.find_spec(p["module"]) is not None


def fresh_import(p: Params) -> Any:
    """Import ``p["module"]`` for the first time, after lockdown; name the files it loaded."""
    if not p["state"]:
        raise ModuleNotFoundError(p["module"])
    before = set(sys.modules)
    module = _fresh_import(p["module"])
    loaded = [sys.modules[name] for name in set(sys.modules) - before]
    extensions = sorted(
        os.path.basename(m.__file__) for m in loaded if getattr(m, "__file__", None) and m.__file__.endswith(".so")
    )
    return {"name": module.__name__, "extensions": extensions}


def import_app_module(p: Params) -> Any:
    sys.path.insert(0, p["app"])
    appmod = _fresh_import("appmod")
    sub = _fresh_import("apppkg.sub")  # a sub-package import lists its folder: READ_DIR
    return [appmod.VALUE, sub.VALUE]


def sqlite_in_memory(p: Params) -> Any:
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("create table t (x)")
    db.executemany("insert into t values (?)", [(1,), (2,), (3,)])
    total = db.execute("select sum(x) from t").fetchone()[0]
    db.close()
    return total


def threads(p: Params) -> Any:
    results: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        with lock:
            results.append(n * n)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sorted(results)


def threads_until_refused(p: Params) -> Any:
    """Start waiting threads until one is refused or ``p["at_most"]`` run; report how many started."""
    release = threading.Event()
    started: list[threading.Thread] = []
    refused = None
    try:
        while len(started) < p["at_most"]:
            worker = threading.Thread(target=release.wait)
            try:
                worker.start()
            except RuntimeError as exc:  # "can't start new thread": clone() said EAGAIN
                refused = str(exc)
                break
            started.append(worker)
    finally:
        release.set()
        for worker in started:
            worker.join()
    return {"started": len(started), "refused": refused}


def allocate(p: Params) -> Any:
    """Allocate (and zero) ``p["bytes"]``; a limit makes it a MemoryError."""
    block = bytearray(p["bytes"])
    size = len(block)
    del block
    return size


def ctypes_callback(p: Params) -> Any:
    import ctypes  # already loaded; the callback trampoline is what is exercised

    libc = ctypes.CDLL(None)
    values = (ctypes.c_int * 5)(5, 3, 1, 4, 2)
    compare_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
    compare = compare_type(lambda a, b: a[0] - b[0])
    libc.qsort(values, len(values), ctypes.sizeof(ctypes.c_int), compare)
    return list(values)


def read_app_file(p: Params) -> Any:
    with open(os.path.join(p["app"], "data.txt")) as f:
        return f.read()


def socketpair_after(p: Params) -> Any:
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"ping")
        return right.recv(4).decode()


def signal_self(p: Params) -> Any:
    import signal

    received: list[int] = []
    signal.signal(signal.SIGUSR1, lambda signum, frame: received.append(signum))
    signal.raise_signal(signal.SIGUSR1)  # tgkill(getpid(), gettid())
    os.kill(os.getpid(), signal.SIGUSR1)
    return len(received)


def zoneinfo_lookup(p: Params) -> Any:
    zoneinfo = _fresh_import("zoneinfo")
    return str(zoneinfo.ZoneInfo("Europe/Paris"))


def trio_loop(p: Params) -> Any:
    """Run a trio loop as a renderer does: tasks, a worker thread, a memory channel."""
    import trio

    async def main() -> list[int]:
        send, receive = trio.open_memory_channel[int](10)
        async with trio.open_nursery() as nursery:

            async def produce() -> None:
                async with send:
                    for n in range(3):
                        await send.send(await trio.to_thread.run_sync(lambda n=n: n * 10))

            nursery.start_soon(produce)
            async with receive:
                return [n async for n in receive]

    return trio.run(main)


def ipc_socketpair(p: Params) -> Any:
    """Echo over the socketpair end the parent passed in (the renderer's IPC channel)."""
    with socket.socket(fileno=p["ipc_fd"]) as sock:
        sock.sendall(b"ready")
        message = sock.recv(100)
        sock.sendall(message[::-1])
        return message.decode()


def scm_rights(p: Params) -> Any:
    """Receive a file descriptor from the parent and read a file we cannot open."""
    with socket.socket(fileno=p["ipc_fd"]) as sock:
        try:
            open(p["secret"]).close()
            direct = "opened"
        except OSError as exc:
            direct = f"{type(exc).__name__}:{exc.errno}"
        sock.sendall(b"ready")
        _, fds, _, _ = socket.recv_fds(sock, 100, 1)
        with os.fdopen(fds[0]) as granted:
            return {"content": granted.read(), "direct": direct}


KEEPS: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        fresh_import, import_app_module, threads_until_refused, allocate,
        sqlite_in_memory, threads, ctypes_callback, read_app_file, socketpair_after,
        signal_self, zoneinfo_lookup, trio_loop, ipc_socketpair, scm_rights,
    )
}  # fmt: skip
KEEP_SETUPS: dict[str, Callable[[Params], Any]] = {"fresh_import": setup_fresh_import}
