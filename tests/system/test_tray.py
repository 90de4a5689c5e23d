"""Tray as a StatusNotifierItem: a test watcher-and-host on a real session bus reads and clicks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from system._services._base import Recorder, running
from system._services.status_notifier import StatusNotifierWatcher, flatten
from tkelectron import Menu, Tray, app

HEADLESS = pytest.mark.tkelectron("headless")


def _menu(clicked: Recorder) -> Menu:
    return Menu.build_from_template([
        {"label": "&Show window", "id": "show", "click": lambda item: clicked.add(item.id)},
        {"type": "separator"},
        {"label": "Notifications", "submenu": [
            {"label": "Do not disturb", "type": "checkbox", "id": "dnd", "checked": False},
        ]},
        {"label": "Quit_now", "enabled": False},
    ])


@HEADLESS
async def test_the_item_registers_with_its_properties(compositor: str, session_bus_address: str,
                                                      tmp_path: Path) -> None:
    icon = tmp_path / "tray-icon.png"
    icon.write_bytes(b"\x89PNG")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(StatusNotifierWatcher(), session_bus_address) as watcher:
        app.set_name("Sync Tool")
        tray = Tray(icon)
        tray.set_tool_tip("All files synced")
        tray.set_title("Sync")
        item = await watcher.wait_for_item()
        assert item == (tray.bus_name, "/StatusNotifierItem")
        assert tray.bus_name.startswith("org.kde.StatusNotifierItem-")
        props = await watcher.properties(item)
        assert props["IconName"] == "tray-icon" and props["IconThemePath"] == str(tmp_path.resolve())
        assert props["ToolTip"][2] == "All files synced" and props["Title"] == "Sync"
        assert (props["Category"], props["Status"], props["Id"]) == ("ApplicationStatus", "Active", "sync-tool")
        assert props["Menu"] == "/MenuBar"
        tray.set_tool_tip("Syncing 3 files")  # a change: the spec's signal, then the new value
        await watcher.wait_until(lambda: watcher.signals_named("NewToolTip"), "NewToolTip")
        assert (await watcher.properties(item))["ToolTip"][2] == "Syncing 3 files"
        tray.destroy()


@HEADLESS
async def test_clicks_from_the_host_reach_the_app(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(StatusNotifierWatcher(), session_bus_address) as watcher:
        tray = Tray("mail-unread")  # an icon-theme name
        events = Recorder()
        tray.on("click", lambda e, bounds: events.add(("click", bounds["x"], bounds["y"])))
        tray.on("right-click", lambda e, bounds: events.add(("right-click", bounds["x"])))
        tray.on("middle-click", lambda e, bounds: events.add("middle-click"))
        item = await watcher.wait_for_item()
        assert (await watcher.properties(item))["IconName"] == "mail-unread"
        await watcher.press(item, "Activate", 100, 5)
        await watcher.press(item, "ContextMenu", 7)
        await watcher.press(item, "SecondaryActivate")
        await events.wait_for(3)
        assert events == [("click", 100, 5), ("right-click", 7), "middle-click"]
        tray.destroy()


@HEADLESS
async def test_the_context_menu_is_served_and_clicked_over_dbusmenu(compositor: str,
                                                                    session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(StatusNotifierWatcher(), session_bus_address) as watcher:
        clicked = Recorder()
        menu = _menu(clicked)
        tray = Tray("sync")
        tray.set_context_menu(menu)
        item = await watcher.wait_for_item()
        _revision, layout = await watcher.layout(item)
        rows = flatten(layout)
        labels = [(props.get("label"), props.get("type"), depth) for _id, props, depth in rows]
        assert labels == [("_Show window", None, 1), (None, "separator", 1), ("Notifications", None, 1),
                          ("Do not disturb", None, 2), ("Quit__now", None, 1)]
        by_label = {props.get("label"): (item_id, props) for item_id, props, _ in rows}
        assert by_label["Notifications"][1]["children-display"] == "submenu"
        assert by_label["Quit__now"][1]["enabled"] is False
        dnd_id, dnd = by_label["Do not disturb"]
        assert (dnd["toggle-type"], dnd["toggle-state"]) == ("checkmark", 0)

        await watcher.menu_event(item, by_label["_Show window"][0])
        await clicked.wait_for(1)
        assert clicked == ["show"]

        await watcher.menu_event(item, dnd_id)  # a checkbox toggles, and the host is told the layout changed
        await watcher.wait_until(lambda: watcher.signals_named("LayoutUpdated"), "LayoutUpdated")
        assert menu.get_menu_item_by_id("dnd").checked is True
        _revision, layout = await watcher.layout(item)
        assert {p.get("label"): p for _i, p, _d in flatten(layout)}["Do not disturb"]["toggle-state"] == 1
        tray.destroy()


@HEADLESS
async def test_bad_calls_from_the_bus_get_errors_and_change_nothing(compositor: str, session_bus_address: str,
                                                                    tmp_path: Path) -> None:
    from jeepney.wrappers import DBusErrorResponse

    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(StatusNotifierWatcher(), session_bus_address) as watcher:
        clicked = Recorder()
        tray = Tray("sync")
        tray.set_context_menu(_menu(clicked))
        item = await watcher.wait_for_item()
        with pytest.raises(DBusErrorResponse, match="InvalidArgs"):
            await watcher.call(item[0], item[1], "org.kde.StatusNotifierItem", "Activate", "ss", ("x", "y"))
        with pytest.raises(DBusErrorResponse, match="InvalidArgs"):
            await watcher.menu_event(item, 999)
        with pytest.raises(DBusErrorResponse, match="UnknownObject"):
            await watcher.call(item[0], "/Nope", "org.kde.StatusNotifierItem", "Activate", "ii", (0, 0))
        assert clicked == [] and (await watcher.properties(item))["Status"] == "Active"
        with pytest.raises(TypeError, match="Menu"):
            tray.set_context_menu([{"label": "not a Menu"}])
        with pytest.raises(FileNotFoundError, match="no tray image"):
            Tray(tmp_path / "missing.png")
        with pytest.raises(ValueError, match="NUL"):
            tray.set_tool_tip("a\0b")
        tray.set_context_menu(Menu.build_from_template([{"label": "bad\0label"}]))  # the app's own mistake
        with pytest.raises(DBusErrorResponse, match="NUL"):
            await watcher.layout(item)  # refused, and the connection stays up:
        assert (await watcher.properties(item))["Status"] == "Active"
        tray.destroy()


@HEADLESS
async def test_destroy_removes_the_item_from_the_watcher(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(StatusNotifierWatcher(), session_bus_address) as watcher:
        first, second = Tray("a"), Tray("b")
        await watcher.wait_until(lambda: len(watcher.items) == 2, "two items")
        assert (await watcher.properties((second.bus_name, "/StatusNotifierItem")))["IconName"] == "b"
        first.destroy()
        await watcher.wait_until(lambda: len(watcher.items) == 1, "the destroyed item to go")
        assert watcher.items == [(second.bus_name, "/StatusNotifierItem")] and first.is_destroyed()
        second.destroy()


@HEADLESS
async def test_the_icon_goes_when_the_app_quits(compositor: str, session_bus_address: str) -> None:
    async with running(StatusNotifierWatcher(), session_bus_address) as watcher:
        async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
            Tray("a")
            await watcher.wait_for_item()
        await watcher.wait_until(lambda: not watcher.items, "the item to go with the app")


@HEADLESS
async def test_no_watcher_fails_with_a_clear_error(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        tray = Tray("a")
        failed = Recorder()
        tray.on("failed", lambda e, error: failed.add(error))
        await failed.wait_for(1)
        assert failed[0].startswith("the tray icon is not shown: org.kde.StatusNotifierWatcher "
                                    "RegisterStatusNotifierItem failed: org.freedesktop.DBus.Error.ServiceUnknown")
        tray.destroy()


def test_a_tray_needs_a_running_app() -> None:
    with pytest.raises(RuntimeError, match="running app"):
        Tray("a")


@HEADLESS
async def test_a_watcher_that_starts_later_or_restarts_gets_the_item(compositor: str,
                                                                     session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        tray = Tray("a")
        failed = Recorder()
        tray.on("failed", lambda e, error: failed.add(error))
        await failed.wait_for(1)  # no panel yet (an app started at login, before the panel)
        async with running(StatusNotifierWatcher(), session_bus_address) as watcher:
            assert await watcher.wait_for_item() == (tray.bus_name, "/StatusNotifierItem")
        async with running(StatusNotifierWatcher(), session_bus_address) as restarted:  # the panel restarted
            assert await restarted.wait_for_item() == (tray.bus_name, "/StatusNotifierItem")
            tray.destroy()
