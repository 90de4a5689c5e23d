"""Notification against a real notification daemon: dunst, on a private session bus and the test display.

The spec-following test server proves what we send and how we react; this
proves a real implementation agrees: dunst shows it, its default action
reaches ``click``, its close reaches ``close`` (reason ``dismissed``), and
its history holds what we sent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trio

from system._services._base import Recorder
from tkelectron import Notification, app


@pytest.fixture
def dunst(private_bus: Any, display: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """dunst (with an empty configuration: its defaults) serving the test's private bus."""
    program = shutil.which("dunst")
    if program is None:
        pytest.fail("dunst is not installed (scripts/setup.sh installs it)", pytrace=False)
    config = tmp_path / "dunstrc"
    config.write_text("")
    proc = subprocess.Popen([program, "-config", str(config)], env={**os.environ, "DISPLAY": display},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


async def dunstctl(*args: str) -> str:
    done = await trio.run_process(["dunstctl", *args], capture_stdout=True, capture_stderr=True)
    return done.stdout.decode()


@pytest.mark.tkelectron("headless")
async def test_dunst_shows_it_and_its_click_and_close_come_back(compositor: str, dunst: Any) -> None:
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        with trio.fail_after(10):
            # dunst owns the name once it is up; it tells nobody.
            while not await Notification.is_supported():  # noqa: ASYNC110 - another process's state
                await trio.sleep(0.05)
        note = Notification(title="Backup finished", body="42 files", urgency="low")
        events = Recorder()
        note.on("show", lambda e: events.add("show"))
        note.on("click", lambda e: events.add("click"))
        note.on("close", lambda e: events.add(("close", e.reason)))
        note.show()
        await events.wait_for(1)
        assert (await dunstctl("count", "displayed")).strip() == "1"
        await dunstctl("action", "0")  # the user clicks it: dunst invokes the default action
        await events.wait_for(2)
        await dunstctl("close")
        await events.wait_for(3)
        assert events == ["show", "click", ("close", "dismissed")]
        history = json.loads(await dunstctl("history"))["data"][0]
        got = next(entry for entry in history if entry["id"]["data"] == note.id)
        assert (got["summary"]["data"], got["body"]["data"], got["appname"]["data"]) == (
            "Backup finished", "42 files", app.get_name())
