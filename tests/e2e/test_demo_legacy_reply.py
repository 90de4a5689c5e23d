"""The legacy patterns: send + event.reply, and send_sync + event.return_value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"


@pytest.mark.tkelectron
async def test_reply_and_send_sync_round_trips(compositor: str) -> None:
    async with launch(DEMOS / "legacy_reply", compositor=compositor) as app:
        win = await app.first_window()
        await win.click("#async-btn")
        await win.wait_for_text("#async-reply", "pong: ping")
        await win.click("#sync-btn")
        await win.wait_for_text("#sync-reply", "sync pong: ping")
