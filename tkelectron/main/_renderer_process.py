"""Starting a renderer subprocess and telling how it ended.

A renderer is forked from the zygote (:mod:`._zygote`, Linux, on by default)
or started as ``python -I -B`` (isolated: no PYTHON* variables, no user site,
no current directory on the path) with a minimal environment, no stdin, its
own session, and one end of a socketpair as its only channel to main. What it
should load arrives as the first frame (:class:`Init`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable

import trio

from ..common._connection import Connection
from ..common._messages import Init, RendererToMain
from ._isolated_process import FRAMEWORK_ROOT, isolated_popen
from ._zygote import ZygoteChild
from ._zygote import spawn as zygote_spawn

__all__ = ["RendererProcess", "exit_reason", "FRAMEWORK_ROOT"]


_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from tkelectron.renderer.__main__ import main; main(int(sys.argv[2]))"
)


def _command(fd: int) -> list[str]:
    """The renderer's command line: ``python -I -B``, or the frozen app itself.

    A packaged app (``tkelectron package``) has no ``python``: its executable
    becomes a renderer when given the marker argument (see tkelectron._frozen).
    """
    if getattr(sys, "frozen", False):
        from .._frozen import RENDERER_FLAG

        return [sys.executable, RENDERER_FLAG, str(fd)]
    return [sys.executable, "-I", "-B", "-c", _BOOTSTRAP, FRAMEWORK_ROOT, str(fd)]


_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGSYS}


def exit_reason(returncode: int | None) -> str:
    """Electron's ``render-process-gone`` reason for an exit status."""
    if returncode is None:
        return "launch-failed"
    if returncode == 0:
        return "clean-exit"
    if returncode < 0:
        sig = -returncode
        if sig in _CRASH_SIGNALS:
            return "crashed"
        return "killed"
    return "abnormal-exit"


class RendererProcess:
    """One running renderer: its OS process and its framed connection."""

    def __init__(self, popen: subprocess.Popen[bytes] | ZygoteChild, conn: Connection[RendererToMain]) -> None:
        self.popen = popen
        self.conn = conn
        self.pid = popen.pid
        #: Set when main killed the renderer on purpose, with the reason to report.
        self.kill_reason: str | None = None

    @classmethod
    def start(cls) -> RendererProcess:
        """Start a renderer process directly: it imports everything, then waits for Init.

        Popen runs here, on the main thread, on purpose: the renderer's
        PDEATHSIG fires when the *thread* that forked it exits, and trio's own
        open_process forks from a worker thread that idles out.
        """
        return cls._started(*socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM), None)

    @classmethod
    async def start_async(cls) -> RendererProcess:
        """A renderer forked from the zygote when it is on and ready, else started directly.

        Awaiting the zygote never blocks the loop (see :mod:`._zygote`).
        """
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            forked = await zygote_spawn(child.fileno())
        except BaseException:
            parent.close()
            child.close()
            raise
        return cls._started(parent, child, forked)

    @classmethod
    def _started(cls, parent: socket.socket, child: socket.socket, forked: ZygoteChild | None) -> RendererProcess:
        """Wrap the renderer on ``child`` (``forked``, else started directly now)."""
        popen: subprocess.Popen[bytes] | ZygoteChild
        try:
            # stderr (fatal errors) is read by main and shown.
            popen = forked or isolated_popen(_command(child.fileno()), child.fileno(), subprocess.PIPE)
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        return cls(popen, Connection(parent, RendererToMain))

    def begin(self, init: Init) -> None:
        """Tell the renderer what to be: it locks down and loads the page."""
        self.conn.max_frame = init.max_frame
        self.conn.send(init)

    @classmethod
    async def spawn(cls, init: Init) -> RendererProcess:
        proc = await cls.start_async()
        try:
            proc.begin(init)
            await trio.lowlevel.checkpoint()
        except BaseException:  # cancelled (the app ends) before anyone holds it: never left behind
            proc.discard()
            raise
        return proc

    def discard(self) -> None:
        """Kill and reap a renderer nobody else holds (a spare, a start cut short)."""
        self.kill()
        try:
            self.popen.wait(timeout=5)  # SIGKILLed: reaped at once (by the zygote for a forked one)
        except subprocess.TimeoutExpired:
            pass
        self.close()
        if self.popen.stderr is not None:
            self.popen.stderr.close()

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def kill(self, reason: str | None = None) -> None:
        """SIGKILL the renderer; ``reason`` overrides the reported exit reason."""
        if reason is not None and self.kill_reason is None:
            self.kill_reason = reason
        if self.popen.poll() is None:
            try:
                self.popen.kill()
            except ProcessLookupError:
                pass

    async def wait(self) -> int:
        """Wait for the process to exit (without a thread where pidfds exist)."""
        if self.popen.poll() is None:
            await _wait_exit(self.popen)
        return self.popen.wait()

    async def pump_stderr(self, emit: Callable[[str], None]) -> None:
        """Hand each line the renderer writes to its stderr to ``emit``, until EOF.

        The renderer is hostile input: lines reach ``emit`` escaped (no control
        characters or escape sequences), cut at ``MAX_LINE`` bytes with a
        bounded buffer (no newline for megabytes costs linear time), and at
        most ``LINES_PER_SECOND`` a second, with a count of what was held back.
        """
        from ._terminal_text import LineGate, LineReader, printable

        stream = self.popen.stderr
        if stream is None:
            return
        fd = stream.fileno()
        os.set_blocking(fd, False)
        reader = LineReader()
        gate = LineGate()

        def hand_over(lines: list[str]) -> None:
            for line in lines:
                shown, held = gate.admit()
                if held:
                    emit(f"({held} lines not shown: over {gate.per_second} a second)")
                if shown:
                    emit(printable(line, keep_newlines=False))

        try:
            while True:
                await trio.lowlevel.wait_readable(fd)
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                hand_over(reader.feed(chunk))
        finally:
            hand_over(reader.close())
            if gate.held:
                emit(f"({gate.held} lines not shown: over {gate.per_second} a second)")
            trio.lowlevel.notify_closing(fd)
            stream.close()

    def close(self) -> None:
        self.conn.close()


async def _wait_exit(popen: subprocess.Popen[bytes] | ZygoteChild) -> None:
    if isinstance(popen, ZygoteChild):  # not main's child: its status comes from the zygote
        await popen.wait_async()
        return
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(popen.pid)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                await trio.lowlevel.wait_readable(fd)
            finally:
                os.close(fd)
            return
    await trio.to_thread.run_sync(popen.wait, abandon_on_cancel=True)
