"""Following one window's bounds and saving them when they settle.

BrowserWindow emits no ``move``/``resize`` events (yet), so a tracker looks
at ``window.get_bounds()`` every ``poll_interval`` seconds: bounds that
changed are saved once they stayed the same for one whole interval (a drag
or a resize in progress is not written at every step). The window's
``close`` event takes a last look, and ``closed`` saves whatever is unsaved.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import trio

from tkelectron import BrowserWindow, app

from ._store import Bounds, WindowStateStore, state_path, store_at

__all__ = ["WindowStateTracker", "manage", "trackers"]

log = logging.getLogger("tkelectron.window_state")

#: The trackers of windows still open (the plugin's before-quit hook saves them).
trackers: list[WindowStateTracker] = []


class WindowStateTracker:
    """Restores ``window``'s saved bounds now and saves them as they change.

    ``restored`` tells whether saved bounds were applied. Use :func:`manage`.
    """

    def __init__(self, window: BrowserWindow, key: str, store: WindowStateStore, poll_interval: float) -> None:
        if poll_interval <= 0:
            raise ValueError(f"poll_interval must be positive, not {poll_interval!r}")
        self.window = window
        self.key = key
        self.store = store
        self.poll_interval = poll_interval
        saved = store.get(key)
        self.restored = saved is not None
        if saved is not None:
            window.set_bounds(saved)
        self._last: Bounds = window.get_bounds()
        self._saved: Bounds | None = saved
        window.on("close", self._on_close)
        window.on("closed", self._on_closed)
        trackers.append(self)
        app.start_soon(self._watch)

    def capture(self) -> None:
        """Take the window's current bounds as the ones to save."""
        if not self.window.is_destroyed():
            self._last = self.window.get_bounds()

    def save(self) -> bool:
        """Write the last bounds seen if they are not saved yet; False if writing failed."""
        if self._last == self._saved:
            return True
        try:
            self.store.put(self.key, self._last)
        except OSError as exc:
            log.warning("could not save the state of window %r to %s: %s", self.key, self.store.path, exc)
            return False
        self._saved = dict(self._last)
        return True

    async def _watch(self) -> None:
        while not self.window.is_destroyed():
            await trio.sleep(self.poll_interval)
            if self.window.is_destroyed():
                return
            bounds = self.window.get_bounds()
            if bounds != self._last:
                self._last = bounds  # still moving: save once it has settled
            elif bounds != self._saved:
                self.save()

    def _on_close(self, _event: Any) -> None:
        self.capture()

    def _on_closed(self) -> None:
        self.save()
        if self in trackers:
            trackers.remove(self)


def manage(
    window: BrowserWindow,
    key: str = "main",
    *,
    path: str | Path | None = None,
    poll_interval: float = 0.25,
) -> WindowStateTracker:
    """Give ``window`` back its size and position from the last run, and keep them.

    Call it right after creating the window. ``key`` names the window in the
    state file (one per kind of window: ``"main"``, ``"preferences"``...).
    ``path`` overrides the file (default: :func:`state_path` of the app's
    name). Returns the tracker; nothing else is needed.
    """
    if not isinstance(key, str) or not key:
        raise ValueError(f"key must be a non-empty string, not {key!r}")
    where = Path(path) if path is not None else state_path(app.get_name())
    return WindowStateTracker(window, key, store_at(where), poll_interval)
