"""A mail app for the system tests: new mail notifies, badges the launcher and shows progress.

Main does the desktop work (Notification, Tray, app.set_badge_count,
win.set_progress_bar); the page asks for it over a validated channel.
"""

from __future__ import annotations

from pathlib import Path

from tkelectron import BrowserWindow, Menu, Notification, Tray, app, hookimpl, ipc_main

HERE = Path(__file__).parent
state = {"unread": 0}
notifications: list[Notification] = []
trays: list[Tray] = []


def mark_read(window: BrowserWindow) -> None:
    state["unread"] = 0
    app.set_badge_count(0)
    window.set_progress_bar(-1)
    window.web_contents.send("mail:read")


async def receive(event, count):
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= 1000:
        raise ValueError("count must be an int in 1..1000")
    window = BrowserWindow.from_web_contents(event.sender)
    state["unread"] += count
    app.set_badge_count(state["unread"])
    window.set_progress_bar(0.5)
    note = Notification(title=f"{count} new messages", body="From the test suite",
                        actions=[{"type": "button", "text": "Mark all read"}])
    note.on("action", lambda e, index: mark_read(window))
    note.on("click", lambda e: window.web_contents.send("mail:clicked"))
    note.show()
    notifications.append(note)
    return state["unread"]


@hookimpl
def tkelectron_ready(app) -> None:
    state["unread"] = 0
    notifications.clear()
    app.desktop_name = "org.example.Unread"
    ipc_main.handle("mail:receive", receive)
    window = BrowserWindow(width=420, height=240, title="Unread",
                           web_preferences={"preload": str(HERE / "preload.py")})
    window.load_file(HERE / "index.html")
    tray = Tray("mail-unread")
    tray.set_tool_tip("Unread")
    tray.set_context_menu(Menu.build_from_template([
        {"label": "Mark all read", "id": "read", "click": lambda item: mark_read(window)},
    ]))
    tray.on("click", lambda e, bounds: window.focus())
    trays[:] = [tray]
