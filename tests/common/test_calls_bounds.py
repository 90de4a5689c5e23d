"""A stream's queue is bounded by the credit its consumer gave, even against
a producer that ignores it (tkelectron.common._calls)."""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.testing

from tkelectron.common._calls import STREAM_WINDOW, Calls
from tkelectron.common._framing import FrameError
from tkelectron.common._messages import Invoke, StreamCredit, StreamItem


def _calls() -> tuple[Calls, list[Any]]:
    sent: list[Any] = []
    return Calls(sent.append, lambda: None), sent


def test_items_past_the_credit_are_a_protocol_error() -> None:
    calls, sent = _calls()
    stream = calls.stream("numbers", [])
    assert isinstance(sent[0], Invoke) and sent[1] == StreamCredit(sent[0].id, STREAM_WINDOW)
    for i in range(STREAM_WINDOW):  # up to the credit: queued
        calls.on_message(StreamItem(sent[0].id, i))
    assert len(stream._pending.items) == STREAM_WINDOW
    with pytest.raises(FrameError, match="more items than its credit allows"):
        calls.on_message(StreamItem(sent[0].id, "one too many"))
    assert len(stream._pending.items) == STREAM_WINDOW


@pytest.mark.trio
async def test_a_stream_item_for_a_plain_invoke_is_a_protocol_error() -> None:
    calls, sent = _calls()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(calls.invoke, "echo", [])
        await trio.testing.wait_all_tasks_blocked()
        with pytest.raises(FrameError):
            calls.on_message(StreamItem(sent[0].id, 1))
        nursery.cancel_scope.cancel()
