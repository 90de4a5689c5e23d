"""Electron's notifications example (docs/fiddles/features/notifications), ported line by line:
main shows one notification, the page another with window.Notification."""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, Notification, hookimpl

HERE = Path(__file__).parent
NOTIFICATION_TITLE = "Basic Notification"
NOTIFICATION_BODY = "Notification from the Main process"


def show_notification():
    Notification({"title": NOTIFICATION_TITLE, "body": NOTIFICATION_BODY}).show()


@hookimpl
def tkelectron_ready(app) -> None:
    win = BrowserWindow(width=800, height=600)
    win.load_file(HERE / "index.html")
    show_notification()
