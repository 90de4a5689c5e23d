"""A real renderer collects a refilled list's garbage once it is idle, not
inside the page's next refill (``renderer/_idle_gc.py``, started by ``_runtime.run``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "idle_gc_probe"


@pytest.mark.tkelectron("headless")
async def test_replaced_rows_are_collected_between_refills_not_during_them(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        for _ in range(8):  # ~2,000 cyclic objects a refill: a collection falls due every few
            assert await wc.invoke("refill", 500) == 500
            await wc.wait_settled()
        report = await wc.invoke("report")
        # With CPython's own trigger (700, or the 10,000 the renderer used to
        # set) collections ran between the rows of a refill.
        assert report["during_refill"] == 0
        assert report["collections"] >= 1
        assert not report["old_row_alive"]  # the first list replaced was freed
