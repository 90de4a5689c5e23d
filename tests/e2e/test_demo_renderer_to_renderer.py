"""Pattern 4: two windows talk through main, and directly over a MessagePort."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.demos.tour import chat_windows
from tkelectron.testing import launch

DEMOS = Path(__file__).resolve().parents[2] / "demo_apps"


@pytest.mark.tkelectron
async def test_chat_over_a_port_both_ways_and_a_message_through_main(compositor):
    async with launch(DEMOS / "renderer_to_renderer", compositor=compositor) as app:
        left, right = await chat_windows(app)
        await left.fill("#message", "hello right")
        await left.click("#send")
        await right.wait_for_text("#log li:last-child", "left: hello right")
        await right.fill("#message", "hi left")
        await right.click("#send")
        await left.wait_for_text("#log li:last-child", "right: hi left")
        await left.fill("#message", "brokered")
        await left.click("#via-main")
        await right.wait_for_text("#log li:last-child", "left (via main): brokered")


@pytest.mark.tkelectron("headless")
async def test_port_traffic_does_not_pass_through_main(compositor):
    async with launch(DEMOS / "renderer_to_renderer", compositor=compositor) as app:
        left, right = await chat_windows(app)
        conns = [left.web_contents._renderer.conn, right.web_contents._renderer.conn]
        before = [(c.frames_sent, c.frames_received) for c in conns]
        assert await left.web_contents.invoke("chat:blast", 1000) == 1000
        assert await right.web_contents.invoke("chat:received", 1000) == 1000
        after = [(c.frames_sent, c.frames_received) for c in conns]
        # The invokes above cost a few frames; 1000 port messages would cost 1000.
        for (sent0, recv0), (sent1, recv1) in zip(before, after, strict=True):
            assert recv1 - recv0 < 50 and sent1 - sent0 < 50, (before, after)
