"""The window-state file: saved bounds by key, written atomically.

One JSON file per app holds every managed window's bounds::

    {"version": 1, "windows": {"main": {"x": 10, "y": 20, "width": 800, "height": 600}}}

Each save re-reads the file, updates one key and writes the whole file to a
temporary file in the same folder, fsyncs it, then ``os.replace``-s it over
the old one (and fsyncs the folder), so a crash at any point leaves either
the old file or the new one, never a torn or missing one. A file that cannot
be read as window state is ignored with one warning and replaced by the next
save.

A process killed between writing the temporary file and renaming it leaves
that file behind (``.window-state.json.<pid>.<random>.tmp``). Opening the
store on the next start removes every such file whose process is gone; a
file of a process still running (another instance of the app, mid-save) is
left alone.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["ENV_VAR", "Bounds", "WindowStateStore", "remove_leftovers", "state_path", "store_at"]

log = logging.getLogger("tkelectron.window_state")

#: Set to a file path to keep window state there instead (tests, portable apps).
ENV_VAR = "TKELECTRON_WINDOW_STATE_FILE"
FILE_NAME = "window-state.json"
VERSION = 1

Bounds = dict[str, int]
_FIELDS = ("x", "y", "width", "height")


def state_path(app_name: str) -> Path:
    """Where ``app_name`` keeps its window state.

    ``$TKELECTRON_WINDOW_STATE_FILE`` when set, else
    ``<user config dir>/tkelectron/<app name>/window-state.json``.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    import platformdirs

    folder = re.sub(r"[^\w.\- ]", "_", app_name).strip(" .") or "app"
    return Path(platformdirs.user_config_dir("tkelectron")) / folder / FILE_NAME


def _valid_bounds(value: Any) -> Bounds | None:
    if not isinstance(value, dict):
        return None
    out: Bounds = {}
    for name in _FIELDS:
        v = value.get(name)
        if not isinstance(v, int) or isinstance(v, bool):
            return None
        out[name] = v
    return out if out["width"] > 0 and out["height"] > 0 else None


class WindowStateStore:
    """The window-state file at ``path`` (see :func:`store_at` to share one)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._warned = False
        self.removed_leftovers = remove_leftovers(self.path)

    def _warn(self, why: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning("ignoring the window state in %s (%s); it will be replaced on the next save", self.path, why)

    def read(self) -> dict[str, Bounds]:
        """Every saved window's bounds, by key; {} if there is no usable file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self._warn(f"cannot read it: {exc}")
            return {}
        try:
            data = json.loads(text)
        except ValueError as exc:
            self._warn(f"not JSON: {exc}")
            return {}
        windows = data.get("windows") if isinstance(data, dict) else None
        if not isinstance(windows, dict):
            self._warn("no 'windows' object in it")
            return {}
        found: dict[str, Bounds] = {}
        for key, value in windows.items():
            bounds = _valid_bounds(value)
            if bounds is None:
                self._warn(f"bad bounds for {key!r}: {value!r}")
                continue
            found[str(key)] = bounds
        return found

    def get(self, key: str) -> Bounds | None:
        """The saved bounds of ``key``, or None."""
        return self.read().get(key)

    def put(self, key: str, bounds: Bounds) -> None:
        """Save ``bounds`` under ``key`` (other keys are kept); atomic.

        Raises OSError when the file cannot be written; the previous file
        is then left as it was.
        """
        checked = _valid_bounds(dict(bounds))
        if checked is None:
            raise ValueError(f"not window bounds: {bounds!r}")
        windows = self.read()
        windows[key] = checked
        text = json.dumps({"version": VERSION, "windows": windows}, indent=2, sort_keys=True) + "\n"
        _write_atomic(self.path, text)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _writer_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftover can only be from a dead process that had our pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its file alone
    return True


def remove_leftovers(path: Path) -> list[str]:
    """Remove the temporary files that dead writers left next to ``path``; their names.

    A name that does not carry a pid (older versions wrote those) is always
    removed. Errors are ignored: a file that cannot be removed now is tried
    again on the next start.
    """
    prefix = _temp_prefix(path)
    removed: list[str] = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and "." in name[len(prefix):-len(".tmp")] and _writer_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(path.parent / name)
            removed.append(name)
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted save in %s", len(removed), path.parent)
    return removed


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid is in the name, so the next start knows whose it is.
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    # The rename itself must reach the disk too, or a crash can undo it.
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_stores: dict[Path, WindowStateStore] = {}


def store_at(path: Path) -> WindowStateStore:
    """The one store for ``path`` in this process (windows sharing a file share it)."""
    key = Path(path).absolute()
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = WindowStateStore(key)
    return store
