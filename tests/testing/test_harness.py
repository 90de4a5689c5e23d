"""The test harness's own tests: every action and reading, on both compositors.

They drive ``apps/probe`` (one of everything) through ``launch``; with
``tkhtml`` every click and key goes through the X server like a user's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trio
import trio.lowlevel
from compositor._png import read_png  # tests/ is on sys.path (the root conftest's folder)

from tkelectron import BrowserWindow
from tkelectron.testing import AppHarness, WindowHarness, launch

PROBE = Path(__file__).resolve().parent / "apps" / "probe"


def probe_main(app: AppHarness) -> Any:
    """The probe's main module as the harness loaded it (to read what main saw)."""
    plugin = next(p for p in app.app.plugin_manager.get_plugins() if getattr(p, "__file__", None) == str(PROBE / "main.py"))
    return plugin


@pytest.mark.tkelectron
async def test_launch_gives_the_first_window_loaded_with_its_title(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        assert app.compositor == compositor
        win = await app.first_window()
        assert isinstance(win, WindowHarness)
        assert await win.title() == "Harness probe"
        assert not win.web_contents.is_loading()
        assert [w.window for w in app.windows] == BrowserWindow.get_all_windows() == [win.window]
        assert app.windows[0] is win  # one harness per window
        assert (await win.text_content("h1")).strip() == "Harness probe"


@pytest.mark.tkelectron
async def test_fill_then_click_round_trips_through_main(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        await win.fill("#name", "Grace")
        assert await win.input_value("#name") == "Grace"
        await win.fill("#name", "Ada")  # fill replaces what the field held
        assert await win.input_value("#name") == "Ada"
        await win.click("#greet")
        # click returned after the listener's invoke finished: no waiting needed.
        assert await win.text_content("#greeting") == "Hello, Ada!"


@pytest.mark.tkelectron
async def test_wait_for_text_timing_out_shows_the_latest_text(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        assert await win.text_content("#greeting") == ""
        error: list[TimeoutError] = []

        async def wait() -> None:
            with pytest.raises(TimeoutError) as caught:
                await win.wait_for_text("#greeting", "Hello, Bob!", timeout=1.0)
            error.append(caught.value)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(wait)
            await trio.lowlevel.checkpoint()
            # The text changes while the wait runs: the message must show this, not "".
            await win.fill("#name", "Ada")
            await win.click("#greet")
        assert str(error[0]) == (
            "timed out after 1 s waiting for '#greeting' to read 'Hello, Bob!' (it reads 'Hello, Ada!')"
        )


@pytest.mark.tkelectron
async def test_press_enter_in_a_field_reaches_the_pages_keydown_listener(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        await win.fill("#entry", "typed")
        assert await win.text_content("#pressed") == "nothing pressed"
        await win.press("#entry", "Enter")
        assert await win.text_content("#pressed") == "Enter pressed with 'typed'"


@pytest.mark.tkelectron
async def test_wait_settled_covers_an_async_input_listener_awaiting_an_invoke(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        # The page's input listener awaits main's slow_upper (150 ms) before it
        # writes the result: fill returns only once that is done.
        await win.fill("#slow", "abc")
        assert await win.text_content("#slow-out") == "ABC"
        await app.wait_settled()  # nothing left: returns at once
        assert await win.text_content("#slow-out") == "ABC"


@pytest.mark.tkelectron
async def test_is_visible_is_false_for_a_hidden_element(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        assert await win.is_visible("#greet")
        assert not await win.is_visible("#secret")
        assert not await win.is_visible("#no-such-element")


@pytest.mark.tkelectron
async def test_wait_for_selector_waits_for_an_element_the_page_adds_later(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        win.web_contents.send("add-late", "arrived")
        assert win.window._surface.query("#late") == []  # the page adds it 200 ms from now
        node = await win.wait_for_selector("#late")
        assert node == win.window._surface.query("#late")[0]
        assert await win.text_content("#late") == "arrived"
        with pytest.raises(TimeoutError, match="'#never'"):
            await win.wait_for_selector("#never", timeout=0.2)


@pytest.mark.tkelectron
async def test_wait_for_window_finds_the_window_a_click_opens(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#open-second")
        second = await app.wait_for_window()
        assert second is not win and await second.title() == "Second"
        assert (await second.text_content("#heading")) == "The second window"
        assert {await w.title() for w in app.windows} == {"Harness probe", "Second"}
        again = await app.wait_for_window(lambda w: w.window.get_title() == "Second")
        assert again is second
        second.window.close()
        await app.wait_for(lambda: len(app.windows) == 1, what="the second window to close")
        assert app.windows == [win]


@pytest.mark.tkelectron
async def test_evaluate_runs_sync_and_async_functions_in_main(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()

        def window_titles(main_app: Any, prefix: str) -> list[str]:
            assert main_app is app.app
            return [prefix + w.get_title() for w in BrowserWindow.get_all_windows()]

        async def ask_the_renderer(main_app: Any, value: int) -> Any:
            await trio.lowlevel.checkpoint()
            return await BrowserWindow.get_all_windows()[0].web_contents.invoke("echo", value)

        assert await app.evaluate(window_titles, "> ") == ["> Harness probe"]
        assert await app.evaluate(ask_the_renderer, 42) == {"echoed": 42}
        assert await win.title() == "Harness probe"


@pytest.mark.tkelectron
async def test_a_menu_item_clicked_by_label_path_runs_its_click(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        item = app.menu("Tools/Say hello", win)
        assert item.label == "Say hello"
        await item.click()
        await win.wait_for_text("#menu-out", "hello from Say hello")
        assert probe_main(app).seen["menu_window"] == win.window.id
        with pytest.raises(LookupError, match="'Nope'"):
            app.menu("Tools/Nope", win)


@pytest.mark.tkelectron
async def test_on_dialog_answers_a_message_box(compositor: str) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        asked: list[tuple[str, Any, str]] = []

        def answer(kind: str, window: Any, options: dict[str, Any]) -> dict[str, int]:
            asked.append((kind, window, options["message"]))
            return {"response": 1}

        app.on_dialog(answer)
        win = await app.first_window()
        await win.click("#ask")
        assert await win.text_content("#answer") == "No"
        assert asked == [("message", win.window, "Keep going?")]
        app.on_dialog(lambda kind, window, options: {"response": 0})
        await win.click("#ask")
        assert await win.text_content("#answer") == "Yes"


def _distinct_colours(rows: list[bytes]) -> set[bytes]:
    return {row[i:i + 3] for row in rows[::3] for i in range(0, len(row), 9)}


@pytest.mark.tkelectron("tkhtml")
async def test_screenshot_is_a_png_of_the_window_as_drawn(compositor: str, tmp_path: Path) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        path = await win.screenshot(tmp_path / "probe.png")  # at once: the harness lets Tk draw first
        assert path == str(tmp_path / "probe.png")
        size = tuple(win.window.get_size())
    # The page as the window shows it (like Electron's capturePage: no menu bar).
    width, height, rows = read_png(path)
    assert (width, height) == size == (480, 360)
    colours = _distinct_colours(rows)
    assert len(colours) >= 4, f"the screenshot looks blank: {len(colours)} colour(s)"
    assert b"\xfd\xf6\xe3" in colours  # the page's background (#fdf6e3) was drawn
