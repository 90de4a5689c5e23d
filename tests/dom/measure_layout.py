"""Measure the page's layout questions (not a test; run it by hand).

    PYTHONPATH=. .venv/bin/python tests/dom/measure_layout.py

In one window of the ``dom_layout`` app, the page times 300 ``await
el.get_bounding_client_rect()`` and 30 ``await el.scroll_into_view()``
(each a round trip to main; a scroll also waits until Tk drew it), on both
compositors (tkhtml on the display, or on an Xvfb started for the run).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tkelectron.testing import launch
from tkelectron.testing._runner import run_in_app_loop

APP = Path(__file__).resolve().parent.parent / "apps" / "dom_layout"


async def measure(compositor: str) -> Any:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#bench")
        return json.loads(await win.text_content("#out"))


def main() -> None:
    for compositor in ("headless", "tkhtml"):
        print(compositor, run_in_app_loop(measure, compositor, {"compositor": compositor}))


if __name__ == "__main__":
    main()
