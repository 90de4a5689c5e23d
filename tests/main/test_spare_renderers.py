"""Spare renderers: started ahead of need, handed to the next window, never leaked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron import BrowserWindow, app
from tkelectron.main import _zygote
from tkelectron.testing import launch

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"
PAGE = BLANK / "index.html"

pytestmark = pytest.mark.tkelectron("headless")


@pytest.fixture(params=["direct", "zygote"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "direct":
        monkeypatch.setenv(_zygote.ENV, "0")
    else:
        monkeypatch.delenv(_zygote.ENV, raising=False)
    return str(request.param)


async def test_a_window_takes_the_spare_and_a_new_one_is_started(compositor: str, path: str) -> None:
    async with launch(BLANK, compositor=compositor, spare_renderers=1) as harness:
        # Started when the app became ready: directly at once, from the zygote once it is.
        if path == "direct":
            assert len(app._spares) == 1
        await harness.wait_for(lambda: app._spares, what="the spare")
        spare_pid = app._spares[0].pid
        win = BrowserWindow()
        await win.load_file(PAGE)
        assert win.web_contents.get_os_process_id() == spare_pid
        await harness.wait_for(lambda: app._spares, what="its replacement")
        assert len(app._spares) == 1 and app._spares[0].pid != spare_pid  # replenished
        report = win.web_contents.get_sandbox_report()
        assert report["sandboxed"] and not report["missing"]  # a spare locks down like any renderer
    # the leak check of the pytest plugin fails this test if the spare outlived the app


async def test_a_spare_is_told_its_page_in_the_turn_the_load_starts(compositor: str, path: str) -> None:
    """The spare's Init leaves inside ``load_file`` itself, not from the
    supervisor task a trio tick later: the renderer locks down and loads the
    page while main's loop is still busy mapping the new window."""
    async with launch(BLANK, compositor=compositor, spare_renderers=1) as harness:
        await harness.wait_for(lambda: app._spares, what="the spare")
        spare = app._spares[0]
        assert spare.conn.frames_sent == 0  # a spare waits for its Init
        win = BrowserWindow()
        request = win.load_file(PAGE)  # no checkpoint between this and the check below
        assert spare not in app._spares and spare.conn.frames_sent == 1
        await request
        assert win.web_contents.get_os_process_id() == spare.pid


async def test_no_spares_when_turned_off(compositor: str) -> None:
    async with launch(BLANK, compositor=compositor):
        assert app._spares == []
