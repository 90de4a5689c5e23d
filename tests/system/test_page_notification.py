"""The page's window.Notification, through main's permission check, on a real session bus.

The page (a real renderer) writes Electron's renderer-process example; main
asks the session's permission handler and shows a real notification; the
test's notification server records what reached it, and its click and
dismissal come back to the page's onclick/onclose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio
from _forged import each_kills_the_renderer  # tests/ is on sys.path

from system._services._base import running
from system._services.notifications import NotificationServer
from tkelectron import session
from tkelectron.main._page_notifications import MAX_LIVE, _asking, _live
from tkelectron.testing import launch

APP = Path(__file__).parent / "_apps" / "page_system"


@pytest.fixture(autouse=True)
def _default_permissions() -> Any:
    session.default_session.set_permission_request_handler(None)
    yield
    session.default_session.set_permission_request_handler(None)


@pytest.mark.tkelectron
async def test_the_page_notifies_and_the_click_and_close_come_back(compositor: str,
                                                                   session_bus_address: str) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.click("#notify")
        shown = await server.wait_for_notification()
        assert (shown.summary, shown.body) == ("Hello from the page", "Notification from the Renderer process")
        assert shown.app_icon == ""  # a page never names an icon main would read
        assert shown.expire_timeout == -1 and shown.hint("suppress-sound") is None  # the server's defaults
        await win.wait_for_text("#status", "shown")
        await server.click(shown.id)
        await win.wait_for_text("#status", "clicked")
        await server.dismiss(shown.id)
        await win.wait_for_text("#status", "closed")


@pytest.mark.tkelectron("headless")
async def test_electron_style_options_and_close_from_the_page(compositor: str, session_bus_address: str) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.click("#notify-electron")
        shown = await server.wait_for_notification()
        assert (shown.summary, shown.body, shown.hint("suppress-sound")) == ("Electron style", "one dict", True)
        assert shown.expire_timeout == 0  # requireInteraction: it stays until the user acts
        await win.wait_for_text("#status", "shown")
        await win.click("#close")
        await win.wait_for_text("#status", "closed")
        assert server.notifications[shown.id].closed  # withdrawn on the server itself


@pytest.mark.tkelectron("headless")
async def test_the_permission_handler_decides_and_sees_the_request(compositor: str,
                                                                   session_bus_address: str) -> None:
    asked: list[tuple[str, str, str]] = []

    def deny(web_contents: Any, permission: str, callback: Any, details: dict[str, Any]) -> None:
        asked.append((permission, details["title"], details["requesting_url"]))
        callback(False)

    session.default_session.set_permission_request_handler(deny)
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.click("#notify")
        await win.wait_for_text("#status", "error: permission to show notifications was denied")
        assert asked == [("notifications", "Hello from the page", (APP / "index.html").resolve().as_uri())]
        await win.click("#bad")  # the page's own check, before anything is sent
        await win.wait_for_text("#status", "refused: the notification title must be a str, not int")
        assert server.calls_to("Notify") == []  # nothing reached the desktop

        async def grant_later(web_contents: Any, permission: str, callback: Any, details: Any) -> bool:
            await trio.lowlevel.checkpoint()
            return True

        await win.click("#ask")
        await win.wait_for_text("#status", "asked: denied, permission denied")
        session.default_session.set_permission_request_handler(grant_later)
        await win.click("#ask")
        await win.wait_for_text("#status", "asked: granted, permission granted")
        await win.click("#notify")
        shown = await server.wait_for_notification()
        assert shown.summary == "Hello from the page"
        await win.wait_for_text("#status", "shown")


@pytest.mark.tkelectron("headless")
async def test_without_a_notification_server_the_page_gets_an_error(compositor: str,
                                                                   session_bus_address: str) -> None:
    async with launch(APP, compositor=compositor) as harness:
        win = await harness.first_window()
        await win.click("#notify")
        await win.wait_for_text("#status", "error: org.freedesktop.Notifications GetCapabilities failed: "
                                "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications"
                                " was not provided by any .service files")


FORGER = Path(__file__).parent / "_apps" / "page_forger"
MALFORMED = {
    "no id": ("tke:notification.show", ["title", {}]),
    "an id that is a bool": ("tke:notification.show", [True, "t", {}]),
    "a negative id": ("tke:notification.show", [-1, "t", {}]),
    "a title too long": ("tke:notification.show", [1, "x" * 4097, {}]),
    "an icon": ("tke:notification.show", [1, "t", {"icon": "/etc/passwd"}]),
    "silent not a bool": ("tke:notification.show", [1, "t", {"silent": 1}]),
    "a body that is a list": ("tke:notification.show", [1, "t", {"body": ["b"]}]),
    "close without an id": ("tke:notification.close", []),
    "permission with arguments": ("tke:notification.permission", [1]),
    "watch with arguments": ("tke:color-scheme.watch", ["dark"]),
    "an unknown framework channel": ("tke:notification.spam", []),
}


@pytest.mark.tkelectron("headless")
async def test_malformed_framework_requests_are_ipc_violations(compositor: str, session_bus_address: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(FORGER, compositor=compositor) as harness:
        win = await harness.first_window()
        wc = win.window.web_contents
        await each_kills_the_renderer(harness, wc, MALFORMED.items(), lambda case: wc.invoke("forge", *case))
        assert server.calls_to("Notify") == []
        # Well-formed requests, from the same kind of renderer, are answered: up to MAX_LIVE on screen.
        for nid in range(1, MAX_LIVE + 1):
            assert await wc.invoke("honest", "tke:notification.show", [nid, f"fine {nid}", {"body": "ok"}]) == "granted"
        assert (await server.wait_for_notification(MAX_LIVE)).summary == f"fine {MAX_LIVE}"
        assert await wc.invoke("honest", "tke:notification.show", [MAX_LIVE + 1, "one too many", {}]) == "limit"
        await server.dismiss(1)  # the user closes one: room for the next
        await harness.wait_for(lambda: len(_live[wc._renderer]) < MAX_LIVE, what="main to hear of the close")
        assert await wc.invoke("honest", "tke:notification.show", [MAX_LIVE + 1, "next", {}]) == "granted"
        assert (await server.wait_for_notification(MAX_LIVE + 1)).summary == "next"
        assert len(server.calls_to("Notify")) == MAX_LIVE + 1  # and never the one over the limit


EXAMPLE = Path(__file__).parent / "_apps" / "notifications_example"


@pytest.mark.tkelectron
async def test_electrons_notifications_example_ported_as_is(compositor: str, session_bus_address: str) -> None:
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(EXAMPLE, compositor=compositor) as harness:
        win = await harness.first_window()
        await server.wait_for_notification(2)  # main's and the page's
        shown = {n.summary: n for n in server.notifications.values()}
        assert shown["Basic Notification"].body == "Notification from the Main process"
        page = shown["Title"]
        assert page.body == "Notification from the Renderer process. Click to log to console."
        await server.click(page.id)
        await win.wait_for_text("#output", "Notification clicked!")


@pytest.mark.tkelectron("headless")
async def test_requests_waiting_on_the_handler_are_bounded_too(compositor: str, session_bus_address: str) -> None:
    decide = trio.Event()

    async def slow(web_contents: Any, permission: str, callback: Any, details: Any) -> bool:
        await decide.wait()  # the app asks its user, who takes their time
        return True

    session.default_session.set_permission_request_handler(slow)
    async with running(NotificationServer(), session_bus_address) as server, \
            launch(FORGER, compositor=compositor) as harness:
        win = await harness.first_window()
        wc = win.window.web_contents
        answers: list[str] = []

        async def show(nid: int) -> None:
            answers.append(await wc.invoke("honest", "tke:notification.show", [nid, f"n{nid}", {}]))

        async with trio.open_nursery() as nursery:
            for nid in range(1, MAX_LIVE + 1):
                nursery.start_soon(show, nid)
            await harness.wait_for(lambda: _asking.get(wc._renderer) == MAX_LIVE, what="every request to wait")
            assert await wc.invoke("honest", "tke:notification.show", [MAX_LIVE + 1, "more", {}]) == "limit"
            decide.set()
        assert answers == ["granted"] * MAX_LIVE
        await server.wait_for_notification(MAX_LIVE)
        assert sorted(n.summary for n in server.notifications.values()) == sorted(f"n{i}" for i in range(1, MAX_LIVE + 1))
