"""``app.request_single_instance_lock()``: one running instance per user and app.

The lock is an ``flock`` on a file in the user's runtime directory
(``$XDG_RUNTIME_DIR``, else a private ``tkelectron-$UID`` folder in the temp
directory), named after the app's ``userData`` folder as Electron keys it.
The kernel releases an ``flock`` when its process ends however it ends, so a
crashed first instance never blocks the next start: the next one takes the
lock and replaces the socket the crashed one left.

The instance holding the lock listens on a unix socket beside it. A later
instance that cannot take the lock connects, sends its ``argv``, working
directory and ``additional_data`` as one msgpack frame, waits for the first
to acknowledge it, and gets False (the app then quits, as in Electron). The
first instance emits ``second-instance`` with ``(event, argv, cwd, data)``.

What arrives on the socket comes from another process: it is decoded with a
strict schema and size limit, read with a deadline, and anything wrong is
logged and dropped; the first instance goes on.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import socket
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
import trio

from ..common._emitter import PreventableEvent
from ..common._framing import FrameDecoder, FrameEncoder, FrameError
from .hookspecs import hookimpl

__all__ = ["SecondInstance", "SingleInstanceLock", "runtime_dir"]

log = logging.getLogger("tkelectron.single_instance")

#: A second instance's message is at most this big (its argv and data).
MAX_MESSAGE = 1024 * 1024
#: How long either side waits for the other before giving up.
TIMEOUT = 5.0
_ACK = b"\x01"


class SecondInstance(msgspec.Struct, forbid_unknown_fields=True):
    """What a second instance tells the first."""

    argv: list[str]
    cwd: str
    data: Any = None


def runtime_dir() -> Path:
    """The user's runtime directory, or a private folder standing in for it."""
    value = os.environ.get("XDG_RUNTIME_DIR", "")
    if value and os.path.isabs(value) and _private_dir(Path(value)):
        return Path(value)
    folder = Path(tempfile.gettempdir()) / f"tkelectron-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    if not _private_dir(folder):
        raise PermissionError(f"{folder} is not a private folder of this user; not using it for the lock")
    return folder


def _private_dir(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


class SingleInstanceLock:
    """The lock file and socket for one app (keyed by its ``userData`` path)."""

    def __init__(self, key: str) -> None:
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]
        folder = runtime_dir()
        self.lock_path = folder / f"tkelectron-{digest}.lock"
        self.socket_path = folder / f"tkelectron-{digest}.sock"
        self._fd: int | None = None
        self.listener: socket.socket | None = None
        self._serving: trio.CancelScope | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock and listen (True), or find it held elsewhere (False)."""
        if self._fd is not None:
            return True
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        try:
            # Whatever socket file is there belongs to an instance that is
            # gone (it held this lock while it lived).
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.socket_path)
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
            old_umask = os.umask(0o177)
            try:
                listener.bind(str(self.socket_path))
            finally:
                os.umask(old_umask)
            listener.listen(16)
        except BaseException:
            os.close(fd)
            raise
        self._fd, self.listener = fd, listener
        return True

    def release(self) -> None:
        if self.listener is not None:
            if self._serving is not None:
                # serve() waits in accept() on this socket: wake it first.
                self._serving.cancel()
                trio.lowlevel.notify_closing(self.listener)
            self.listener.close()
            self.listener = None
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.socket_path)
        if self._fd is not None:
            os.close(self._fd)  # releases the flock
            self._fd = None

    def notify_first(self, message: SecondInstance) -> bool:
        """Send ``message`` to the instance holding the lock; True once it acknowledged.

        Blocking, with a deadline: it runs before this (second) instance has
        anything else to do. The first may hold the lock but not listen yet
        (it is between the two), so a refused connection is retried briefly.
        """
        frame = FrameEncoder().frame(message)
        if len(frame) > MAX_MESSAGE:
            raise ValueError(f"additional_data is too large to send ({len(frame)} bytes, at most {MAX_MESSAGE})")
        deadline = time.monotonic() + TIMEOUT
        while True:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC) as conn:
                conn.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    conn.connect(str(self.socket_path))
                    conn.sendall(frame)
                    return conn.recv(1) == _ACK
                except OSError as exc:
                    retry = exc.errno in (errno.ECONNREFUSED, errno.ENOENT) and time.monotonic() < deadline
                    if not retry:
                        log.warning("could not reach the first instance: %s", exc)
                        return False
            time.sleep(0.05)

    async def serve(self, app: Any) -> None:
        """Accept second instances until cancelled; then release the lock."""
        assert self.listener is not None
        listener = trio.socket.from_stdlib_socket(self.listener)
        try:
            with trio.CancelScope() as self._serving:
                async with trio.open_nursery() as nursery:
                    while True:
                        try:
                            conn, _ = await listener.accept()
                        except trio.ClosedResourceError:  # released
                            return
                        nursery.start_soon(self._handle, app, conn)
        finally:
            self._serving = None
            self.release()

    async def _handle(self, app: Any, conn: trio.socket.SocketType) -> None:
        decoder: FrameDecoder[SecondInstance] = FrameDecoder(SecondInstance, max_frame=MAX_MESSAGE)
        with conn:
            message = None
            with trio.move_on_after(TIMEOUT):
                try:
                    while message is None:
                        data = await conn.recv(65536)
                        if not data:
                            break
                        messages = decoder.feed(data)
                        message = messages[0] if messages else None
                except (FrameError, OSError) as exc:
                    log.warning("ignored a bad message from a second instance: %s", exc)
                    return
            if message is None:
                log.warning("a second instance connected but sent no complete message")
                return
            with contextlib.suppress(OSError):
                await conn.send(_ACK)
        app.emit("second-instance", PreventableEvent(), message.argv, message.cwd, message.data)


class _ServeWhenReady:
    """A plugin that starts serving once the app runs (lock taken before ``run``)."""

    def __init__(self, lock: SingleInstanceLock) -> None:
        self.lock = lock

    @hookimpl
    async def tkelectron_ready(self, app: Any) -> None:
        if self.lock.held:
            await self.lock.serve(app)


def request_lock(app: Any, additional_data: Any = None) -> bool:
    """``app.request_single_instance_lock`` (see the module docstring)."""
    lock: SingleInstanceLock | None = app.__dict__.get("_single_instance_lock")
    if lock is not None and lock.held:
        return True
    lock = SingleInstanceLock(app.get_path("userData"))
    if lock.acquire():
        app.__dict__["_single_instance_lock"] = lock
        if app.nursery is not None:
            app.start_soon(lock.serve, app)
        else:
            app.register_plugin(_ServeWhenReady(lock), name="tkelectron.single-instance")
        return True
    message = SecondInstance(argv=list(sys.argv), cwd=os.getcwd(), data=additional_data)
    lock.notify_first(message)
    return False


def release_lock(app: Any) -> None:
    lock: SingleInstanceLock | None = app.__dict__.pop("_single_instance_lock", None)
    if lock is not None:
        lock.release()
