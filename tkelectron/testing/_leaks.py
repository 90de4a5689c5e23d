"""What a finished test must not leave behind."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["leftovers", "renderer_children"]


def renderer_children() -> list[int]:
    """Pids of live renderer processes started by this process."""
    me = str(os.getpid())
    pids = []
    for proc in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "")
        if ppid == me and state != "Z" and b"tkelectron.renderer" in cmdline:
            pids.append(int(proc.name))
    return pids


def leftovers() -> list[str]:
    """Describe every window, renderer, app run or Tk file handler on a renderer socket still alive (empty: clean)."""
    from ..main import _tk_reader
    from ..main._app import app
    from ..main._browser_window import BrowserWindow

    found = []
    windows = BrowserWindow._every_window()
    if windows:
        found.append(f"{len(windows)} open window(s): {windows}")
    pids = renderer_children()
    if pids:
        found.append(f"renderer process(es) {pids}")
    if app._state != "idle":
        found.append(f"the app is still running (state {app._state})")
    watched = _tk_reader.watched_fds()
    if watched:
        found.append(f"Tk file handler(s) still watching renderer socket(s) {sorted(watched)}")
    return found
