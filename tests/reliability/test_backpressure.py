"""Backpressure both ways (issue 9, item 3): main's buffer for a renderer
that stopped reading has a high-water mark (``unresponsive``, then
``responsive`` once it drains) and a hard cap (that renderer is killed,
reason ``oom``, never main); the bystander window keeps answering.

The limits are the window's ``web_preferences`` (``send_high_water``,
``send_limit``), set small here so the tests stay small; the counts are
bounded, nothing is timed.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import pytest
import trio

from tkelectron import RendererGoneError
from tkelectron.testing import launch
from tkelectron.testing._harness import DEFAULT_TIMEOUT

from ._fault_support import fault_app, open_pair

HIGH_WATER = 256 * 1024
LIMIT = 2 * 1024 * 1024
CHUNK = b"x" * 16384


def _follow(target: object, events: list[str], *names: str) -> None:
    for name in names:
        target.on(name, lambda *args, name=name: events.append(name))  # type: ignore[attr-defined]


@pytest.mark.tkelectron
async def test_a_renderer_that_stops_reading_makes_the_window_unresponsive_then_responsive(
    compositor, tmp_path: Path
):
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module, send_high_water=HIGH_WATER, send_limit=LIMIT)
        wc, window = pair.wc, pair.victim
        events: list[str] = []
        window_events: list[str] = []
        _follow(wc, events, "unresponsive", "responsive")
        _follow(window, window_events, "unresponsive", "responsive")
        async with trio.open_nursery() as nursery:
            # The renderer's loop is blocked for a moment (a busy page): it reads nothing.
            nursery.start_soon(wc.invoke, "stall", 0.5)
            sent = 0
            while not events and sent < LIMIT // len(CHUNK):
                wc.send("sink", CHUNK)  # keeps accepting past the mark
                sent += 1
            assert events == ["unresponsive"] and window_events == ["unresponsive"]
            assert sent * len(CHUNK) < LIMIT  # the mark came well before the cap
            await app.wait_for(lambda: "responsive" in events, timeout=DEFAULT_TIMEOUT, what="responsive")
        assert events == ["unresponsive", "responsive"] and window_events == events
        assert not pair.gone
        assert await wc.invoke("echo", "caught up") == ["caught up"]
        await pair.bystander_answers("fine")


@pytest.mark.tkelectron
async def test_past_the_hard_cap_the_renderer_is_killed_and_main_goes_on(compositor, tmp_path: Path, caplog):
    caplog.set_level(logging.ERROR, logger="tkelectron")
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module, send_high_water=HIGH_WATER, send_limit=LIMIT)
        wc = pair.wc
        proc = wc._renderer
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_swallow, wc.invoke("stall", 60))  # stuck for good
            await app.wait_for(lambda: len(wc._calls) == 1, what="the stall invoke")
            sent = 0
            while wc._renderer is proc and not proc.conn.closed and sent < 4 * LIMIT // len(CHUNK):
                wc.send("sink", CHUNK)
                sent += 1
            # Main refused to queue more than the cap (plus one frame) for it.
            assert sent * len(CHUNK) <= LIMIT + 2 * 1024 * 1024 + len(CHUNK)
            assert proc.conn.closed and proc.conn.queued == 0  # the buffer is gone with it
            details = await pair.wait_gone()
        assert details.reason == "oom"
        assert "renderer stopped reading" in caplog.text and "(web_preferences send_limit): killed" in caplog.text
        wc.send("sink", CHUNK)  # dropped (no renderer), never queued
        await pair.bystander_answers("still here")
        await wc.reload()
        assert await wc.invoke("echo", 1) == [1]


async def _swallow(call: object) -> None:
    with contextlib.suppress(RendererGoneError):  # the renderer is killed under it
        await call  # type: ignore[misc]


@pytest.mark.tkelectron("headless")
async def test_a_renderer_s_sends_are_refused_at_the_call_past_its_cap(compositor, tmp_path: Path):
    # The other way round: main does not read (its loop is blocked for a
    # moment), so the renderer's own buffer fills; past send_limit its page's
    # ipc_renderer.send raises SendBufferFull instead of growing, and its
    # answers still get through once main reads again.
    import time

    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module, send_high_water=HIGH_WATER, send_limit=LIMIT)
        outcome: list[dict] = []

        async def fill() -> None:
            outcome.append(await pair.wc.invoke("fill-until-refused", 4 * LIMIT // len(CHUNK)))

        for hold in (1.0, 2.0, 4.0):  # the renderer must get a CPU while main holds
            outcome.clear()
            async with trio.open_nursery() as nursery:
                nursery.start_soon(fill)
                await app.wait_for(lambda: len(pair.wc._calls) == 1, what="the fill invoke")
                time.sleep(hold)  # noqa: ASYNC251 - main's loop is busy on purpose: it reads nothing meanwhile
            if "error" in outcome[0]:
                break
        result = outcome[0]
        assert result["error"] == "SendBufferFull" and "over the limit of 2097152" in result["message"]
        assert result["sent"] * len(CHUNK) <= LIMIT + 1024 * 1024  # the cap, plus what the socket held
        assert not pair.gone  # the renderer lives on, and answers
        assert await pair.wc.invoke("echo", "fine") == ["fine"]
