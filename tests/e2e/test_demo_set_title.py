"""Pattern 1, driven like a user: type a title, press Set, the window's title changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"


@pytest.mark.tkelectron
async def test_typing_a_title_and_pressing_set_retitles_the_window(compositor: str) -> None:
    async with launch(DEMOS / "set_title", compositor=compositor) as app:
        win = await app.first_window()
        assert await win.title() == "Hello World!"  # the page's <title> until the app sets one
        await win.fill("#title", "My new title")
        assert await win.input_value("#title") == "My new title"
        await win.click("#btn")
        await app.wait_for(lambda: win.window.get_title() == "My new title", what="the window title to change")
        if compositor == "tkhtml":
            assert win.window._surface.toplevel.title() == "My new title"


@pytest.mark.tkelectron
async def test_the_page_renders_its_html(compositor: str) -> None:
    async with launch(DEMOS / "set_title", compositor=compositor) as app:
        win = await app.first_window()
        assert (await win.text_content("h1")).strip() == "Set the window's title"
        assert await win.is_visible("#btn")


@pytest.mark.tkelectron
async def test_an_ordinary_pages_head_logs_no_warning(compositor: str, caplog: pytest.LogCaptureFixture) -> None:
    # <meta charset> and the stylesheet <link> are never drawn, in a browser
    # either: main drops them from what it draws without warning about them.
    async with launch(DEMOS / "set_title", compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        assert "stylesheet" in (DEMOS / "set_title" / "index.html").read_text()
    assert not [r for r in caplog.records if r.levelname == "WARNING" and r.name.startswith("tkelectron")]
