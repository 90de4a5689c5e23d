"""Closing a window with unsaved changes: main asks the page with web_contents.invoke."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"



@pytest.mark.tkelectron
async def test_closing_asks_first_and_can_be_cancelled_or_confirmed(compositor):
    async with launch(DEMOS / "unsaved_changes", compositor=compositor) as app:
        win = await app.first_window()
        await win.fill("#text", "precious words")
        await win.wait_for_text("#status", "Unsaved changes")
        await win.request_close()
        await app.wait_for(lambda: "hidden" not in win._surface.element(win._surface.query("#confirm")[0]).attributes,
                           what="the confirmation to show")
        await win.click("#cancel")
        await app.wait_for(lambda: app.module.answers == [False], what="the page to refuse")
        assert not win.window.is_destroyed()
        await win.wait_for_text("#status", "Close cancelled")
        await win.request_close()
        await win.wait_for_selector("#confirm:not([hidden])")
        await win.click("#discard")
        await app.wait_for(lambda: win.window.is_destroyed(), what="the window to close")
        assert app.module.answers == [False, True]


@pytest.mark.tkelectron("headless")
async def test_a_clean_page_closes_at_once(compositor):
    async with launch(DEMOS / "unsaved_changes", compositor=compositor) as app:
        win = await app.first_window()
        await win.request_close()
        await app.wait_for(lambda: win.window.is_destroyed(), what="the window to close")
        assert app.module.answers == [True]
