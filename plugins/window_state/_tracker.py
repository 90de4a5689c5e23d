"""Following one window's bounds and saving them when they settle.

A tracker follows the window's own events, never polling: ``move`` and
``resize`` (every step of a drag) only note the bounds; ``moved`` and
``resized``, which the compositor emits once the bounds stayed put, save
them, so a drag or a resize in progress is not written at every step. The
window's ``close`` event takes a last look, and ``closed`` saves whatever is
unsaved.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

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

    def __init__(self, window: BrowserWindow, key: str, store: WindowStateStore) -> None:
        self.window = window
        self.key = key
        self.store = store
        saved = store.get(key)
        self.restored = saved is not None
        if saved is not None:
            window.set_bounds(saved)
        self._last: Bounds = window.get_bounds()
        self._saved: Bounds | None = saved
        window.on("close", self._on_close)
        window.on("closed", self._on_closed)
        for changing in ("move", "resize"):
            window.on(changing, self._on_change)
        for settled in ("moved", "resized"):
            window.on(settled, self._on_settled)
        trackers.append(self)

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

    def _on_change(self, _event: Any) -> None:
        self.capture()  # still moving: saved once it has settled

    def _on_settled(self, _event: Any) -> None:
        self.capture()
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
    return WindowStateTracker(window, key, store_at(where))
