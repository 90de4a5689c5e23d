"""Coalesced sends (issue 13, item 2): a renderer's burst of one-way sends
travels in a few ``Sends`` frames instead of one frame per send, with real
renderer processes.

What must not change: main sees every send, in the order the page made it,
in its place among the renderer's invokes and DOM commits, across channels;
ports that travel with batched sends arrive with their own message and work;
a page's sends are still refused at the call once its buffer is over
``send_limit`` (the batch's bytes count as queued), and nothing before the
refusal is lost. A forged batch — too many items, a reserved channel inside,
items that are not sends, ports that do not add up or never arrived — ends
that renderer as an ``ipc-violation``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from _forged import each_kills_the_renderer  # tests/ is on sys.path

from tkelectron.common._messages import SENDS_MAX_ITEMS
from tkelectron.main._plugins import load_app_module
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "send_batches"


def _module() -> Any:
    module = load_app_module(APP)
    if str(APP) in sys.path:
        sys.path.remove(str(APP))
    return module


def _conn(wc: Any) -> Any:
    return wc._renderer.conn


@pytest.mark.tkelectron
async def test_a_burst_arrives_in_order_among_invokes_and_commits_in_few_frames(compositor):
    module = _module()
    async with launch(module, compositor=compositor) as app:
        wc = (await app.first_window()).web_contents
        blocks, per_block = 6, 150
        frames_before = _conn(wc).frames_received
        assert await wc.invoke("mixed", blocks, per_block) == blocks * per_block
        await app.wait_for(lambda: ("commit", f"block {blocks - 1}") in module.seen, what="the last commit")
        frames = _conn(wc).frames_received - frames_before

        expected: list[tuple[str, Any]] = []
        for block in range(blocks):
            for i in range(block * per_block, (block + 1) * per_block):
                expected += [("a", i), ("b", i)]
            expected += [("mark", block), ("commit", f"block {block}")]
        assert module.seen == expected

        # The frames really coalesced: 1,800 sends came in a few dozen frames
        # (each block: a send or two at once, then batches of at most
        # SENDS_MAX_ITEMS), and the renderer counts the same.
        sends = 2 * blocks * per_block
        assert frames < sends // 10, frames
        counts = await wc.invoke("counts")
        assert counts["batched"] >= sends - 3 * blocks
        assert blocks * (2 * per_block // SENDS_MAX_ITEMS) <= counts["batches"] <= blocks * (2 * per_block // SENDS_MAX_ITEMS + 2)


@pytest.mark.tkelectron("headless")
async def test_ports_sent_among_batched_sends_arrive_with_their_message_and_work(compositor):
    module = _module()
    async with launch(module, compositor=compositor) as app:
        wc = (await app.first_window()).web_contents
        count = 40  # more ports than one batch may carry: several batches
        assert await wc.invoke("ports", count) == count
        await app.wait_for(lambda: len(module.over_ports) == count, what="a message over every port")
        expected: list[tuple[str, Any]] = []
        for i in range(count):
            expected += [("m", i), ("port", i)]
        assert module.seen == expected
        assert [index for index, _ in module.ports] == list(range(count))  # one port each, with its message
        assert sorted(module.over_ports) == [(i, ["hello from", i]) for i in range(count)]
        assert (await wc.invoke("counts"))["batches"] >= 2


@pytest.mark.tkelectron("headless")
async def test_a_pages_small_sends_are_still_refused_past_send_limit_and_none_is_lost(compositor):
    module = _module()
    limit = 256 * 1024
    async with launch(module, compositor=compositor) as app:
        await app.first_window()
        window = module.open_window(send_limit=limit, send_high_water=limit // 4)
        await app.wait_for_window(lambda h: h.window is window)
        wc = window.web_contents
        size = 1000  # small enough to be batched
        result = await wc.invoke("fill", size, 8 * limit // size)
        # Main held still from the first send on (the app's "hold"): full
        # batches filled the socket, then the buffer (queued bytes plus the
        # open batch) reached the cap and the next send was refused. (The
        # socket takes a write past its SO_SNDBUF when it was below it: twice
        # that is its most.)
        assert module.released == [True]
        assert result["error"] == "SendBufferFull" and f"over the limit of {limit}" in result["message"]
        assert limit // (size + 32) <= result["sent"] <= (limit + 2 * result["sndbuf"] + 64 * 1024) // size
        await app.wait_for(lambda: sum(1 for ch, _ in module.seen if ch == "sink") == result["sent"],
                           what="every send before the refusal")
        assert not wc.is_crashed()
        assert (await wc.invoke("counts"))["batches"] > 0


def _send(channel: Any, args: Any = (1,), ports: Any = 0) -> list[Any]:
    return ["Send", channel, list(args), ports]


#: Forged batches, each a msgpack body a tampered renderer writes as one frame.
FORGED = [
    ("one item too many", ["Sends", [_send("m")] * (SENDS_MAX_ITEMS + 1), 0]),
    ("an empty batch", ["Sends", [], 0]),
    ("a reserved channel inside", ["Sends", [_send("m"), _send("tke:x")], 0]),
    ("an item that is not a send", ["Sends", [_send("m"), ["Invoke", 1, "m", []]], 0]),
    ("a channel that is not a str", ["Sends", [_send("m"), _send(7)], 0]),
    ("items that are not a list", ["Sends", {"m": 1}, 0]),
    ("ports declared without fds", ["Sends", [_send("m", ports=1)], 1]),
    ("items' ports above the batch's", ["Sends", [_send("m", ports=1), _send("m")], 0]),
    ("a negative port count", ["Sends", [_send("m", ports=2), _send("m", ports=-1)], 1]),
    ("a nested batch", ["Sends", [["Sends", [_send("m")], 0]], 0]),
]


@pytest.mark.tkelectron("headless")
async def test_a_forged_batch_ends_the_renderer_as_an_ipc_violation(compositor):
    module = _module()
    async with launch(module, compositor=compositor) as app:
        wc = (await app.first_window()).web_contents

        heard: list[list[tuple[str, Any]]] = []  # what main heard during each case

        async def forge(body: Any) -> Any:
            heard.append(list(module.seen))
            module.seen.clear()
            return await wc.invoke("forge", body)

        gone = await each_kills_the_renderer(app, wc, FORGED, forge)
        heard.append(list(module.seen))
        assert gone == ["ipc-violation"] * len(FORGED)
        by_case = dict(zip([name for name, _ in FORGED], heard[1:], strict=True))
        # A batch whose ports do not add up is refused before any item runs;
        # items before a bad one are handled as the sends they are.
        for name in ("items' ports above the batch's", "a negative port count", "one item too many"):
            assert by_case[name] == [], name
        assert by_case["a reserved channel inside"] == [("m", 1)]
        # An honest batch still goes through the fresh renderer.
        assert await wc.invoke("forge", ["Sends", [_send("a", [1]), _send("b", [2])], 0]) == "sent"
        await app.wait_for(lambda: ("b", 2) in module.seen, what="the honest batch")
        assert module.seen[-2:] == [("a", 1), ("b", 2)]


@pytest.mark.tkelectron("headless")
async def test_the_ipc_log_shows_each_batched_send(compositor):
    module = _module()
    async with launch(module, compositor=compositor) as app:
        wc = (await app.first_window()).web_contents
        entries: list[Any] = []
        wc.on("ipc-log", entries.append)
        assert await wc.invoke("mixed", 1, 100) == 100
        await app.wait_for(lambda: ("commit", "block 0") in module.seen, what="the commit")
        sends = [(e.kind, e.channel) for e in entries if e.direction == "renderer→main" and e.kind.startswith("send")]
        assert sends == [("send", ch) for _ in range(100) for ch in ("a", "b")]
        assert all(e.size > 0 for e in entries)
        assert (await wc.invoke("counts"))["batches"] >= 3  # they did travel in batches
