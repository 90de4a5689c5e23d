"""``await win.screenshot(path, full=True)``: the whole window, as a user sees it.

By default a screenshot is the page (Electron's ``capturePage``). ``full=True``
captures the window from the X server with what surrounds the page: the menu
bar always, and the window manager's frame with its title bar when one runs.
The suite's Xvfb has no window manager; the second test runs one (openbox, as
the tour does) in a child process on its own private Xvfb.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compositor._png import read_png  # tests/ is on sys.path (the root conftest's folder)

from tkelectron.testing import launch

PROBE = Path(__file__).resolve().parent / "apps" / "probe"


def richest_row(rows: list[bytes]) -> bytes:
    """The row with the most distinct pixels: a row of the page no frame could contain by chance."""
    return max(rows, key=lambda row: len({row[i:i + 3] for i in range(0, len(row), 3)}))


@pytest.mark.tkelectron("tkhtml")
async def test_a_full_screenshot_has_the_menu_bar_above_the_page(compositor: str, tmp_path: Path) -> None:
    async with launch(PROBE, compositor=compositor) as app:
        win = await app.first_window()
        page = await win.screenshot(tmp_path / "page.png")
        full = await win.screenshot(tmp_path / "full.png", full=True)
    page_w, page_h, page_rows = read_png(page)
    full_w, full_h, full_rows = read_png(full)
    assert full_w == page_w and full_h > page_h, (page_w, page_h, full_w, full_h)
    assert full_rows[full_h - page_h:] == page_rows  # the page, pixel for pixel, under the menu bar
    menu_bar = full_rows[: full_h - page_h]
    assert len({row[i:i + 3] for row in menu_bar for i in range(0, len(row), 3)}) >= 2  # its labels are drawn


def test_a_full_screenshot_has_the_window_managers_title_bar(tmp_path: Path) -> None:
    assert shutil.which("openbox"), "openbox is not installed (scripts/setup.sh installs it)"
    script = f"""
import json
from pathlib import Path

from tkelectron.testing import launch
from tkelectron.testing._display import window_manager_running
from tkelectron.testing._runner import close_session_display, run_in_app_loop, session_display

OUT = Path({str(tmp_path)!r})


async def main():
    async with launch(Path({str(PROBE)!r}), compositor="tkhtml") as app:
        win = await app.first_window()
        await win.screenshot(OUT / "page.png")
        await win.screenshot(OUT / "first.png", full=True)
        win.window.set_title("A title the test set")
        await win.screenshot(OUT / "second.png", full=True)
        return {{"wm": window_manager_running(), "title": await win.title()}}


session_display(window_manager=True)
try:
    print(json.dumps(run_in_app_loop(main, "tkhtml")))
finally:
    close_session_display()
"""
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # a private Xvfb, with openbox
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"wm": True, "title": "A title the test set"}

    page_w, page_h, page_rows = read_png(str(tmp_path / "page.png"))
    first_w, first_h, first_rows = read_png(str(tmp_path / "first.png"))
    second_w, second_h, second_rows = read_png(str(tmp_path / "second.png"))
    # The frame is larger than the page on every side that has a border or a bar...
    assert first_w > page_w and first_h > page_h, (page_w, page_h, first_w, first_h)
    # ...and holds the page itself.
    inside = richest_row(page_rows)
    assert any(inside in row for row in first_rows) and any(inside in row for row in second_rows)
    # A new title redraws the title bar, and only the frame changes.
    assert (second_w, second_h) == (first_w, first_h)
    top = first_h - page_h
    assert first_rows[:top] != second_rows[:top]
