"""Renderers forked from a zygote instead of started from scratch (Linux).

A directly started renderer pays for an interpreter and every framework
import (~150 ms) before it can lock down. With the zygote on (the
``TKELECTRON_ZYGOTE=1`` environment variable; off by default), main starts
one pre-imported template process (see :mod:`tkelectron.renderer._zygote`)
and asks it for each renderer: the fork is ready in a few milliseconds and
shares the zygote's pages copy-on-write. The forked child locks itself down
exactly like a direct renderer, before any app code runs.

The zygote is trusted less than main: everything it says is checked. A
spawn reply must be 4 bytes with exactly one descriptor, a pidfd of that
very pid (``/proc/self/fdinfo``); a status must be 4 bytes within the range
of return codes. Anything else, a hang past :data:`REPLY_TIMEOUT` or a dead
zygote, and main ends that zygote, starts a new one once, and else starts the
renderer directly. A renderer's exit is learnt from its status pipe (the
zygote writes the return code after reaping it); if the zygote died first,
the renderer died of its parent-death signal, which the pidfd confirms, and
is reported SIGKILLed.

:class:`ZygoteChild` offers what :class:`subprocess.Popen` offers the
renderer code (``pid``, ``stderr``, ``poll``, ``wait``, ``kill``), so
``RendererProcess`` and the ``render-process-gone`` reasons do not change.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import subprocess
import sys
from typing import IO

import trio

from ._isolated_process import FRAMEWORK_ROOT, isolated_popen

__all__ = ["ZygoteChild", "enabled", "spawn", "stop", "ENV"]

log = logging.getLogger("tkelectron.zygote")

#: The environment variable that turns the zygote on (``1``) or off.
ENV = "TKELECTRON_ZYGOTE"
#: Seconds main waits for the zygote to answer a request.
REPLY_TIMEOUT = 10.0
#: Return codes a status may carry: an exit code, or minus a signal number.
_CODES = range(-64, 256)

_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tkelectron.renderer._zygote import main; main(int(sys.argv[2]))"
)


class ZygoteError(OSError):
    """The zygote did not answer as it must (dead, hung or misbehaving)."""


def enabled() -> bool:
    """True when renderers should come from a zygote (Linux, pidfds, asked for)."""
    return os.environ.get(ENV) == "1" and sys.platform == "linux" and hasattr(os, "pidfd_open")


def _command(fd: int) -> list[str]:
    if getattr(sys, "frozen", False):
        from .._frozen import ZYGOTE_FLAG

        return [sys.executable, ZYGOTE_FLAG, str(fd)]
    return [sys.executable, "-I", "-B", "-c", _BOOTSTRAP, FRAMEWORK_ROOT, str(fd)]


def _pidfd_pid(fd: int) -> int | None:
    """The pid a pidfd refers to (-1 once reaped), from /proc; None if not a pidfd."""
    try:
        with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as info:
            for line in info:
                if line.startswith("Pid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


class ZygoteChild:
    """A renderer forked by the zygote, seen through a Popen-like surface."""

    def __init__(self, pid: int, pidfd: int, status_fd: int, stderr: IO[bytes]) -> None:
        self.pid = pid
        self.stderr: IO[bytes] | None = stderr
        self.returncode: int | None = None
        self._pidfd = pidfd
        self._status_fd = status_fd
        os.set_blocking(status_fd, False)

    def _finish(self, code: int) -> int:
        self.returncode = code
        for fd in (self._pidfd, self._status_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._pidfd = self._status_fd = -1
        return code

    def _exited(self) -> bool:
        return bool(select.select([self._pidfd], [], [], 0)[0])

    def poll(self) -> int | None:
        """The return code once the zygote reported it, else None."""
        if self.returncode is not None:
            return self.returncode
        try:
            data = os.read(self._status_fd, 8)
        except BlockingIOError:
            return None
        if len(data) == 4:
            code = int.from_bytes(data, "little", signed=True)
            if code in _CODES:
                return self._finish(code)
            log.error("zygote reported return code %d for renderer %d: killed", code, self.pid)
        elif data:
            log.error("zygote sent a malformed status for renderer %d: killed", self.pid)
        # No status (the zygote is gone, its PDEATHSIG ends the renderer) or a bad one.
        self._signal()
        if not self._exited():
            select.select([self._pidfd], [], [])  # SIGKILLed: gone in a moment
        return self._finish(-signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        """Block until the renderer exited and its status is known."""
        while (code := self.poll()) is None:
            if not select.select([self._status_fd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"renderer {self.pid}", timeout or 0)
        return code

    async def wait_async(self) -> int:
        """Wait without blocking trio: on the status pipe (a duplicate, so many may wait)."""
        while (code := self.poll()) is None:
            fd = os.dup(self._status_fd)
            try:
                await trio.lowlevel.wait_readable(fd)
            finally:
                trio.lowlevel.notify_closing(fd)
                os.close(fd)
        return code

    def _signal(self) -> None:
        if self._pidfd >= 0:
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL the renderer through its pidfd (never a reused pid)."""
        if self.returncode is None:
            self._signal()


class Zygote:
    """One running zygote process and main's end of its channel."""

    def __init__(self, popen: subprocess.Popen[bytes], channel: socket.socket) -> None:
        self.popen = popen
        self.channel = channel

    @classmethod
    def start(cls) -> Zygote:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            # On the main thread, like a renderer: PDEATHSIG follows the forking
            # thread. stderr is main's: the zygote runs no app code.
            popen = isolated_popen(_command(child.fileno()), child.fileno(), None)
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        parent.settimeout(REPLY_TIMEOUT)
        return cls(popen, parent)

    def fork(self, sock_fd: int) -> ZygoteChild:
        """Ask for one renderer on ``sock_fd``; raise ZygoteError if the zygote fails."""
        err_r, err_w = os.pipe()
        status_r, status_w = os.pipe()
        fds: list[int] = []
        try:
            try:
                socket.send_fds(self.channel, [b"F"], [sock_fd, err_w, status_w])
                msg, fds, _flags, _addr = socket.recv_fds(self.channel, 8, 2)
            except OSError as exc:  # timeouts included
                raise ZygoteError(f"zygote did not answer: {exc}") from exc
            if len(msg) != 4 or len(fds) != 1:
                raise ZygoteError("zygote sent a malformed reply")
            pid = int.from_bytes(msg, "little")
            if pid <= 1 or pid == os.getpid() or _pidfd_pid(fds[0]) not in (pid, -1):
                raise ZygoteError(f"zygote's reply does not name its child ({pid})")
        except BaseException:
            for fd in (*fds, err_r, status_r):
                os.close(fd)
            raise
        finally:
            os.close(err_w)
            os.close(status_w)
        return ZygoteChild(pid, fds[0], status_r, os.fdopen(err_r, "rb", buffering=0))

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        """Close the channel (the zygote exits at once) and reap it."""
        self.channel.close()
        try:
            self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


_current: Zygote | None = None


def _zygote() -> Zygote:
    global _current
    if _current is not None and not _current.alive():
        log.warning("zygote exited (%s): starting another", _current.popen.returncode)
        _current.stop()
        _current = None
    if _current is None:
        _current = Zygote.start()
    return _current


def spawn(sock_fd: int) -> ZygoteChild | None:
    """A renderer forked on ``sock_fd``, or None when the zygote is off or failing.

    A failing zygote is ended and replaced once; if the new one fails too,
    None tells the caller to start the renderer directly.
    """
    if not enabled():
        return None
    for _attempt in range(2):
        try:
            return _zygote().fork(sock_fd)
        except OSError as exc:
            log.warning("zygote failed (%s): ended", exc)
            stop()
    log.error("zygote unusable: renderer started directly")
    return None


def stop() -> None:
    """End the zygote (the app run ends; its renderers have exited)."""
    global _current
    if _current is not None:
        zygote, _current = _current, None
        zygote.stop()


def current_pid() -> int | None:
    """The running zygote's pid (for tests and diagnostics), or None."""
    return _current.popen.pid if _current is not None and _current.alive() else None
