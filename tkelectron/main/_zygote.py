"""Renderers forked from a zygote instead of started from scratch (Linux).

A directly started renderer pays for an interpreter and every framework
import (~150 ms) before it can lock down. With the zygote (on by default on
Linux; ``TKELECTRON_ZYGOTE=0`` turns it off), main starts one pre-imported
template process when the app starts (see :mod:`tkelectron.renderer._zygote`),
in parallel with its own start-up, and asks it for each renderer: the fork
is ready in a few milliseconds and shares the zygote's pages copy-on-write.
The forked child locks itself down exactly like a direct renderer, before
any app code runs.

Main never blocks on the zygote. The zygote says it is ready (one byte) once
its imports are done; a request awaits that byte in trio (on the channel's
readability, so Tk and every other task run meanwhile) for at most
:data:`READY_WAIT` seconds, and a window whose zygote is not ready by then
gets a directly started renderer, today's path. The fork reply is awaited
the same way, for at most :data:`REPLY_TIMEOUT`.

The zygote is trusted less than main: everything it says is checked. Its
ready byte must be exactly :data:`READY`; a spawn reply must be 4 bytes with
exactly one descriptor, a pidfd of that very pid (``/proc/self/fdinfo``),
a child of the zygote (``/proc/PID/stat``); a
status must be 4 bytes within the range of return codes. Anything else, a
hang past the deadlines or a dead zygote, and main ends that zygote; a run
starts at most :data:`MAX_STARTS` of them, then spawns directly. A zygote
started under another sandbox-testing environment than main has now is not
used (direct spawn). A renderer's exit is learnt from its status pipe (the
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
import time
from typing import IO

import trio

from ._isolated_process import FRAMEWORK_ROOT, isolated_environment, isolated_popen

__all__ = ["ENV", "ZygoteChild", "current_pid", "enabled", "spawn", "start", "stop", "wait_ready"]

log = logging.getLogger("tkelectron.zygote")

#: The environment variable that turns the zygote off (``0``); on otherwise.
ENV = "TKELECTRON_ZYGOTE"
#: The byte the zygote sends once its imports are done (see renderer._zygote).
READY = b"R"
#: Seconds a renderer request waits for a zygote that is still starting. A
#: zygote that is still importing is nearly always ready before a direct
#: start would be (it started earlier, and does the same imports); this only
#: bounds what a hung one may cost a window.
READY_WAIT = 2.0
#: Seconds after its start a zygote may take to be ready before it is ended.
START_TIMEOUT = 30.0
#: Seconds main waits for the zygote to answer a fork request.
REPLY_TIMEOUT = 5.0
#: Zygotes one app run may start (the first, and one replacement).
MAX_STARTS = 2
#: Return codes a status may carry: an exit code, or minus a signal number.
_CODES = range(-64, 256)

_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tkelectron.renderer._zygote import main; main(int(sys.argv[2]))"
)


class ZygoteError(OSError):
    """The zygote did not answer as it must (dead, hung or misbehaving)."""


def enabled() -> bool:
    """True when renderers should come from a zygote (Linux with pidfds, not turned off)."""
    return os.environ.get(ENV, "1").strip() != "0" and sys.platform == "linux" and hasattr(os, "pidfd_open")


def _command(fd: int) -> list[str]:
    """The zygote's command line: ``python -I -B``, or the frozen app with its zygote flag."""
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


def _parent(pid: int) -> int | None:
    """The parent pid of ``pid`` (from /proc), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


async def _readable(fd: int) -> None:
    """Wait until ``fd`` is readable, on a duplicate: several tasks may wait on one socket."""
    dup = os.dup(fd)
    try:
        await trio.lowlevel.wait_readable(dup)
    finally:
        trio.lowlevel.notify_closing(dup)
        os.close(dup)


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
            await _readable(self._status_fd)
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
    """One running zygote process and main's end of its channel (non-blocking)."""

    def __init__(self, popen: subprocess.Popen[bytes], channel: socket.socket, env: dict[str, str]) -> None:
        self.popen = popen
        self.channel = channel
        #: The environment it was started with (a renderer forked from it has it).
        self.env = env
        self.ready = False
        #: Set when a request failed half-way: the channel is out of step.
        self.broken = False
        self.started = time.monotonic()
        #: One request at a time: replies come in request order, one per request.
        self.lock = trio.Lock()
        #: Set once main ended it: a request still under way then fails quietly.
        self.stopped = False

    @classmethod
    def start(cls) -> Zygote:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = isolated_environment()
        try:
            # On the main thread, like a renderer: PDEATHSIG follows the forking
            # thread. stderr is main's: the zygote runs no app code.
            popen = isolated_popen(_command(child.fileno()), child.fileno(), None, env)
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        parent.setblocking(False)
        return cls(popen, parent, env)

    def check_ready(self) -> bool:
        """Take the ready byte if it has come; ZygoteError if something else did."""
        if self.ready:
            return True
        try:
            data = self.channel.recv(1)
        except BlockingIOError:
            if time.monotonic() - self.started > START_TIMEOUT:
                raise ZygoteError(f"zygote not ready {START_TIMEOUT:.0f} s after its start") from None
            return False
        except OSError as exc:
            raise ZygoteError(f"zygote's channel failed: {exc}") from exc
        if data != READY:
            raise ZygoteError("zygote ended before it was ready" if not data else "zygote sent a malformed ready byte")
        self.ready = True
        log.debug("zygote %d ready %.0f ms after its start", self.popen.pid, (time.monotonic() - self.started) * 1e3)
        return True

    async def wait_ready(self, timeout: float) -> bool:
        """Await the ready byte for at most ``timeout`` seconds; False if it did not come."""
        with trio.move_on_after(timeout):
            while not self.check_ready():
                await _readable(self.channel.fileno())
        return self.ready

    async def fork(self, sock_fd: int) -> ZygoteChild:
        """Ask the ready zygote for one renderer on ``sock_fd``; ZygoteError if it fails."""
        async with self.lock:
            err_r, err_w = os.pipe()
            status_r, status_w = os.pipe()
            fds: list[int] = []
            try:
                try:
                    socket.send_fds(self.channel, [b"F"], [sock_fd, err_w, status_w])
                    os.close(err_w)
                    os.close(status_w)
                    err_w = status_w = -1
                    msg, fds = await self._reply()
                except OSError as exc:  # EAGAIN on send included: it does not read
                    raise ZygoteError(f"zygote did not answer: {exc}") from exc
                if len(msg) != 4 or len(fds) != 1:
                    raise ZygoteError("zygote sent a malformed reply")
                pid = int.from_bytes(msg, "little")
                if not self._is_child(pid, fds[0]):
                    raise ZygoteError(f"zygote's reply does not name its child ({pid})")
            except BaseException:
                # Cancelled mid-request too: the reply may still come, so this
                # channel is out of step and the zygote must go (see spawn).
                self.broken = True
                for fd in (*fds, err_r, status_r, err_w, status_w):
                    if fd >= 0:
                        os.close(fd)
                raise
        return ZygoteChild(pid, fds[0], status_r, os.fdopen(err_r, "rb", buffering=0))

    def _is_child(self, pid: int, pidfd: int) -> bool:
        """True if ``pidfd`` is a pidfd of ``pid`` and that is the zygote's child (or already reaped)."""
        if pid <= 1 or pid == os.getpid() or pid == self.popen.pid:
            return False
        named = _pidfd_pid(pidfd)
        if named == -1:
            return True  # exited and reaped already: its status is on the way
        if named != pid:
            return False
        # While the pidfd still names it, /proc/<pid> is that very process.
        return _parent(pid) == self.popen.pid and _pidfd_pid(pidfd) == pid

    async def _reply(self) -> tuple[bytes, list[int]]:
        with trio.move_on_after(REPLY_TIMEOUT):
            while True:
                try:
                    msg, fds, _flags, _addr = socket.recv_fds(self.channel, 8, 2)
                except BlockingIOError:
                    await _readable(self.channel.fileno())
                    continue
                return msg, fds
        raise ZygoteError(f"no reply within {REPLY_TIMEOUT} s")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        """End the zygote: EOF on its channel when it serves (it exits at once), else SIGKILL."""
        self.stopped = True
        with contextlib.suppress(OSError):
            self.channel.shutdown(socket.SHUT_RDWR)  # EOF even while a waiter holds a duplicate
        self.channel.close()
        if not self.ready or self.broken:
            with contextlib.suppress(OSError):
                self.popen.kill()  # still importing, or not answering: nothing of its to finish
        try:
            self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


_current: Zygote | None = None
#: True from the app's start (:func:`start`) until its run ends (:func:`stop`).
_open = False
#: Zygotes started in this app run.
_starts = 0


def start() -> None:
    """The app starts: start the zygote if it is on (cheap: it imports on its own)."""
    global _open
    _open = True
    _ensure()


def _ensure() -> None:
    """Have a live zygote while the run is open: a dead or broken one is replaced (bounded)."""
    global _current, _starts
    if not _open or not enabled():
        return
    if _current is not None:
        if _current.alive() and not _current.broken:
            return
        _end(_current, "broken" if _current.alive() else f"exited ({_current.popen.returncode})")
    if _starts >= MAX_STARTS:
        return
    _starts += 1
    try:
        _current = Zygote.start()
    except OSError as exc:
        log.warning("zygote could not start (%s): renderers start directly", exc)


def _end(zygote: Zygote, why: str, level: int = logging.WARNING) -> None:
    global _current
    log.log(level, "zygote %d %s: ended", zygote.popen.pid, why)
    if _current is zygote:
        _current = None
    zygote.stop()


async def wait_ready(timeout: float = READY_WAIT) -> bool:
    """Await the zygote's readiness (False: off, failed, or not ready in time)."""
    _ensure()
    zygote = _current
    if zygote is None:
        return False
    try:
        return await zygote.wait_ready(timeout)
    except ZygoteError as exc:
        _end(zygote, str(exc))
        return False


async def spawn(sock_fd: int, wait: float = READY_WAIT) -> ZygoteChild | None:
    """A renderer forked on ``sock_fd``, or None: start it directly.

    None when the zygote is off or the app run not started (:func:`start`)
    or over, not ready within ``wait`` seconds, started
    under another sandbox-testing environment, or failing (a failing zygote
    is ended and the next one is tried, up to :data:`MAX_STARTS` a run).
    """
    if not enabled():  # turned off now, even if one runs
        return None
    for _attempt in range(MAX_STARTS):
        _ensure()
        zygote = _current
        if zygote is None:
            return None
        try:
            if not await zygote.wait_ready(wait):
                log.info("zygote not ready within %.1f s: renderer started directly", wait)
                return None
            if zygote.env != isolated_environment():
                log.info("zygote started under another environment: renderer started directly")
                return None
            return await zygote.fork(sock_fd)
        except ZygoteError as exc:
            if zygote.stopped:  # ended meanwhile (the run ends, or another request failed)
                continue
            _end(zygote, str(exc))
        except BaseException:
            if zygote.broken:
                # A window closed, or the run ended, while its renderer was
                # being forked: nothing failed, the next request starts a
                # fresh zygote, so this is not the user's warning.
                _end(zygote, "left out of step by a cancelled request", logging.INFO)
            raise
    log.error("zygote unusable: renderer started directly")
    return None


def stop() -> None:
    """End the zygote (the app run ends; its renderers have exited); the next run starts afresh."""
    global _current, _open, _starts
    zygote, _current, _open, _starts = _current, None, False, 0
    if zygote is not None:
        zygote.stop()


def current_pid() -> int | None:
    """The running zygote's pid (for tests and diagnostics), or None."""
    return _current.popen.pid if _current is not None and _current.alive() else None
