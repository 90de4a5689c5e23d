"""A failing preload, a crashing renderer, and the hooks that hear of it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "bad_preload"


@pytest.mark.tkelectron
async def test_a_preload_error_is_reported_and_the_page_still_loads(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_text("#p", "script ran")
        assert await win.title() == "still loads"
        (name, error), = app.module.errors
        assert name == "preload.py" and error.remote_type == "KeyError" and isinstance(error, KeyError)


@pytest.mark.tkelectron("headless")
async def test_a_crash_reaches_the_renderer_gone_hook_and_reload_recovers(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        os.kill(win.web_contents.get_os_process_id(), signal.SIGSEGV)
        await app.wait_for(lambda: app.module.gone, what="the renderer-gone hook")
        assert app.module.gone == [(win.window.id, "crashed")]
        html = await win.html()
        assert "<h1>This page crashed</h1>" in html
        assert f"renderer process is gone (crashed, exit code {-signal.SIGSEGV})." in html
        await win.web_contents.reload()
        await win.wait_for_text("#p", "script ran")
