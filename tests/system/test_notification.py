"""Notification against a spec-following notification server on a real session bus.

Every assertion about what was sent reads what the test server received;
every event comes back as the server's own D-Bus signal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio

from system._services._base import Recorder, running
from system._services.notifications import NotificationServer
from tkelectron import Notification, app

HEADLESS = pytest.mark.tkelectron("headless")


@HEADLESS
async def test_show_sends_the_spec_fields_and_show_fires(compositor: str, session_bus_address: str,
                                                        tmp_path: Path) -> None:
    icon = tmp_path / "icon.png"
    icon.write_bytes(b"\x89PNG")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        app.set_name("Mail Checker")
        async with running(NotificationServer(), session_bus_address) as server:
            note = Notification(title="New mail", body="3 unread", icon=icon, urgency="critical",
                                silent=True, timeout_type="never",
                                actions=[{"type": "button", "text": "Open"}, {"type": "button", "text": "Later"}])
            shown = Recorder()
            note.on("show", shown.add)
            note.show()
            got = await server.wait_for_notification()
            await shown.wait_for(1)
            assert (got.summary, got.body, got.app_name) == ("New mail", "3 unread", "Mail Checker")
            assert got.app_icon == icon.resolve().as_uri()
            assert got.hint("urgency") == 2
            assert got.hint("suppress-sound") is True
            assert got.hint("desktop-entry") == "mail-checker"
            assert got.expire_timeout == 0
            assert got.action_pairs() == [("default", ""), ("0", "Open"), ("1", "Later")]
            assert note.id == got.id


@HEADLESS
async def test_click_action_and_dismiss_from_the_server_reach_the_listeners(
        compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(), session_bus_address) as server:
        note = Notification({"title": "Build done", "actions": [{"type": "button", "text": "Show log"}],
                             "timeoutType": "default"})
        events = Recorder()
        note.on("click", lambda e: events.add("click"))
        note.on("action", lambda e, index: events.add(("action", index)))
        note.on("close", lambda e: events.add(("close", e.reason)))
        async_clicks = Recorder()

        async def on_click(event: object) -> None:  # an async listener runs as a task of the app
            await trio.lowlevel.checkpoint()
            async_clicks.add("async click")

        note.on("click", on_click)
        note.show()
        got = await server.wait_for_notification()
        assert got.expire_timeout == -1 and got.hint("urgency") == 1 and got.hint("suppress-sound") is None
        await server.click(got.id)
        await events.wait_for(1)
        await server.invoke_action(got.id, "0")
        await events.wait_for(2)
        await server.dismiss(got.id)
        await events.wait_for(3)
        assert events == ["click", ("action", 0), ("close", "dismissed")]
        assert await async_clicks.wait_for(1) == ["async click"]


@HEADLESS
async def test_close_withdraws_it_on_the_server(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(), session_bus_address) as server:
        note = Notification(title="Downloading", timeout=2.5)
        closed = Recorder()
        note.on("close", lambda e: closed.add(e.reason))
        note.show()
        got = await server.wait_for_notification()
        assert got.expire_timeout == 2500
        note.close()
        await closed.wait_for(1)
        assert server.calls_to("CloseNotification") == [(got.id,)]
        assert server.notifications[got.id].closed and closed == ["closed"]


@HEADLESS
async def test_showing_again_replaces_the_same_notification(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(), session_bus_address) as server:
        note = Notification(title="1 new message")
        note.show()
        first = await server.wait_for_notification(1)
        note.title = "2 new messages"
        note.show()
        await server.wait_for_notification(2)
        notifies = server.calls_to("Notify")
        assert notifies[1][1] == first.id and notifies[1][3] == "2 new messages"
        assert list(server.notifications) == [first.id]


@HEADLESS
async def test_a_server_without_actions_gets_none(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(capabilities=("body",)), session_bus_address) as server:
        note = Notification(title="t", actions=[{"type": "button", "text": "Go"}])
        note.show()
        got = await server.wait_for_notification()
        assert got.actions == []


@HEADLESS
async def test_signals_from_another_program_are_ignored(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(), session_bus_address) as server:
        note = Notification(title="t")
        events = Recorder()
        note.on("click", lambda e: events.add("click"))
        note.on("close", lambda e: events.add("close"))
        note.show()
        got = await server.wait_for_notification()
        # An impostor: same interface, same path, same id, but not the server.
        async with running(NotificationServer(), session_bus_address, own_name=False) as impostor:
            await impostor.click(got.id)
            await impostor.dismiss_unknown(got.id)
        await server.dismiss(got.id)  # the real server's signal comes after the impostor's
        await events.wait_for(1)
        assert events == ["close"]


@HEADLESS
async def test_is_supported_follows_the_server(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        assert await Notification.is_supported() is False
        async with running(NotificationServer(), session_bus_address):
            assert await Notification.is_supported() is True


@HEADLESS
async def test_no_server_fails_with_a_clear_error(compositor: str, session_bus_address: str) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        note = Notification(title="nobody listens")
        failed = Recorder()
        note.on("failed", lambda e, error: failed.add(error))
        note.show()
        await failed.wait_for(1)
        assert failed[0].startswith(
            "org.freedesktop.Notifications GetCapabilities failed: org.freedesktop.DBus.Error.ServiceUnknown")


@HEADLESS
async def test_no_session_bus_fails_with_a_clear_error(compositor: str, no_session_bus: None) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        note = Notification(title="no bus")
        failed = Recorder()
        note.on("failed", lambda e, error: failed.add(error))
        note.show()
        await failed.wait_for(1)
        assert "no D-Bus session bus" in failed[0] and "DBUS_SESSION_BUS_ADDRESS" in failed[0]
        assert await Notification.is_supported() is False


def test_bad_options_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unknown notification option"):
        Notification(titel="typo")
    with pytest.raises(ValueError, match="urgency"):
        Notification(urgency="urgent")
    with pytest.raises(TypeError, match="action"):
        Notification(actions=["Open"])
    with pytest.raises(ValueError, match="action type"):
        Notification(actions=[{"type": "text", "text": "Reply"}])
    with pytest.raises(TypeError, match="title"):
        Notification(title=3)


@HEADLESS
async def test_text_dbus_cannot_carry_is_refused_and_the_connection_survives(
        compositor: str, session_bus_address: str) -> None:
    with pytest.raises(ValueError, match="NUL"):
        Notification(title="a\0b")
    with pytest.raises(ValueError, match="not valid text"):
        Notification(body="\udcff")
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0), \
            running(NotificationServer(), session_bus_address) as server:
        note = Notification(title="fine")
        note.title = "changed to a\0b"  # after the checks: show() must still never send it
        failed = Recorder()
        note.on("failed", lambda e, error: failed.add(error))
        note.show()
        await failed.wait_for(1)
        assert "NUL" in failed[0] and server.calls_to("Notify") == []
        Notification(title="next").show()  # the bus connection is still there
        assert (await server.wait_for_notification()).summary == "next"


@HEADLESS
async def test_when_the_bus_goes_away_main_goes_on_and_says_why(compositor: str, private_bus: Any) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        assert await Notification.is_supported() is False  # connected; no server
        private_bus.kill()
        private_bus.wait()
        note = Notification(title="after the bus died")
        failed = Recorder()
        note.on("failed", lambda e, error: failed.add(error))
        note.show()
        await failed.wait_for(1)
        assert "session bus" in failed[0]
