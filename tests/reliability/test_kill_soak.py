"""kill -9 a renderer mid-invoke, again and again: the pending calls fail at once,
main's handler for the dead renderer is cancelled, and nothing accumulates —
open fds, the app's tasks and child processes stay flat.

``TKELECTRON_KILL_CYCLES=100`` runs issue 9's 100 cycles; CI runs fewer.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron import RendererGoneError
from tkelectron.main._listeners import main_listeners
from tkelectron.testing import launch
from tkelectron.testing._leaks import renderer_children

APP = Path(__file__).resolve().parent / "apps" / "load_probe"
CYCLES = int(os.environ.get("TKELECTRON_KILL_CYCLES", "10"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def pending_call(wc: Any, failures: list[BaseException]) -> None:
    """Invoke main -> renderer -> main (both pending); note the RendererGoneError it must end with."""
    try:
        await wc.invoke("call-main-hang")
    except RendererGoneError as exc:
        failures.append(exc)


@pytest.mark.tkelectron
async def test_kill_9_mid_invoke_fails_the_calls_and_leaks_nothing(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        probe = app.module
        nursery = app.app.nursery
        # A bystander window stays open throughout: it must keep answering, and
        # what the app starts once for its first window (main's own X
        # connection, say) is running before the baseline is taken.
        probe.open_window()
        bystander = await app.first_window()
        await app.wait_settled()

        def sample() -> tuple[int, int, int]:
            return open_fds(), len(nursery.child_tasks), len(renderer_children())

        baseline = sample()
        assert baseline[2] == 1
        for cycle in range(CYCLES):
            probe.reset_hang()
            window = probe.open_window()
            win = await app.wait_for_window(lambda w, want=window: w.window is want)
            wc = win.web_contents
            pid = wc.get_os_process_id()
            failures: list[BaseException] = []
            with trio.fail_after(20):
                async with trio.open_nursery() as calls:
                    calls.start_soon(pending_call, wc, failures)
                    await probe.hanging["started"].wait()  # main's handler for the renderer runs
                    os.kill(pid, signal.SIGKILL)
                await probe.hanging["ended"].wait()  # ...and is cancelled when its renderer dies
            assert len(failures) == 1, f"cycle {cycle}: the pending invoke did not fail with RendererGoneError"
            assert probe.hanging["running"] == 0
            window.destroy()
            # Every cycle must come back to exactly the baseline: a leaked fd,
            # task or process makes this wait time out.
            await app.wait_for(lambda: sample() == baseline, what=f"cycle {cycle} back to {baseline}")
            assert await bystander.web_contents.invoke("invokes", 1, 1) == 1  # the bystander still answers
        assert main_listeners.workers == 0
    assert renderer_children() == []
