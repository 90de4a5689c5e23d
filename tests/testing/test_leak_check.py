"""The pytest plugin fails a test that leaves a window, a renderer or a running app behind.

Proved with ``pytester``: a small test file whose one test misuses the app
(starts it in a background thread and returns while it still runs, its window
open) is run by a separate pytest process, whose report must name the leak.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _inner_pytest import run_inner_pytest

pytest_plugins = ["pytester"]

PROBE = Path(__file__).resolve().parent / "apps" / "probe"

LEAKY_TESTS = f'''
import threading
from pathlib import Path

import pytest
import trio

from tkelectron import BrowserWindow, app
from tkelectron.testing import launch

PROBE = Path({str(PROBE)!r})


@pytest.mark.tkelectron("headless")
async def test_closes_everything(compositor):
    """Runs first: after the leak below, no other app could start in this process."""
    async with launch(PROBE, compositor=compositor) as harness:
        await harness.first_window()


def test_forgets_to_stop_the_app():
    """Runs the app in a thread and returns while it still runs: a leak."""
    opened = threading.Event()

    async def main():
        async with app.running(compositor="headless"):
            window = BrowserWindow(width=200, height=100, show=False)
            await window.load_file(PROBE / "index.html")
            opened.set()
            await trio.sleep_forever()

    threading.Thread(target=trio.run, args=(main,), daemon=True).start()
    assert opened.wait(30)
'''


def test_a_test_that_leaves_the_app_running_fails(
    pytester: pytest.Pytester, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    result = run_inner_pytest(pytester, request.config, monkeypatch)
    # The leaky test's own body passed; the plugin's check fails it at teardown.
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_forgets_to_stop_the_app*",
            "*test left behind: 1 open window(s)*renderer process(es)*the app is still running (state ready)*",
        ]
    )
    assert "test_closes_everything" not in "\n".join(line for line in result.outlines if "ERROR" in line)
