"""window.open from a page, decided by main: the default (local pages and
data: pages open, remote URLs do not), set_window_open_handler's allow/deny
with Electron's options, did-create-window, closing with the opener, and the
bounds a page opening windows in a loop meets; a tampered renderer's
malformed request is an ipc-violation. Buttons clicked as a user, on real
Tkhtml windows and headless."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _forged import each_kills_the_renderer  # tests/ is on sys.path

from tkelectron.main import _window_open
from tkelectron.main._window_open import parse_features
from tkelectron.testing import launch

APP = Path(__file__).parent / "apps" / "pages"
CHILD = (APP / "child.html").as_uri()


def _has(items: list[Any], count: int) -> Callable[[], bool]:
    return lambda: len(items) >= count


def _others(app: Any, opener: Any) -> list[Any]:
    return [w for w in app.windows if w.window is not opener.window]


@pytest.mark.tkelectron
async def test_the_default_opens_local_and_data_pages_and_refuses_remote_ones(
        compositor: str, caplog: pytest.LogCaptureFixture) -> None:
    async with launch(APP, compositor=compositor) as app:
        opener = await app.first_window()
        module: Any = app.module
        await opener.click("#open")
        child = await app.wait_for_window(lambda w: w.window is not opener.window)
        await child.wait_for_text("#kid", "a child window")
        assert await child.title() == "Child"
        window, details = module.created[0]
        assert window is child.window and child.window.web_contents.get_url() == CHILD
        assert (details["url"], details["frame_name"], details["features"]) == (CHILD, "kid", "width=300,height=200,left=700,top=0")
        assert details["disposition"] == "new-window" and details["referrer"]["url"] == (APP / "index.html").as_uri()
        options = details["options"]
        assert (options["width"], options["height"], options["x"], options["y"]) == (300, 200, 700, 0)
        assert tuple(child.window.get_size()) == (300, 200)
        # The new window has the opener's web preferences (its preload ran there too).
        assert child.window.web_contents._prefs == opener.window.web_contents._prefs
        # The same target name again: the page loads in that window, no new one.
        pid = child.window.web_contents.get_os_process_id()
        await opener.click("#open")
        await app.wait_for(lambda: child.window.web_contents.get_os_process_id() != pid, what="the reload by name")
        await child.wait_for_text("#kid", "a child window")
        assert len(module.created) == 1 and len(_others(app, opener)) == 1
        await opener.click("#open-data")
        await app.wait_for(lambda: len(module.created) == 2, what="the data: window")
        data_window = module.created[1][0]
        await app.wait_for(lambda: "from data" in data_window.web_contents.get_dom_html(), what="the data: page")
        # A remote URL opens nothing: it is denied and main says why.
        with caplog.at_level(logging.WARNING, logger="tkelectron"):
            await opener.click("#open-remote")
            await app.wait_for(lambda: "https://example.com/" in caplog.text, what="the refusal in main's log")
        assert "only file: and data: URLs" in caplog.text and len(module.created) == 2
        # Without outlives_opener, the windows close with their opener.
        opener.window.close()
        await app.wait_for(lambda: child.window.is_destroyed() and data_window.is_destroyed(),
                           what="the opened windows to close with the opener")


@pytest.mark.tkelectron
async def test_the_handler_decides_with_electron_s_answers(compositor: str, caplog: pytest.LogCaptureFixture) -> None:
    async with launch(APP, compositor=compositor) as app:
        opener = await app.first_window()
        wc = opener.window.web_contents
        module: Any = app.module
        answers: list[Any] = [{"action": "deny"}]

        def handler(details: dict[str, Any]) -> Any:
            module.asked.append(details)
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        wc.set_window_open_handler(handler)
        await opener.click("#open")
        await app.wait_for(lambda: len(module.asked) == 1, what="the handler to be asked")
        assert module.asked[0]["url"] == CHILD and module.asked[0]["frame_name"] == "kid"
        await app.wait_settled()
        assert _others(app, opener) == [] and module.created == []
        # A handler can hear remote URLs (to hand them to the user's browser) and deny them.
        answers.append({"action": "deny"})
        await opener.click("#open-remote")
        await app.wait_for(lambda: len(module.asked) == 2, what="the handler to hear the remote URL")
        assert module.asked[1]["url"] == "https://example.com/"
        # Allowing a remote URL still opens nothing.
        answers.append({"action": "allow"})
        with caplog.at_level(logging.WARNING, logger="tkelectron"):
            await opener.click("#open-remote")
            await app.wait_for(lambda: "is not opened" in caplog.text, what="the refusal of the remote URL")
        assert module.created == []
        # Broken handlers are the app's bug: logged, nothing opens.
        answers.extend([ValueError("handler bug"), {"action": "maybe"}, "allow"])
        with caplog.at_level(logging.ERROR, logger="tkelectron"):
            for n in (4, 5, 6):
                await opener.click("#open")
                await app.wait_for(_has(module.asked, n), what=f"request {n}")
            await app.wait_settled()
            await app.wait_for(lambda: caplog.text.count("the window open handler failed") == 3,
                               what="three handler failures logged")
        assert module.created == []
        # Allow, with Electron's camelCase options and outlivesOpener.
        answers.append({"action": "allow", "overrideBrowserWindowOptions": {"width": 420, "title": "Mine"},
                        "outlivesOpener": True})
        await opener.click("#open")
        child = await app.wait_for_window(lambda w: w.window is not opener.window)
        await child.wait_for_text("#kid", "a child window")
        assert child.window.get_size()[0] == 420 and module.created[0][1]["options"]["width"] == 420
        opener.window.close()
        await app.wait_for(lambda: opener.window.is_destroyed(), what="the opener to close")
        assert not child.window.is_destroyed()  # it outlives its opener
        child.window.close()


@pytest.mark.tkelectron
async def test_a_page_opening_windows_in_a_loop_is_bounded(compositor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with launch(APP, compositor=compositor) as app:
        opener = await app.first_window()
        module: Any = app.module
        wc = opener.window.web_contents
        warnings: list[str] = []
        wc.on("console-message", lambda event, level, message, *rest: warnings.append(message))
        wc.set_window_open_handler(lambda details: module.asked.append(details) or {"action": "deny"})
        await opener.click("#open-many")  # 50 requests at once
        await app.wait_for(lambda: len(warnings) == 50 - _window_open.RATE_COUNT,
                           what="the refused requests' console warnings")
        assert len(module.asked) == _window_open.RATE_COUNT and module.created == []
        assert all("window.open was refused" in message for message in warnings)
        # At most so many opened windows open at once (a small bound here, so
        # the test opens few renderers), whatever the rate.
        monkeypatch.setattr(_window_open, "MAX_OPEN_WINDOWS", 2)
        monkeypatch.setattr(_window_open, "RATE_SECONDS", 0.0)
        wc.set_window_open_handler(None)
        warnings.clear()
        await opener.click("#open-many")
        await app.wait_for(lambda: len(warnings) == 48, what="48 refusals")
        assert len(module.created) == 2 and len(_others(app, opener)) == 2


@pytest.mark.tkelectron("headless")
async def test_malformed_requests_are_ipc_violations(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        malformed: list[list[Any]] = [[], ["child.html"], [1, "", ""], ["x", None, ""], ["x", "", b""],
                                      ["x" * (64 * 1024 + 1), "", ""], ["x", "n" * 257, ""], ["x", "", "f" * 4097],
                                      ["x", "", "", "extra"]]
        await each_kills_the_renderer(app, wc, ((f"{args!r:.60}", args) for args in malformed),
                                      lambda args: wc.invoke("forge", "tke:window.open", args))
        module: Any = app.module
        assert module.created == []


def test_features_become_browser_window_options() -> None:
    assert parse_features("width=300,height=200,left=10,top=20") == {"width": 300, "height": 200, "x": 10, "y": 20}
    # Sizes are held to 100..32767 pixels (Chromium's smallest popup), positions to X's range.
    assert parse_features("width=20, height=99999, left=-99999 resizable=no, movable, minimizable=1") == {
        "width": 100, "height": 32767, "x": -32767, "resizable": False, "movable": True, "minimizable": True}
    # What is not understood (or could hurt) is left out, as browsers do.
    assert parse_features("nodeIntegration=yes,webPreferences=x,width=abc,top=nan,fullscreen=yes,show=no") == {}


@pytest.mark.tkelectron("headless")
async def test_requests_waiting_on_an_async_handler_are_bounded(compositor: str) -> None:
    import trio

    async with launch(APP, compositor=compositor) as app:
        opener = await app.first_window()
        module: Any = app.module
        wc = opener.window.web_contents
        release = trio.Event()
        warnings: list[str] = []
        wc.on("console-message", lambda event, level, message, *rest: warnings.append(message))

        async def handler(details: dict[str, Any]) -> dict[str, str]:
            module.asked.append(details)
            await release.wait()
            return {"action": "deny"}

        wc.set_window_open_handler(handler)
        # The harness's click would wait for main's handlers to finish: click without waiting.
        surface: Any = opener.window._surface
        surface.simulate_click(surface.query("#open-many")[0])
        await app.wait_for(lambda: len(warnings) == 50 - _window_open.MAX_WAITING, what="the refusals")
        assert len(module.asked) == _window_open.MAX_WAITING
        release.set()
        await app.wait_for(lambda: _window_open._opener(wc).waiting == 0, what="the handler's calls to end")
        assert module.created == []
