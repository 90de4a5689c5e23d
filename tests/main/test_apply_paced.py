"""A commit's ops are applied with pauses between them, none after the last
(``_renderer_messages.apply_paced``)."""

from __future__ import annotations

import trio

from tkelectron.common._messages import Op, SetText, SetTitle
from tkelectron.main._renderer_messages import apply_paced


def _run(ops: list[Op], closes_after: int | None = None) -> tuple[bool, list[str]]:
    steps: list[str] = []

    def apply(op: Op) -> None:
        steps.append(f"apply {type(op).__name__}")

    async def pace() -> None:
        steps.append("pace")
        await trio.lowlevel.checkpoint()

    def gone() -> bool:
        return closes_after is not None and steps.count("pace") >= closes_after

    async def main() -> bool:
        return await apply_paced(ops, apply, pace, gone)

    return trio.run(main), steps


def test_pauses_between_ops_and_none_after_the_last() -> None:
    done, steps = _run([SetText(1, ""), SetTitle("t"), SetText(2, "x")])
    assert done
    # Reported applied (dom-commit) right after the last op: a pause there let
    # Tk lay out and draw the change first, and the report came a round later.
    assert steps == ["apply SetText", "pace", "apply SetTitle", "pace", "apply SetText"]


def test_one_op_no_pause_and_nothing_no_pause() -> None:
    assert _run([SetTitle("t")]) == (True, ["apply SetTitle"])
    assert _run([]) == (True, [])


def test_a_window_closed_during_a_pause_stops_it() -> None:
    done, steps = _run([SetText(1, ""), SetTitle("t"), SetText(2, "x")], closes_after=1)
    assert not done
    assert steps == ["apply SetText", "pace"]
