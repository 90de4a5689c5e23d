"""The zygote: a pre-imported template process that forks renderers (Linux).

Started once by main (``python -I -B`` like a renderer, or the frozen app
with its zygote flag) as the app starts, it imports everything a renderer
needs, says so with one byte (:data:`READY`: main awaits it without
blocking, and starts renderers directly until it comes), then serves one
private socketpair with main, single-threaded:

- a request is one byte ``F`` with three descriptors (SCM_RIGHTS): the
  renderer's end of its socketpair, the write end of its stderr pipe and
  the write end of its status pipe;
- the zygote forks; the child puts the socket and stderr in place, starts
  its own session, arms its parent-death signal (the zygote's own dies with
  main, so renderers die with the zygote), closes every other descriptor
  (the channel above all), resets the zygote's signal handling and runs
  :func:`tkelectron.renderer.__main__.main`, which locks it down before any
  app code runs — exactly what a directly started renderer does;
- the reply is the child's pid (4 bytes) with a pidfd for it, opened before
  the child can be reaped, so main holds the very process and not a number
  that could be reused;
- when a child exits the zygote reaps it and writes its return code
  (4 bytes, :func:`os.waitstatus_to_exitcode`) to that child's status pipe,
  then closes it.

The zygote runs no app code and holds no sandbox: like Chromium's, it is
the unsandboxed parent of sandboxed children. It exits when main closes the
channel, and by its parent-death signal if main dies.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import sys
import traceback

# The renderer's own entry module: imported here (SIGINT ignored, every
# framework import done) so each fork starts with them all paid for.
from tkelectron.renderer import __main__ as renderer_entry
from tkelectron.renderer._sandbox import _set_pdeathsig

__all__ = ["main", "READY", "REQUEST"]

#: The byte that tells main the imports are done and requests are served.
READY = b"R"
#: The request byte that asks for one renderer.
REQUEST = b"F"
#: The descriptor a forked renderer finds its socket on.
_RENDERER_FD = 3


def _run_child(sock_fd: int, stderr_fd: int, zygote_pid: int, channel: socket.socket) -> None:
    """In the forked child: become a renderer, then exit. Never returns."""
    code = 1
    try:
        _set_pdeathsig()
        if os.getppid() != zygote_pid:  # the zygote died before the signal was armed
            os._exit(1)
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        channel.detach()  # its descriptor is closed below; the object must not close a reused number later
        os.dup2(stderr_fd, 2)
        if sock_fd != _RENDERER_FD:
            os.dup2(sock_fd, _RENDERER_FD)
        os.closerange(_RENDERER_FD + 1, os.sysconf("SC_OPEN_MAX"))
        try:
            renderer_entry.main(_RENDERER_FD)
            code = 0
        except SystemExit as exc:  # as the interpreter would report it
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                print(exc.code, file=sys.stderr)
                code = 1
    except BaseException:  # noqa: BLE001 - an uncaught error ends a renderer like an interpreter would
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - exiting anyway
                pass
        os._exit(code)


def _close(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def _reap(status_fds: dict[int, int]) -> None:
    """Reap every exited child and hand its return code to main."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = status_fds.pop(pid, None)
        if fd is None:
            continue
        try:
            os.write(fd, os.waitstatus_to_exitcode(status).to_bytes(4, "little", signed=True))
        except OSError:
            pass  # main closed its end: nobody is waiting
        os.close(fd)


def _fork(channel: socket.socket, fds: list[int], status_fds: dict[int, int]) -> None:
    sock_fd, stderr_fd, status_fd = fds
    zygote_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        _run_child(sock_fd, stderr_fd, zygote_pid, channel)
    status_fds[pid] = status_fd
    pidfd = os.pidfd_open(pid)  # not reaped before _reap runs: this is that child
    try:
        socket.send_fds(channel, [pid.to_bytes(4, "little")], [pidfd])
    finally:
        os.close(pidfd)
        _close([sock_fd, stderr_fd])


def serve(channel: socket.socket) -> None:
    """Fork a renderer for each request until main closes the channel."""
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.signal(signal.SIGCHLD, lambda _sig, _frame: None)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    status_fds: dict[int, int] = {}
    poller = select.poll()
    poller.register(channel.fileno(), select.POLLIN)
    poller.register(wake_r, select.POLLIN)
    while True:
        events = poller.poll()
        try:
            while os.read(wake_r, 512):
                pass
        except BlockingIOError:
            pass
        _reap(status_fds)
        if not any(fd == channel.fileno() for fd, _ in events):
            continue
        msg, fds, _flags, _addr = socket.recv_fds(channel, 16, 3)
        if not msg:
            _close(fds)
            return  # main is done
        if msg != REQUEST or len(fds) != 3:
            _close(fds)  # not a request: ignored (main never sends one)
            continue
        _fork(channel, fds, status_fds)


def _preimport() -> None:
    """Import what :func:`renderer_entry.main` imports when it starts, and
    build msgspec's type information for main's messages (a decoder of the
    union: ~1 ms that every fork would otherwise pay before reading Init)."""
    import trio  # noqa: F401

    from ..common import _connection, _framing, _messages, _sandbox_policy  # noqa: F401
    from . import _runtime, _sandbox  # noqa: F401

    _framing.FrameDecoder(_messages.MainToRenderer)


def main(fd: int) -> None:
    """Entry point: ``fd`` is the zygote's end of its channel to main."""
    _set_pdeathsig()
    _preimport()
    channel = socket.socket(fileno=fd)
    channel.setblocking(True)
    channel.sendall(READY)
    serve(channel)


if __name__ == "__main__":
    main(int(sys.argv[1]))
