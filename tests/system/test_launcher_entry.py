"""app.set_badge_count and win.set_progress_bar as com.canonical.Unity.LauncherEntry Update signals."""

from __future__ import annotations

import pytest

from system._services._base import running
from system._services.launcher_dock import LauncherDock
from tkelectron import BrowserWindow, app

HEADLESS = pytest.mark.tkelectron("headless")


@HEADLESS
async def test_badge_and_progress_modes_reach_the_dock(compositor: str, session_bus_address: str) -> None:
    async with running(LauncherDock(), session_bus_address) as dock, \
            app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        app.set_name("Photo Import")
        uri = "application://photo-import.desktop"  # no desktop_name: derived from the app's name
        win = BrowserWindow(show=False)
        assert app.set_badge_count(12) is True and app.get_badge_count() == 12
        await dock.wait_for_state(uri, count=12, count_visible=True, progress_visible=False)
        win.set_progress_bar(0.25)
        assert (await dock.wait_for_state(uri, progress_visible=True))["progress"] == 0.25
        win.set_progress_bar(2)  # > 1: indeterminate, which the protocol shows as a full bar
        await dock.wait_for_state(uri, progress=1.0, progress_visible=True)
        win.set_progress_bar(0.7, mode="none")
        await dock.wait_for_state(uri, progress_visible=False, count=12)
        app.set_badge_count(0)
        await dock.wait_for_state(uri, count=0, count_visible=False)
        win.destroy()


@HEADLESS
async def test_a_burst_of_updates_ends_on_the_last_state(compositor: str, session_bus_address: str) -> None:
    async with running(LauncherDock(), session_bus_address) as dock, \
            app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        app.desktop_name = "org.example.Burst"
        uri = "application://org.example.Burst.desktop"
        win = BrowserWindow(show=False)
        for step in range(1, 101):
            win.set_progress_bar(step / 100)
        state = await dock.wait_for_state(uri, progress=1.0)
        progresses = [update["progress"] for update in dock.updates(uri)]
        assert progresses == sorted(progresses) and len(progresses) <= 100  # coalesced, never reordered
        assert state["progress-visible"] is True
        win.destroy()


@HEADLESS
async def test_bad_values_are_refused_clearly(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        win = BrowserWindow(show=False)
        with pytest.raises(ValueError, match="badge count"):
            app.set_badge_count(-1)
        with pytest.raises(ValueError, match="badge count"):
            app.set_badge_count(True)
        with pytest.raises(ValueError, match="mode"):
            win.set_progress_bar(0.5, mode="spinning")
        with pytest.raises(TypeError, match="progress"):
            win.set_progress_bar("half")
        win.destroy()


def test_without_a_running_app_the_badge_is_not_set() -> None:
    assert app.set_badge_count(3) is False
