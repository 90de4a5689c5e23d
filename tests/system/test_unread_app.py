"""A real app (window, renderer, preload) notifying, badging and showing progress on a real session bus.

The page asks main; the test's notification server and dock record what
reached them; the server's click and action come back to the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from system._services._base import running
from system._services.launcher_dock import LauncherDock
from system._services.notifications import NotificationServer
from system._services.status_notifier import StatusNotifierWatcher, flatten
from tkelectron.testing import launch

APP = Path(__file__).parent / "_apps" / "unread"
URI = "application://org.example.Unread.desktop"


@pytest.mark.tkelectron
async def test_new_mail_notifies_badges_and_the_action_comes_back(compositor: str,
                                                                  session_bus_address: str) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            running(LauncherDock(), session_bus_address) as dock, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.click("#receive")
        await win.wait_for_text("#unread", "3 unread")
        shown = await server.wait_for_notification()
        assert (shown.summary, shown.body, shown.hint("desktop-entry")) == (
            "3 new messages", "From the test suite", "org.example.Unread")
        assert shown.action_pairs() == [("default", ""), ("0", "Mark all read")]
        state = await dock.wait_for_state(URI, count=3, count_visible=True, progress_visible=True)
        assert state["progress"] == 0.5
        assert await dock.query(URI) == (URI, state)  # what a dock that starts late reads

        await server.click(shown.id)
        await win.wait_for_text("#status", "notification clicked")

        await server.invoke_action(shown.id, "0")
        await win.wait_for_text("#status", "all read")
        await dock.wait_for_state(URI, count=0, count_visible=False, progress_visible=False)


@pytest.mark.tkelectron
async def test_the_tray_menu_of_a_running_app_reaches_its_page(compositor: str, session_bus_address: str) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            running(StatusNotifierWatcher(), session_bus_address) as panel, \
            running(LauncherDock(), session_bus_address) as dock, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        item = await panel.wait_for_item()
        assert (await panel.properties(item))["ToolTip"][2] == "Unread"
        await win.click("#receive")
        await win.wait_for_text("#unread", "3 unread")
        await server.wait_for_notification()
        _revision, layout = await panel.layout(item)
        (read_id, props, _depth), = flatten(layout)
        assert props["label"] == "Mark all read"
        await panel.menu_event(item, read_id)  # the user picks it in the panel's menu
        await win.wait_for_text("#status", "all read")
        await dock.wait_for_state(URI, count=0, count_visible=False)
