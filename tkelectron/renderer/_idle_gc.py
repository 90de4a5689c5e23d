"""The renderer's garbage collection, once it is idle instead of inside a page's work.

A page's DOM is full of reference cycles (an element holds its children, each
child its parent), so a list's rows, once replaced, are freed only by the
cycle collector. With CPython's own trigger (a young collection once
allocations outnumber deallocations by a threshold) that collection ran
wherever the count happened to cross it: most often inside the next refill,
between two rows (1000 rows refilled: ~1.4 ms, every other refill), with the
commit main was waiting for still unbuilt.

(At CPython's default of 700 a burst paid for a dozen collections finding
little to free; the renderer had raised it to 10,000, which left one or two
per burst, still inside it. What the renderer imported before the page is
frozen, ``renderer.__main__._tune_gc``: no collection walks it.)

So the renderer moves the trigger: CPython's threshold is raised to
:data:`BACKSTOP` (a turn that allocates that much without going idle is still
collected in its course), and after each flush of a turn's work (``Runtime.flush``)
:meth:`IdleCollector.check` looks at the count; past :data:`YOUNG` it wakes
:meth:`IdleCollector.run`, which waits until every other task of the renderer
is blocked — the commit and the answers written, the reader waiting for main
— and collects then, the generation CPython would have chosen. Main is busy
drawing the commit meanwhile; the collection costs it nothing.
"""

from __future__ import annotations

import gc

import trio

try:
    # trio.testing's own function, from the module that defines it: importing
    # trio.testing itself loads pytest and pluggy (its RaisesGroup), which a
    # renderer must not carry (tests/test_public_api.py checks what it imports).
    from trio._core._generated_run import wait_all_tasks_blocked
except ImportError:  # a trio that moved it (scripts/constraints.txt pins the checked one)
    from trio.testing import wait_all_tasks_blocked

__all__ = ["BACKSTOP", "YOUNG", "IdleCollector"]

#: Young objects (allocations less deallocations) past which a collection is
#: due once the renderer is idle.
YOUNG = 10_000
#: CPython's own young threshold while the idle collector runs.
BACKSTOP = 100_000


class IdleCollector:
    """Collects cyclic garbage when the renderer's loop is idle (see the module)."""

    def __init__(self) -> None:
        self._due = trio.Event()
        _, self._older, self._oldest = gc.get_threshold()
        self.collections = 0  # how many this collector ran (for tests)

    def install(self) -> None:
        """Raise CPython's trigger to the backstop (its older thresholds kept)."""
        gc.set_threshold(BACKSTOP, self._older, self._oldest)

    def check(self) -> None:
        """Called after each flush: wake :meth:`run` when a collection is due."""
        if gc.get_count()[0] >= YOUNG:
            self._due.set()

    async def run(self) -> None:
        """Collect whenever one is due and nothing else of the renderer can run."""
        while True:
            await self._due.wait()
            self._due = trio.Event()
            await wait_all_tasks_blocked()
            self.collect()

    def collect(self) -> None:
        """One collection of the generation CPython's own trigger would pick:
        the oldest whose count passed its threshold (older ones count the
        collections of the generation below)."""
        if not gc.isenabled():
            return  # the page turned the collector off: so be it
        young, older, oldest = gc.get_count()
        generation = 2 if oldest >= self._oldest else 1 if older >= self._older else 0
        if young or generation:
            gc.collect(generation)
            self.collections += 1
