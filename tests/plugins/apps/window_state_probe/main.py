"""One window that opts in to window_state (which follows its move/resize events)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl
from tkelectron.plugins import window_state

HERE = Path(__file__).parent
trackers: list[window_state.WindowStateTracker] = []


@hookimpl
def tkelectron_configure(app: Any) -> None:
    app.set_name("window-state-probe")


@hookimpl
def tkelectron_ready(app: Any) -> None:
    window = BrowserWindow(width=400, height=300, title="Window state")
    trackers.append(window_state.manage(window, key="main"))
    window.load_file(HERE / "index.html")
