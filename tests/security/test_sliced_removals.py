"""A commit applied in slices frees what it removed before it builds the rest.

Between a sliced commit's slices Tk's idle round is held back (``skip_idle``),
and removed nodes are destroyed only after the idle rounds that lay out and
redraw their removal: without a free in the commit itself, a refilled list's
old rows lived on until the new ones were all built (10,000 rows: main's
memory +7 MB, and the next clicks slower). The renderer here is the
compromised one, so the commit is exactly the one written below.
"""

from __future__ import annotations

import pytest
from _compromised import compromised_app, fresh_id

from tkelectron.main._commit_rules import LIMITS

pytestmark = pytest.mark.tkelectron("tkhtml")


def _rows(count: int) -> str:
    return "".join(f'<li data-tke-id="{fresh_id()}">row {i}</li>' for i in range(count))


async def test_a_sliced_refill_destroys_the_old_rows_before_main_s_loop_runs(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        listing = fresh_id()
        await c.contained("commit", [["Insert", ids["body"], f'<ul data-tke-id="{listing}">{_rows(50)}</ul>', None]])
        surface = c.surface
        tk = surface.html_widget.tk
        old = surface.dom.search("li")
        assert len(old) == 50
        applied: list[int] = []
        alive: list[tuple[int, int]] = []  # (ops applied, old rows existing) each time main's loop ran
        real_apply = surface.apply
        surface.apply = lambda ops: (applied.append(1), real_apply(ops))
        rows = 5 * LIMITS.slice_elements  # in pieces: the paced path, more than one slice

        def tick() -> None:  # a Tk timer: it runs only when main's loop turns
            alive.append((len(applied), sum(1 for h in old if tk.call("info", "commands", h))))
            if len(alive) < 10_000 and len(surface.dom.search("li")) < rows:
                surface.toplevel.after(1, tick)

        surface.toplevel.after(1, tick)
        await c.contained("commit", [["SetHTML", listing, ""], ["Insert", listing, _rows(rows), None]])
        del surface.apply
        during = [left for n, left in alive if 0 < n < len(applied)]
        assert during, "main's loop never ran between slices"
        assert during == [0] * len(during), "old rows outlived the removal while the new were built"
        assert len(surface.dom.search("li")) == rows


async def test_a_commit_of_many_removals_forces_a_layout_at_most_once_a_slice(compositor, caplog):
    """Each free lays the document out first: freeing after every Remove of a
    long commit would lay out once per op, so it frees once a slice at most."""
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        rows = [fresh_id() for _ in range(3000)]
        items = "".join(f'<li data-tke-id="{i}">row {i}</li>' for i in rows)
        await c.contained("commit", [["Insert", ids["body"], f'<ul data-tke-id="{fresh_id()}">{items}</ul>', None]])
        surface = c.surface
        frees: list[int] = []
        applied: list[int] = []
        ticks: list[int] = []
        real_free, real_apply = surface.free_removed, surface.apply
        surface.free_removed = lambda: (frees.append(len(applied)), real_free())
        surface.apply = lambda ops: (applied.append(1), real_apply(ops))

        def tick() -> None:  # a Tk timer: it runs only when main's loop turns
            ticks.append(len(applied))
            if len(ticks) < 10_000 and len(applied) < len(rows):
                surface.toplevel.after(1, tick)

        surface.toplevel.after(1, tick)
        await c.contained("commit", [["Remove", i] for i in rows])
        del surface.free_removed, surface.apply
        slices = len({n for n in ticks if 0 < n < len(rows)}) + 1
        assert len(applied) == len(rows) and slices > 1, "the commit was not applied in slices"
        assert frees and frees[0] < len(rows)  # freed before the last op
        assert len(frees) <= slices, f"{len(frees)} frees for {slices} slices"
        assert not surface.dom.search("li")
