"""Measures (never asserts) what find in page and zoom cost main on a big page.

Not collected with the suite (its name does not start with ``test_``); run it
by path, with its output shown::

    .venv/bin/python -m pytest -q -s tests/web_contents/measure_find.py

It loads 5,000 paragraphs as a data: page and times the compositor's search
and highlights (5,000 matches, one, none) and a zoom with its new layout, on
both compositors.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tkelectron.testing import launch

APP = Path(__file__).parent / "apps" / "pages"

@pytest.mark.tkelectron
async def test_measure_find_and_zoom(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        body = "".join(f"<p>paragraph {i}: an apple and a pear</p>" for i in range(5000))
        await wc.load_url("data:text/html," + body)
        await win.wait_for_selector("p")
        await app.wait_settled()
        surface: Any = win.window._surface
        for label, text in (("5000 matches", "apple"), ("1 match", "paragraph 4999:"), ("0 matches", "zebra")):
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                surface.find_text(text, False, 1)
                times.append(time.perf_counter() - t0)
            times.sort()
            print(f"\n{compositor}: find_text {label} over 5000 paragraphs: median {times[2]*1000:.1f} ms, max {times[-1]*1000:.1f} ms")
        t0 = time.perf_counter()
        wc.set_zoom_factor(2.0)
        if compositor == "tkhtml":
            surface.toplevel.update_idletasks()
        print(f"{compositor}: set_zoom_factor(2.0) incl. relayout: {(time.perf_counter()-t0)*1000:.1f} ms")
