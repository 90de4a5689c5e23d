"""Main reads renderer sockets from Tk file handlers on the Tk compositor
(``main/_tk_reader.py``), handling every message inline but a Commit with
HTML to parse (that one main's loop applies, paced).

Real Tk windows under Xvfb, real sandboxed renderers; where a rule is not
Tk-specific (order, errors, async work) the headless compositor, which keeps
trio's reader, runs the same test. The probe's preload writes exact frame
sequences on its socket, as a tampered renderer could.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
from pathlib import Path
from typing import Any

import pytest
import trio
from _tk_reader_support import gone_reasons, open_window, probe_app, socket_fd

from tkelectron import RendererGoneError
from tkelectron.main._renderer_messages import FAIR_SLICE_MESSAGES
from tkelectron.main._tk_reader import active_readers, watched_fds
from tkelectron.testing import launch
from tkelectron.testing._runner import current_tk_root

#: Ids for forged invokes, far from any the renderer's own call engine uses.
FORGED_ID = 10**9
FLOOD = 20_000


@pytest.mark.tkelectron
async def test_messages_keep_the_order_they_were_sent_in_across_commits(compositor, tmp_path: Path):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        wc = window.web_contents
        if compositor == "tkhtml":
            assert socket_fd(window) in watched_fds()  # read by a Tk file handler, not trio
        steps = [
            ["send", 1], ["commit", "a"], ["send", 2], ["invoke", FORGED_ID, 3], ["send", 4],
            ["commit", "b"], ["paced", "c"], ["send", 5], ["invoke", FORGED_ID + 1, 6], ["commit", "d"],
            ["send", 7], ["paced", "e"], ["commit", "f"], ["send", 8],
        ]
        expected = [
            ("send", 1), ("commit", "a"), ("send", 2), ("invoke", 3), ("send", 4),
            ("commit", "b"), ("commit", "c"), ("send", 5), ("invoke", 6), ("commit", "d"), ("send", 7),
            ("commit", "e"), ("commit", "f"), ("send", 8),
        ]
        for _ in range(3):  # in one write each time: all of it is decoded by one read
            module.seen.clear()
            assert await wc.invoke("sequence", steps) == len(steps)
            await app.wait_for(lambda: len(module.seen) >= len(expected), what="every message handled")
            assert module.seen == expected
        assert window.get_title() == "f"
        # Inline reading resumed after the commits: the renderer's invoke is answered, the socket watched again.
        assert await wc.invoke("call-main", "echo", "after") == "after"
        if compositor == "tkhtml":
            assert socket_fd(window) in watched_fds()
        window.destroy()


@pytest.mark.tkelectron
@pytest.mark.parametrize("kind", ["garbage", "second-ready", "reserved-send"])
async def test_a_bad_message_read_inline_ends_only_that_renderer(compositor, tmp_path: Path, kind: str, caplog):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        victim = await open_window(app, module)
        bystander = await open_window(app, module)
        reasons = gone_reasons(victim)
        if compositor == "tkhtml":
            assert watched_fds() == {socket_fd(victim), socket_fd(bystander)}
            root = current_tk_root()
            tk_errors: list[Any] = []
            root.report_callback_exception = lambda *exc: tk_errors.append(exc)
        with caplog.at_level(logging.ERROR, logger="tkelectron"):
            with contextlib.suppress(RendererGoneError):  # killed before or after it answered
                await victim.web_contents.invoke("forge", kind)
            await app.wait_for(lambda: reasons, what="render-process-gone")
        # Main goes on: the other window answers both ways, and the victim was reported once.
        bw = bystander.web_contents
        assert await bw.invoke("echo", kind) == kind
        assert await bw.invoke("call-main", "echo", kind) == kind
        assert reasons == ["ipc-violation"]
        assert "renderer broke the protocol" in caplog.text
        if compositor == "tkhtml":
            assert watched_fds() == {socket_fd(bystander)}  # the victim's file handler is gone
            assert tk_errors == []  # nothing reached Tk's error handler
            del root.report_callback_exception
        victim.destroy()
        bystander.destroy()


@pytest.mark.tkelectron
async def test_a_partial_frame_still_meets_its_deadline(compositor, tmp_path: Path, caplog):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        victim = await open_window(app, module, frame_timeout=0.3)
        reasons = gone_reasons(victim)
        with caplog.at_level(logging.ERROR, logger="tkelectron"):
            # Its answer is queued behind the partial frame (it becomes part of it):
            # the renderer lives on and no frame completes, so only the deadline can end it.
            with contextlib.suppress(RendererGoneError):
                await victim.web_contents.invoke("forge", "short-frame")
            await app.wait_for(lambda: reasons, what="the partial frame's deadline")
        assert reasons == ["ipc-violation"]
        assert "was still incomplete after 0.3 s" in caplog.text
        if compositor == "tkhtml":
            assert watched_fds() == frozenset()
        victim.destroy()


@pytest.mark.tkelectron("tkhtml")
async def test_a_flooding_renderer_does_not_starve_tk_or_another_window(compositor, tmp_path: Path):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        victim = await open_window(app, module)
        bystander = await open_window(app, module)
        vid = victim.web_contents.id
        heard = module.flooded
        root = current_tk_root()
        # How much of the flood was handled each time a Tk timer and an idle
        # callback (where Tk redraws) ran, each re-armed for the next pass of
        # Tk's loop: counted, not timed. (A timer re-armed with `after 0` from
        # itself would starve Tk's idle queue, trio's ticks included.)
        timer_at: list[int] = []
        idle_at: list[int] = []
        answered_at: list[int] = []
        stop = False

        def timer() -> None:
            timer_at.append(heard.get(vid, 0))
            if timer_at[-1] < FLOOD and not stop:
                root.after_idle(lambda: root.after(0, timer))

        def idle() -> None:
            idle_at.append(heard.get(vid, 0))
            if idle_at[-1] < FLOOD and not stop:
                root.after(0, lambda: root.after_idle(idle))

        async def bystander_calls() -> None:
            await app.wait_for(lambda: heard.get(vid, 0) > 0, what="the flood to start")
            root.after(0, timer)
            root.after_idle(idle)
            for i in range(5):
                assert await bystander.web_contents.invoke("echo", i) == i
                answered_at.append(heard.get(vid, 0))

        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(bystander_calls)
                assert await victim.web_contents.invoke("flood", FLOOD) == FLOOD
                await app.wait_for(lambda: heard.get(vid, 0) == FLOOD, what="the whole flood")
                await app.wait_for(lambda: timer_at[-1:] == idle_at[-1:] == [FLOOD], what="Tk's callbacks")
        finally:
            stop = True
        assert heard[vid] == FLOOD  # nothing lost
        # Tk's timers and its idle queue ran all through the flood: between two
        # runs of each, a few fair slices at most (one read alone holds thousands).
        assert timer_at[0] < FLOOD and idle_at[0] < FLOOD
        widest_timer = max(b - a for a, b in itertools.pairwise(timer_at))
        widest_idle = max(b - a for a, b in itertools.pairwise(idle_at))
        assert 0 < widest_timer <= 8 * FAIR_SLICE_MESSAGES, widest_timer
        assert 0 < widest_idle <= 8 * FAIR_SLICE_MESSAGES, widest_idle
        # The other window's invokes were answered while the flood was still being read.
        assert len(answered_at) == 5 and answered_at[0] < FLOOD
        victim.destroy()
        bystander.destroy()


@pytest.mark.tkelectron
async def test_async_work_started_inline_completes(compositor, tmp_path: Path):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        wc = window.web_contents
        # An async invoke handler (a task started from the Tk callback), many times over.
        for i in range(20):
            assert await wc.invoke("call-main", "async-echo", i) == ["async", i]
        # An async listener of a one-way send: its task runs with nothing else to wake trio.
        assert await wc.invoke("send-main", "later", "x") == "sent"
        await app.wait_for(lambda: module.later == ["x"], what="the async listener")
        # main→renderer invokes: main's task resumes on a Result handled inline.
        for i in range(20):
            assert await wc.invoke("echo", i) == i
        window.destroy()


@pytest.mark.tkelectron("tkhtml")
async def test_no_file_handler_is_left_behind(compositor, tmp_path: Path):
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        first = socket_fd(window)
        assert watched_fds() == {first} and active_readers() == 1
        # A reload: the old renderer's reader is gone, the new one's watches its socket.
        await window.web_contents.reload()
        assert watched_fds() == {socket_fd(window)} and active_readers() == 1
        # A renderer killed from outside.
        reasons = gone_reasons(window)
        os.kill(window.web_contents.get_os_process_id(), signal.SIGKILL)
        await app.wait_for(lambda: reasons, what="render-process-gone")
        assert watched_fds() == frozenset() and active_readers() == 0
        await window.web_contents.reload()
        assert active_readers() == 1
        # A closed window.
        window.destroy()
        await app.wait_for(lambda: active_readers() == 0, what="the reader to end")
        assert watched_fds() == frozenset()


def test_the_leak_check_reports_a_file_handler_left_on_a_renderer_socket():
    # Every test's teardown asks leftovers(); a reader that left its handler behind fails it.
    from tkelectron.main import _tk_reader
    from tkelectron.testing._leaks import leftovers

    assert not any("Tk file handler" in found for found in leftovers())
    _tk_reader._watched.add(1_000_000)
    try:
        assert any("Tk file handler(s) still watching renderer socket(s) [1000000]" in f for f in leftovers())
    finally:
        _tk_reader._watched.discard(1_000_000)


@pytest.mark.tkelectron("tkhtml")
async def test_reading_queues_nothing_in_tks_idle_round(compositor, tmp_path: Path):
    """Fairness is counted between pauses, so reading a message queues no marker
    in Tk's idle round: nothing runs there ahead of the layout and redraw of
    what was just read (a click's commit), and a round trip costs no idle pass."""
    module = probe_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        window = await open_window(app, module)
        tk = current_tk_root().tk

        def idle_scripts() -> list[str]:
            return [str(tk.call("after", "info", i)[0]) for i in tk.splitlist(tk.call("after", "info"))
                    if str(tk.call("after", "info", i)[1]) == "idle"]

        # main's task resumes on the Result inside the reader's callback, before
        # Tk's idle round: whatever reading queued there would still be queued.
        for i in range(3):
            before = set(idle_scripts())
            assert await window.web_contents.invoke("echo", i) == i
            assert set(idle_scripts()) <= before, (idle_scripts(), before)
        window.destroy()
