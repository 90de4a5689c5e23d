"""The harness's ``win.drag_and_drop(source, target)`` (Playwright's), on both compositors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMO = Path(__file__).resolve().parents[2] / "demo_apps" / "drag_and_drop"


@pytest.mark.tkelectron
async def test_drag_and_drop_reorders_the_demo_s_list(compositor: str) -> None:
    async with launch(DEMO, compositor=compositor) as app:
        win = await app.first_window()
        await win.drag_and_drop("#task-c", "#task-a")
        await win.wait_for_text("#order", "c a b d")
        await win.drag_and_drop("#task-d", "#task-c")
        await win.wait_for_text("#order", "d c a b")
