"""Running ``tkelectron run`` as a real subprocess and reading what it reports."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["AppProcess", "alive"]

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    """True if ``pid`` is a running (not zombie) process."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "")
    return state != "Z"


class AppProcess:
    """``python -m tkelectron.cli run <app>`` with its stdout read line by line.

    :meth:`expect` waits (select with a deadline, never a fixed sleep) for the
    next ``probe:`` line; console and log lines are skipped.
    """

    def __init__(self, app: Path, compositor: str, **env: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tkelectron.cli", "run", str(app), "--compositor", compositor],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        assert self.popen.stdout is not None
        self._out = self.popen.stdout
        self._buffer = b""
        self.events: list[str] = []

    def _lines(self, timeout: float) -> str | None:
        """The next stdout line, or None at end of file; TimeoutError past ``timeout``."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(self._out, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise TimeoutError(f"no output within {timeout} s; events so far: {self.events}")
                chunk = os.read(self._out.fileno(), 65536)
                if not chunk:
                    if not self._buffer:
                        return None
                    self._buffer += b"\n"
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode(errors="replace")

    def expect(self, timeout: float = 30.0) -> str | None:
        """The next ``probe:`` event (without the prefix), or None once stdout ended."""
        while True:
            line = self._lines(timeout)
            if line is None:
                return None
            if line.startswith("probe: "):
                event = line[len("probe: "):]
                self.events.append(event)
                return event

    def rest(self, timeout: float = 30.0) -> list[str]:
        """Every event until stdout ends."""
        start = len(self.events)
        while self.expect(timeout) is not None:
            pass
        return self.events[start:]

    def signal(self, signum: int) -> None:
        self.popen.send_signal(signum)

    def wait(self, timeout: float = 30.0) -> tuple[int, str]:
        """The exit code and stderr, once the process ended."""
        _, err = self.popen.communicate(timeout=timeout)
        return self.popen.returncode, err.decode(errors="replace")

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.communicate()
