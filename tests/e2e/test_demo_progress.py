"""A long job in main streams progress to the page; Cancel stops it in main."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"



@pytest.mark.tkelectron
async def test_the_job_runs_to_the_end_and_the_bar_fills(compositor):
    async with launch(DEMOS / "progress", compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#start")
        await win.wait_for_text("#label", "Done: 17984 primes below 200000")
        assert "width: 100%" in win._surface.element(win._surface.query("#bar")[0]).attributes["style"]
        assert app.module.jobs == ["finished"]


@pytest.mark.tkelectron
async def test_cancel_stops_the_job_in_main(compositor):
    async with launch(DEMOS / "progress", compositor=compositor) as app:
        win = await app.first_window()
        start = win.click("#start")  # settles only when the job ends; run it alongside
        import trio

        async with trio.open_nursery() as nursery:
            nursery.start_soon(lambda: start)
            await app.wait_for(lambda: "primes so far" in win._info("#label").text, what="progress")
            await win.click("#cancel")
        await app.wait_for(lambda: win._info("#label").text.startswith("Cancelled at"), what="the cancel")
        await app.wait_for(lambda: app.module.jobs == ["cancelled"], what="main's job to be cancelled")
