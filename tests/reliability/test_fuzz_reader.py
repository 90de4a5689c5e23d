"""Fuzzing main's reader (issue 9, Must show): random and mutated frames,
written by a real renderer onto its own socket, seeded so a failure repeats.

Every case must end one of two ways: main answers correctly (the same
renderer still echoes) or it kills that renderer as an ``ipc-violation`` —
never another reason, never a hang, never an exception in main. The
bystander window answers throughout, and main is still running at the end.

``TKELECTRON_FUZZ_CASES`` and ``TKELECTRON_FUZZ_SEED`` run more cases or
another seed (CI runs the default few hundred).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron import RendererGoneError
from tkelectron.testing import launch

from ._fault_support import fault_app, open_pair
from ._fuzz_frames import corpus, fuzz_case

CASES = int(os.environ.get("TKELECTRON_FUZZ_CASES", "200"))
SEED = int(os.environ.get("TKELECTRON_FUZZ_SEED", "20261201"))
#: Seconds a frame may stay incomplete here (a lying header ends quickly).
FRAME_TIMEOUT = 0.2
#: Seconds one case may take before it counts as a hang.
CASE_DEADLINE = 15.0

async def _run_case(pair: Any, i: int, data: bytes) -> str:
    """Write one case from the victim's renderer; "answer" or "ipc-violation"."""
    wc = pair.wc
    gone_before = len(pair.gone)
    try:
        await wc.invoke("fault", "frames", data)
        assert await wc.invoke("echo", i) == [i]  # the same renderer still answers, correctly
        return "answer"
    except RendererGoneError:
        pass
    await pair.app.wait_for(lambda: len(pair.gone) > gone_before, what=f"render-process-gone for case {i}")
    assert len(pair.gone) == gone_before + 1
    reason = pair.gone[-1].reason
    await wc.reload()
    return reason


@pytest.mark.tkelectron("headless")
async def test_fuzzed_frames_end_as_a_correct_answer_or_an_ipc_violation(compositor, tmp_path: Path):
    rng = random.Random(SEED)
    frames = corpus()
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor, spare_renderers=1) as app:
        pair = await open_pair(app, module, frame_timeout=FRAME_TIMEOUT)
        outcomes: dict[str, list[int]] = {}
        for i in range(CASES):
            data = fuzz_case(rng, frames)
            with trio.fail_after(CASE_DEADLINE):
                outcome = await _run_case(pair, i, data)
            outcomes.setdefault(outcome, []).append(i)
            if i % 40 == 0:
                await pair.bystander_answers(i)
        assert set(outcomes) <= {"answer", "ipc-violation"}, {k: v[:5] for k, v in outcomes.items()}
        # The seed exercises both outcomes (a fuzzer that only ever did one would prove little).
        assert len(outcomes.get("answer", [])) > CASES // 10 and len(outcomes.get("ipc-violation", [])) > CASES // 10
        await pair.bystander_answers("survived")
        assert app.app.is_ready()
