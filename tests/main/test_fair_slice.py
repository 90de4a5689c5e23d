"""A fair slice of a renderer's messages never grows past its bound: a
message that would take it over (a batch of sends counts as its items) waits
for the next slice, and a slice's first message always goes (issue 13: a lone
send and then a full batch made a slice of 65)."""

from __future__ import annotations

import pytest
import trio

from tkelectron.common._messages import SENDS_MAX_ITEMS, Send, Sends
from tkelectron.main._renderer_messages import FAIR_SLICE_MESSAGES, FairSlice, over_slice


def _batch(n: int) -> Sends:
    return Sends([Send("n", [i]) for i in range(n)], 0)


def test_a_message_that_would_take_the_slice_over_its_bound_waits():
    assert SENDS_MAX_ITEMS <= FAIR_SLICE_MESSAGES  # a batch always fits an empty slice
    assert not over_slice(0, _batch(SENDS_MAX_ITEMS))
    room = FAIR_SLICE_MESSAGES - SENDS_MAX_ITEMS  # handled already, a full batch still fits
    assert not over_slice(room, _batch(SENDS_MAX_ITEMS))
    assert over_slice(room + 1, _batch(SENDS_MAX_ITEMS))
    assert not over_slice(FAIR_SLICE_MESSAGES - 1, Send("n", [0]))
    assert over_slice(FAIR_SLICE_MESSAGES - 3, _batch(4))
    assert not over_slice(FAIR_SLICE_MESSAGES - 4, _batch(4))


class _Steps(trio.abc.Instrument):
    """How many messages the reading task handled in each of its steps (a
    step ends at a checkpoint that yields): counted, not timed."""

    def __init__(self, task: trio.lowlevel.Task, handled: list[int]) -> None:
        self.task, self.handled, self.widths = task, handled, []
        self._start = 0

    def before_task_step(self, task: trio.lowlevel.Task) -> None:
        if task is self.task:
            self._start = self.handled[0]

    def after_task_step(self, task: trio.lowlevel.Task) -> None:
        if task is self.task:
            self.widths.append(self.handled[0] - self._start)


@pytest.mark.trio
async def test_fair_slice_checkpoints_before_a_batch_that_does_not_fit():
    handled = [0]
    steps = _Steps(trio.lowlevel.current_task(), handled)
    trio.lowlevel.add_instrument(steps)
    try:
        await trio.lowlevel.checkpoint()  # the first step begins here
        fair = FairSlice()
        for msg in [Send("n", [0]), _batch(SENDS_MAX_ITEMS)] * 20:
            await fair.admit(msg)
            handled[0] += len(msg.items) if isinstance(msg, Sends) else 1
            await fair.count(msg)
        await trio.lowlevel.checkpoint()
    finally:
        trio.lowlevel.remove_instrument(steps)
    assert sum(steps.widths) == 20 * (1 + SENDS_MAX_ITEMS)
    assert max(steps.widths) <= FAIR_SLICE_MESSAGES, steps.widths
    # A slice holds several full batches: the turn its end costs main's loop
    # is spread over hundreds of sends, not one batch's.
    assert max(steps.widths) >= 3 * SENDS_MAX_ITEMS, steps.widths
