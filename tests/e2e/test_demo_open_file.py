"""Pattern 2: the page asks main for a file; main shows the open dialog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"


@pytest.mark.tkelectron
async def test_a_dialog_answered_by_the_harness_reaches_the_page(compositor: str, tmp_path: Path) -> None:
    chosen = tmp_path / "notes.txt"
    chosen.write_text("hello")
    async with launch(DEMOS / "open_file", compositor=compositor) as app:
        seen = []

        def answer(kind, window, options):
            seen.append((kind, window, options.get("title")))
            return {"canceled": False, "file_paths": [str(chosen)]}

        app.on_dialog(answer)
        win = await app.first_window()
        await win.click("#btn")
        await win.wait_for_text("#file-path", str(chosen))
        assert seen == [("open", win.window, "Open a file")]


@pytest.mark.tkelectron
async def test_canceling_the_dialog_shows_canceled(compositor: str) -> None:
    async with launch(DEMOS / "open_file", compositor=compositor) as app:
        app.on_dialog(lambda kind, window, options: {"canceled": True, "file_paths": []})
        win = await app.first_window()
        await win.click("#btn")
        await win.wait_for_text("#file-path", "(canceled)")
