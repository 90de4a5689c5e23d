"""Remember windows' size and position across runs (a built-in plugin).

A window opts in with one call, right after it is created::

    from tkelectron.plugins import window_state

    window = BrowserWindow(width=800, height=600)
    window_state.manage(window, key="main")

On the next run the same call puts the window back where it was. The bounds
are saved when they change (once they have settled) and when the window
closes, in ``<user config dir>/tkelectron/<app name>/window-state.json``
(``$TKELECTRON_WINDOW_STATE_FILE`` or ``manage(..., path=...)`` choose
another file). Writes are atomic (a crash leaves the old file or the new one,
and the next start removes the temporary file of a killed save); a corrupt file
is ignored with one warning and replaced by the next save.

Registered as a plugin (entry point ``window_state``), it also saves every
managed window's bounds when the app is about to quit. ``manage`` works
without the plugin too.
"""

from __future__ import annotations

from typing import Any

from tkelectron import hookimpl

from ._store import ENV_VAR, WindowStateStore, state_path, store_at
from ._tracker import WindowStateTracker, manage, trackers

__all__ = ["ENV_VAR", "WindowStateStore", "WindowStateTracker", "manage", "state_path", "store_at"]


@hookimpl
def tkelectron_before_quit(app: Any) -> None:
    # Windows still exist here: record where they are before quitting closes them.
    for tracker in list(trackers):
        tracker.capture()
        tracker.save()
