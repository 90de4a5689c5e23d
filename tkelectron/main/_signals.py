"""SIGINT and SIGTERM quit the app the normal way; a second one forces the exit.

While ``app.run()`` runs, main replaces Python's handlers for SIGINT (Ctrl+C)
and SIGTERM (``kill``, a session logging out):

- The first signal starts the normal quit — ``before-quit`` → every window
  closed → ``will-quit`` → ``quit`` — and the exit code becomes 128 + the
  signal number (130 for SIGINT, 143 for SIGTERM), as a shell reports a
  process that the signal ended. No KeyboardInterrupt is raised, so nothing
  prints a traceback. If a listener prevents the quit, the app goes on.
- A second signal exits at once: every renderer is SIGKILLed and the process
  ends with the same code, without running any more app code.

How the signal reaches the loop: a Python signal handler only runs when the
main thread runs Python code, and Tk's mainloop sits in C. Trio's guest run
sets ``signal.set_wakeup_fd`` to its own wake-up socket (TkHost passes
``host_uses_signal_set_wakeup_fd=False``), so the signal's byte wakes trio's
wait: that socket is in trio's epoll set, which Tk watches itself
(:mod:`._guest_wait`; in the fallback, trio's I/O thread wakes and schedules
a tick through the host's self-pipe). Tk wakes to run the tick and Python
runs the handler. The handler itself only calls
``TrioToken.run_sync_soon``, which trio documents as signal-safe; the quit
runs as ordinary app code on trio's next tick.

Renderers ignore SIGINT (see ``tkelectron.renderer.__main__``): a Ctrl+C at
the terminal is main's to act on, and main ends its renderers as it quits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

import trio

if TYPE_CHECKING:
    from ._app import App

__all__ = ["QUIT_SIGNALS", "exit_code_for", "quit_on_signals"]

log = logging.getLogger("tkelectron")

#: The signals that quit the app.
QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def exit_code_for(signum: int) -> int:
    """The exit code of a process that ``signum`` ended (a shell's convention)."""
    return 128 + signum


@contextlib.contextmanager
def quit_on_signals(app: App) -> Iterator[None]:
    """Handle SIGINT/SIGTERM as described above while the block runs (in trio).

    Python only allows signal handlers on the main thread; elsewhere this does
    nothing. The previous handlers come back when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    token = trio.lowlevel.current_trio_token()
    received: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if received:
            force_exit(app, signum)
        received.append(signum)
        try:
            token.run_sync_soon(app._quit_on_signal, signum)
        except trio.RunFinishedError:
            force_exit(app, signum)  # no loop left to quit through

    previous = {sig: signal.signal(sig, on_signal) for sig in QUIT_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def force_exit(app: App, signum: int) -> None:
    """End the process now: renderers SIGKILLed, exit code 128 + ``signum``."""
    procs: list[Any] = [*app._renderers, *app._spares]
    for proc in procs:
        with contextlib.suppress(Exception):  # exiting anyway: kill what can be killed
            proc.kill()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.popen.wait()  # SIGKILLed: reaped at once, so none outlives main
    with contextlib.suppress(Exception):
        sys.stderr.write(f"tkelectron: {signal.Signals(signum).name} again: exiting at once\n")
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(exit_code_for(signum))
