"""``tkelectron run --watch PATH``: edit the app while it runs.

Two processes share the work:

* this one, the **supervisor**, runs the app in a child process
  (``python -m tkelectron.tools._watch_child PATH``, which is ``tkelectron
  run PATH`` plus a reload plugin) and starts it again when it asks for a
  restart (exit code :data:`RESTART_EXIT_CODE`);
* the **app** watches its own files (it alone knows which modules its main
  process imported and which files each window shows): a page, stylesheet,
  ``renderer.py`` or preload edit reloads the windows concerned, in place; an
  edit to ``main.py`` or another module main imported ends it with the
  restart code.

When the app crashes or fails to start (a syntax error just saved), its error
is on the terminal, the supervisor says it is waiting for a change, and the
next edit starts it again. When the app quits normally (its last window was
closed), the next edit starts it again too. Ctrl+C (or SIGTERM) stops the app,
its renderers and the supervisor.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ._watch_files import POLL_INTERVAL, Snapshot, changed, describe, snapshot
from ._watch_plugin import RESTART_EXIT_CODE, say

__all__ = ["RESTART_EXIT_CODE", "run_watching"]

#: How long the app gets to exit after SIGTERM before it is killed.
STOP_GRACE = 5.0
_PR_SET_PDEATHSIG = 1


def _child_setup() -> Callable[[], None] | None:
    """A preexec function: the app gets SIGTERM if the supervisor dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)  # resolved before fork: no dlopen in the child
    prctl = libc.prctl

    def setup() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return setup


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Stop on SIGTERM the way Ctrl+C stops (a KeyboardInterrupt in the main thread)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _how_it_ended(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return "exited normally" if code == 0 else f"failed with exit code {code}"


class Supervisor:
    """Runs the app, restarts it on request or, after it ended, on the next change."""

    def __init__(self, command: list[str], root: Path, interval: float = POLL_INTERVAL) -> None:
        self.command = command
        self.root = root
        self.interval = interval
        self.child: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ, PYTHONUNBUFFERED="1")  # the app's output shows as it happens
        # Its own process group: Ctrl+C reaches only us, and we stop the app
        # (and its renderers) ourselves, once. preexec_fn is safe: the
        # supervisor runs no threads.
        self.child = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            env=env,
            process_group=0,
            preexec_fn=_child_setup(),  # noqa: PLW1509
        )
        return self.child

    def _wait_for_change(self, baseline: Snapshot) -> set[Path]:
        while True:
            edits = changed(baseline, snapshot([self.root]))
            if edits:
                return edits
            time.sleep(self.interval)

    def stop(self) -> None:
        """End the app and everything in its process group; wait for it."""
        child, self.child = self.child, None
        if child is None or child.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()

    def run(self) -> int:
        with _sigterm_as_interrupt():
            try:
                while True:
                    started = snapshot([self.root])
                    code = self._start().wait()
                    self.child = None
                    if code == RESTART_EXIT_CODE:
                        continue
                    say(f"the app {_how_it_ended(code)}; waiting for a change to restart (Ctrl+C to stop)")
                    # After a crash, an edit made since it started counts (it may
                    # be the fix); after a normal quit, only a new edit does.
                    edits = self._wait_for_change(started if code != 0 else snapshot([self.root]))
                    say(f"{describe(edits, self.root)} changed: starting the app")
            except KeyboardInterrupt:
                self.stop()
                say("stopped")
                return 130


def run_watching(path: str, compositor: str | None, *, quiet: bool = False) -> int:
    """Run the app at ``path`` under the watcher until Ctrl+C; return the exit status.

    ``quiet`` leaves out the app's start line, as ``tkelectron run --quiet`` does.
    """
    target = Path(path)
    if not target.exists():
        print(f"tkelectron: no app at {path} (a folder with main.py or a .py file)", file=sys.stderr)
        return 2
    root = (target if target.is_dir() else target.parent).resolve()
    command = [sys.executable, "-m", "tkelectron.tools._watch_child", str(target)]
    if compositor:
        command += ["--compositor", compositor]
    if quiet:
        command.append("--quiet")
    say(f"watching {root}: page edits reload their windows, main-process edits restart the app")
    return Supervisor(command, root).run()
