"""Fair reading (issue 9, item 4): main reads a flooding renderer in slices,
with a checkpoint after each, so another window's invoke is answered in the
middle of the flood instead of after it.

Counted, not timed: a task that does nothing but checkpoint sees at most two
slices (FAIR_SLICE_MESSAGES messages each) of the flood handled between two of
its turns; before the fix a whole read (~2,000 frames) went by in one turn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from tkelectron.main._renderer_messages import FAIR_SLICE_MESSAGES
from tkelectron.testing import launch

from ._fault_support import fault_app, open_pair

FLOOD = 20_000


@pytest.mark.tkelectron
async def test_a_flooding_window_is_read_in_slices_and_the_bystander_answers_meanwhile(compositor, tmp_path: Path):
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module)
        victim = pair.victim.id
        heard = module.flooded
        widest = 0
        answered_at: list[int] = []

        async def observe() -> None:
            nonlocal widest
            while heard.get(victim, 0) < FLOOD:
                before = heard.get(victim, 0)
                await trio.lowlevel.checkpoint()
                widest = max(widest, heard.get(victim, 0) - before)

        async def bystander() -> None:
            await app.wait_for(lambda: heard.get(victim, 0) > 0, what="the flood to start")
            for i in range(5):
                assert await pair.bystander.web_contents.invoke("echo", i) == [i]
                answered_at.append(heard.get(victim, 0))

        async with trio.open_nursery() as nursery:
            nursery.start_soon(observe)
            nursery.start_soon(bystander)
            assert await pair.wc.invoke("flood", FLOOD) == FLOOD
        assert heard[victim] == FLOOD  # nothing lost
        # Between two turns of the observer the reader ran at most twice (trio
        # may order a batch either way round): two slices.
        assert 0 < widest <= 2 * FAIR_SLICE_MESSAGES
        # The bystander's invokes were answered while the flood was still being read.
        assert len(answered_at) == 5 and answered_at[0] < FLOOD
        await pair.bystander_answers("after")
