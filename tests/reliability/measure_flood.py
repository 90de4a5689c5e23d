"""Measure a flood of async messages into main (not a test; run it by hand).

    PYTHONPATH=. .venv/bin/python tests/reliability/measure_flood.py [--task-per-message] [N]

One window's renderer sends N (default 100,000) messages on a channel whose
``ipc_main`` and window-scope listeners are ``async def`` and await 0–2
checkpoints each. Prints the most app tasks alive at once, main's RSS before
and at its peak, how many listener calls started out of arrival order, and the
time until the last one ran. ``--task-per-message`` measures the old way (every
call its own task) for comparison.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import trio

from tkelectron.main._ipc_main import IpcMain
from tkelectron.testing import launch

APP = Path(__file__).resolve().parent / "apps" / "load_probe"


def rss_mb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) // 1024


async def measure(count: int) -> str:
    async with launch(APP, compositor="headless") as app:
        probe = app.module
        probe.open_window()
        wc = (await app.first_window()).web_contents
        nursery = app.app.nursery
        done = probe.reset(count, 1, ("async",))
        peak_tasks, base, peak_rss = 0, rss_mb(), rss_mb()

        async def watch() -> None:
            nonlocal peak_tasks, peak_rss
            while not done.is_set():
                peak_tasks = max(peak_tasks, len(nursery.child_tasks))
                peak_rss = max(peak_rss, rss_mb())
                await trio.sleep(0.001)

        started = time.monotonic()
        async with trio.open_nursery() as watching:
            watching.start_soon(watch)
            await wc.invoke("flood", count)
            await done.wait()
        took = time.monotonic() - started
        heard = probe.heard[("async", wc.id)]
        out_of_order = sum(1 for a, b in itertools.pairwise(heard) if b < a)
        return (f"{count} messages: at most {peak_tasks} app tasks, RSS {base} -> {peak_rss} MB at the peak, "
                f"{out_of_order} started out of order, {took:.2f} s")


def main() -> None:
    args = sys.argv[1:]
    if "--task-per-message" in args:
        args.remove("--task-per-message")
        IpcMain._order_key = lambda self, event, args: None  # type: ignore[method-assign]
    print(trio.run(measure, int(args[0]) if args else 100_000))


if __name__ == "__main__":
    main()
