"""The plugin ``tkelectron run --watch`` adds to the app it runs.

It lives in the app's own main process, because only that process knows
which files are which: a file the main process has imported (``main.py`` and
the modules it uses) can only take effect in a new process, so a change to
one makes the app exit with :data:`RESTART_EXIT_CODE` and the watcher in the
parent starts it again. Anything else — a page, its stylesheet, its
``renderer.py``, a preload, any file in a page's folder — only concerns the
renderers, so the windows showing that page (or using that preload) reload,
like Electron's ``webContents.reload()``, and the app keeps running.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import trio

from ..main._browser_window import BrowserWindow
from ..main.hookspecs import hookimpl
from ._watch_files import POLL_INTERVAL, Snapshot, changed, describe, snapshot

__all__ = ["RESTART_EXIT_CODE", "ReloadOnChange"]

#: The app's exit code that asks the watcher for a restart (EX_TEMPFAIL: "try again").
RESTART_EXIT_CODE = 75


def say(message: str) -> None:
    print(f"tkelectron watch: {message}", file=sys.stderr, flush=True)


def main_process_files() -> set[Path]:
    """Files of every module imported in this process (the app's main side)."""
    files = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if name:
            files.add(Path(name).resolve())
    return files


def _window_files(window: BrowserWindow) -> tuple[Path | None, Path | None]:
    """The page a window shows and its preload, resolved."""
    wc = window.web_contents
    page = Path(wc._page).resolve() if wc._page else None
    preload = wc._prefs.preload
    return page, (Path(preload).resolve() if preload else None)


def affected_windows(paths: set[Path]) -> list[BrowserWindow]:
    """Windows whose page folder holds one of ``paths``, or whose preload is one."""
    hit = []
    for window in BrowserWindow.get_all_windows():
        page, preload = _window_files(window)
        for path in paths:
            if path == preload or (page is not None and path.is_relative_to(page.parent)):
                hit.append(window)
                break
    return hit


class ReloadOnChange:
    """Watch the app's files from inside the app: reload renderers, or ask for a restart."""

    def __init__(self, app_root: Path | None = None, interval: float = POLL_INTERVAL) -> None:
        self.interval = interval
        # The first look is taken now, before the app is imported: an edit
        # saved while the app starts is then still seen as an edit.
        self._root = app_root.resolve() if app_root is not None else None
        self._first = snapshot([self._root]) if self._root is not None else None

    def _roots(self, app_root: Path) -> list[Path]:
        roots = {app_root}
        for window in BrowserWindow.get_all_windows():
            for path in _window_files(window):
                if path is not None:
                    roots.add(path.parent)
        # A folder inside another is walked with it already.
        return sorted(r for r in roots if not any(r != o and r.is_relative_to(o) for o in roots))

    @hookimpl
    async def tkelectron_ready(self, app: Any) -> None:
        app_root = self._root or Path(await trio.Path(app.get_app_path()).resolve())
        roots = [app_root]
        before: Snapshot = self._first if self._first is not None else snapshot(roots)
        while True:
            await trio.sleep(self.interval)
            now = self._roots(app_root)
            after = snapshot(now)
            # Files of a folder watched only from now on (a window opened a page
            # elsewhere) are not edits: only changes under the old roots count.
            edits = {p for p in changed(before, after) if any(p.is_relative_to(r) for r in roots)}
            roots, before = now, after
            if edits:
                try:
                    self._handle(app, app_root, edits)
                except Exception as exc:  # noqa: BLE001 - the watcher must outlive a bad reload
                    say(f"could not act on the change: {exc!r}")

    def _handle(self, app: Any, app_root: Path, edits: set[Path]) -> None:
        main_side = edits & main_process_files()
        if main_side:
            say(f"{describe(main_side, app_root)} changed: restarting the app")
            app.exit(RESTART_EXIT_CODE)
            return
        for window in affected_windows(edits):
            if not window.is_destroyed():
                say(f"{describe(edits, app_root)} changed: reloading window {window.id}")
                window.web_contents.reload()
