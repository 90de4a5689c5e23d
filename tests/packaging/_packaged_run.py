"""Run a packaged app as a user would on a machine without Python: a bare environment.

``env -i`` with only ``DISPLAY`` and a system ``PATH``: no venv, no
``PYTHONPATH``, no ``HOME``. The window is found on the X server by its title
(xdotool), the renderers are read from ``/proc`` (children of the packaged
executable started with the renderer flag, or children of its zygote — the
packaged executable started with the zygote flag — with the kernel's view of
their sandbox), and the app is quit
like a user quits it: Ctrl+Q in its window (the default menu's Quit).
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SYSTEM_PATH", "PackagedRun", "run_bare"]

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
RENDERER_FLAG = "--tkelectron-renderer"
ZYGOTE_FLAG = "--tkelectron-zygote"


@dataclass
class Renderer:
    pid: int
    ppid: int
    exe: str
    cmdline: list[str]
    no_new_privs: bool
    seccomp_filter: bool


@dataclass
class PackagedRun:
    title: str
    main_pid: int
    main_exe: str
    renderers: list[Renderer]
    #: The zygote renderers were forked from (a child of main), if one ran.
    zygote_pid: int | None
    returncode: int
    stdout: str
    stderr: str
    probe: dict[str, Any] = field(default_factory=dict)

    def locked_down(self) -> list[Renderer]:
        """Renderers past their lockdown (a spare waiting for a window is not yet)."""
        return [r for r in self.renderers if r.seccomp_filter]


def _status(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(child) for child in text]
    return children


def _cmdline(pid: int) -> list[str]:
    try:
        return [part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]]
    except (FileNotFoundError, ProcessLookupError):
        return []


def _zygote(main_pid: int) -> int | None:
    """The zygote among main's children: the executable started with the zygote flag."""
    return next((pid for pid in _children(main_pid) if _cmdline(pid)[1:2] == [ZYGOTE_FLAG]), None)


def _renderer(pid: int) -> Renderer | None:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
        status = _status(pid)
        exe = os.readlink(f"/proc/{pid}/exe")
    except (FileNotFoundError, ProcessLookupError):
        return None
    args = [part.decode() for part in cmdline]
    if RENDERER_FLAG not in args and ZYGOTE_FLAG not in args:  # forked ones have the zygote's
        return None
    return Renderer(
        pid=pid,
        ppid=int(status["PPid"]),
        exe=exe,
        cmdline=args,
        no_new_privs=status.get("NoNewPrivs") == "1",
        seccomp_filter=status.get("Seccomp") == "2",
    )


def _xdotool(display: str, *args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        ["xdotool", *args],
        env={"DISPLAY": display, "PATH": SYSTEM_PATH},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return done.stdout.strip()


def run_bare(
    argv: list[str], display: str, title: str, cwd: Path, *, probe: bool = False, env: dict[str, str] | None = None
) -> PackagedRun:
    """Start ``argv`` bare, wait for its window, read its renderers, quit it with Ctrl+Q.

    With ``probe``, the app prints one line ``PROBE {json}`` (the probe app:
    its window's renderer pid and sandbox report, once its page has loaded);
    it is read before the renderers are looked at, so the window's renderer
    is locked down by then. ``env`` adds variables to the bare environment.
    """
    bare = {"DISPLAY": display, "PATH": SYSTEM_PATH, **(env or {})}
    proc = subprocess.Popen(
        argv, env=bare, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # Both pipes are drained by threads from the start: the app can never
    # block on a full pipe, and every wait below has a deadline.
    stdout_lines: queue.Queue[str | None] = queue.Queue()
    stdout_seen: list[str] = []
    stderr_seen: list[str] = []

    def drain_stdout() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            stdout_lines.put(line)
        stdout_lines.put(None)

    def drain_stderr() -> None:
        assert proc.stderr is not None
        stderr_seen.extend(proc.stderr)

    readers = [threading.Thread(target=drain_stdout, daemon=True), threading.Thread(target=drain_stderr, daemon=True)]
    for reader in readers:
        reader.start()
    try:
        wid = _xdotool(display, "search", "--sync", "--onlyvisible", "--name", f"^{title}$").splitlines()[0]
        report: dict[str, Any] = {}
        if probe:
            deadline = time.monotonic() + 60
            while not report:
                line = stdout_lines.get(timeout=max(0.0, deadline - time.monotonic()))
                if line is None:
                    raise AssertionError(f"the app ended before its probe line: {''.join(stderr_seen)}")
                stdout_seen.append(line)
                if line.startswith("PROBE "):
                    report = json.loads(line[len("PROBE ") :])
        # A window's renderer locks itself down once it has its Init; nothing
        # outside the app announces that, so /proc is polled (bounded).
        deadline = time.monotonic() + 30
        while True:
            zygote = _zygote(proc.pid)
            candidates = _children(proc.pid) + (_children(zygote) if zygote is not None else [])
            renderers = [r for r in map(_renderer, candidates) if r is not None and r.pid != zygote]
            if any(r.seccomp_filter for r in renderers) or time.monotonic() > deadline or proc.poll() is not None:
                break
            time.sleep(0.05)
        main_exe = os.readlink(f"/proc/{proc.pid}/exe")
        _xdotool(display, "windowfocus", "--sync", wid, "key", "ctrl+q")
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(timeout=10)
    while (line := stdout_lines.get_nowait() if not stdout_lines.empty() else None) is not None:
        stdout_seen.append(line)
    stdout, stderr = "".join(stdout_seen), "".join(stderr_seen)
    return PackagedRun(title, proc.pid, main_exe, renderers, zygote, proc.returncode, stdout, stderr, report)
