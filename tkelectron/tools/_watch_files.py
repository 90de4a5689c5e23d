"""What changed on disk: snapshots of file mtimes, compared.

Polling is enough for an app folder (tens of files) and needs no dependency.
A snapshot maps each file to ``(mtime_ns, size)``; comparing two gives the
files that were added, removed or written. Files nobody edits on purpose are
left out: ``__pycache__``, dotfiles and dot-folders (``.git``), build output,
and the temporary files editors write next to the one being saved.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["POLL_INTERVAL", "Snapshot", "changed", "describe", "ignored", "snapshot"]

#: Seconds between two looks at the disk.
POLL_INTERVAL = 0.2

Snapshot = dict[Path, tuple[int, int]]

_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist"})
# Backups and swap files of vim, emacs, kate, gedit...; "4913" is the file vim
# creates to test whether a folder is writable.
_TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak", ".pyc", ".pyo", ".kate-swp")


def ignored(name: str) -> bool:
    """True for a file name that is not a real edit (a temporary or hidden file)."""
    return name.startswith((".", "#")) or name.endswith(_TEMP_SUFFIXES) or name == "4913"


def _skip_dir(name: str) -> bool:
    return name.startswith(".") or name in _SKIP_DIRS or name.endswith(".egg-info")


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """``(mtime_ns, size)`` of every file under ``roots`` that is not ignored."""
    found: Snapshot = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not _skip_dir(d)]
            for name in files:
                if ignored(name):
                    continue
                path = Path(folder, name)
                try:
                    stat = path.stat()
                except OSError:  # removed while we looked
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def describe(paths: Iterable[Path], root: Path) -> str:
    """``main.py, pages/index.html`` — the paths relative to ``root`` where possible."""
    names = []
    for path in sorted(paths):
        try:
            names.append(str(path.relative_to(root)))
        except ValueError:
            names.append(str(path))
    return ", ".join(names)
