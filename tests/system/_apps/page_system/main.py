"""A page that notifies through window.Notification and follows prefers-color-scheme.

Main has no code for either: the page's Notification goes through main's
permission handler (session.default_session) and the page's stylesheet and
match_media follow native_theme, as in Electron's own examples.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


@hookimpl
def tkelectron_ready(app) -> None:
    window = BrowserWindow(width=360, height=240, title="Page system")
    window.load_file(HERE / "index.html")
