"""Pattern 3: a native menu increments a counter in the page, which reports back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"



@pytest.mark.tkelectron
async def test_increment_twice_shows_two_and_main_hears_each_value(compositor: str) -> None:
    async with launch(DEMOS / "menu_counter", compositor=compositor) as app:
        win = await app.first_window()
        assert (await win.text_content("#counter")).strip() == "0"
        await app.menu("Counter/Increment", win).click()
        await win.wait_for_text("#counter", "1")
        await app.menu("Counter/Increment", win).click()
        await win.wait_for_text("#counter", "2")
        received = app.module.received
        await app.wait_for(lambda: received == [1, 2], what="main to receive counter-value 1 and 2")
        await app.menu("Counter/Decrement", win).click()
        await win.wait_for_text("#counter", "1")
        await app.wait_for(lambda: received == [1, 2, 1], what="counter-value 1 after Decrement")
