"""Idle CPU: what main and the renderers burn while nothing happens.

For each window count the bench opens that many windows on the bench page,
lets them settle (loaded, drawn, nothing pending), then reads the CPU time
main and every renderer used over a few seconds in which nobody clicks,
types or sends. The reading is made from outside (:mod:`._idle_watch`): a
watcher process waits until main is asleep, reads main's and every
renderer's ``/proc`` counters (all threads, Tcl's notifier thread included;
CPU in nanoseconds from ``schedstat``), sleeps, reads them again and only
then answers, so main's figure holds neither the wake-ups that would start
and end a reading of its own nor the ``/proc`` reads. The floor is zero: a
process that waits for events and gets none uses no CPU. Wake-ups are
voluntary context switches (every thread). The rows print hundredths of a
percent beside the wake-up count, so 0.04 % does not print as 0.0 %.

Memory is read at each count too, from ``/proc/PID/smaps_rollup``: PSS
(proportional set size: a page shared by n processes counts 1/n in each, so
the sum over processes is what they cost together) and RSS, summed over main,
every renderer and the process renderers were forked from when that is not
main (the zygote), so sharing through the zygote is counted once. The bench
prints the cost of one more window, (figure at the largest count − figure at
one window) ÷ (windows added); the totals include main's heap as the earlier
phases of the bench left it (10k-row pages), so the per-window figure is the
one to compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import trio

from ..main._browser_window import BrowserWindow
from ._idle_watch import process_cpu_seconds

__all__ = ["IdleFigures", "Usage", "idle_cpu", "process_cpu_seconds", "process_memory", "read_idle"]

@dataclass(frozen=True, slots=True)
class IdleFigures:
    """CPU used while idle, as a percentage of one core over ``seconds``."""

    windows: int
    seconds: float
    main_percent: float
    renderers_percent: float
    #: Voluntary context switches per second: how often the processes woke.
    main_wakeups_per_s: float
    renderers_wakeups_per_s: float
    #: Memory of main, the renderers and their zygote together (bytes).
    total_pss: int = 0
    total_rss: int = 0


def process_memory(pid: int) -> tuple[int, int]:
    """PSS and RSS of process ``pid`` in bytes, from smaps_rollup ((0, 0) once it is gone)."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        return 0, 0
    return pss, rss


def _parent(pid: int) -> int | None:
    """The parent pid of ``pid`` (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    return int(stat[stat.rindex(b")") + 2:].split()[1])


def _memory(pids: list[int]) -> tuple[int, int]:
    """PSS and RSS summed over main, ``pids`` and any other parent of theirs (a zygote)."""
    me = os.getpid()
    counted = {me, *pids}
    counted.update(ppid for ppid in map(_parent, pids) if ppid is not None and ppid > 1)
    figures = [process_memory(pid) for pid in counted]
    return sum(pss for pss, _ in figures), sum(rss for _, rss in figures)


@dataclass(frozen=True, slots=True)
class Usage:
    """CPU (percent of one core) and wake-ups per second over one reading."""

    percent: float
    wakeups_per_s: float

    @classmethod
    def between(cls, start: tuple[float, float, int], end: tuple[float, float, int]) -> Usage:
        """From two (monotonic time, CPU seconds, context switches) readings."""
        seconds = end[0] - start[0]
        return cls(100 * (end[1] - start[1]) / seconds, (end[2] - start[2]) / seconds)


async def read_idle(pids: list[int], seconds: float) -> tuple[Usage, Usage]:
    """Main's and the renderers' (summed) usage over ``seconds``, counted from outside.

    A watcher process (:mod:`._idle_watch`) waits until every thread of main
    is asleep, reads main's and the renderers' ``/proc`` counters, sleeps,
    reads them again and only then writes its answer, which is what wakes
    main. So main's figure holds neither its own start and end of the
    reading (a trio deadline firing in Tk, Tcl's notifier thread: 3–5
    context switches and about half a millisecond of CPU) nor the reads.
    """
    read, write = os.pipe()
    try:
        # Popen from trio's thread (trio.lowlevel.open_process) would leave a
        # cached worker thread that wakes to exit 10 s later, inside a later
        # reading; the fork blocks main for a millisecond before this one.
        watcher = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-m", "tkelectron.tools._idle_watch", str(seconds), str(os.getpid()), *map(str, pids)],
            stdout=write, stdin=subprocess.DEVNULL)
        os.close(write)
        write = -1
        chunks = []
        while True:
            await trio.lowlevel.wait_readable(read)
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read)
        if write >= 0:
            os.close(write)
    if watcher.wait() != 0:
        raise RuntimeError(f"the idle watcher failed (exit status {watcher.returncode})")
    main, renderers = (Usage(float(cpu), float(wakeups)) for cpu, wakeups in
                       (line.split() for line in b"".join(chunks).decode().splitlines()))
    return main, renderers


async def _settle(windows: list[BrowserWindow]) -> None:
    for window in windows:
        await window.web_contents.wait_settled()
    # Tk's idle callbacks (layout, first paint) run once trio yields to it.
    await trio.sleep(0.5)


async def idle_cpu(counts: tuple[int, ...], seconds: float, page: Any, preferences: dict[str, Any]) -> list[IdleFigures]:
    """Open up to ``max(counts)`` windows, measuring idle CPU at each count."""
    windows: list[BrowserWindow] = []
    figures: list[IdleFigures] = []
    try:
        for count in counts:
            while len(windows) < count:
                window = BrowserWindow(width=320, height=200, title=f"tkelectron bench idle {len(windows) + 1}",
                                       web_preferences=dict(preferences))
                windows.append(window)
                await window.load_file(page)
            await _settle(windows)
            pids = [w.web_contents.get_os_process_id() for w in windows]
            pss, rss = _memory(pids)
            main, renderers = await read_idle(pids, seconds)
            figures.append(IdleFigures(
                windows=count, seconds=seconds,
                main_percent=main.percent, renderers_percent=renderers.percent,
                main_wakeups_per_s=main.wakeups_per_s, renderers_wakeups_per_s=renderers.wakeups_per_s,
                total_pss=pss,
                total_rss=rss,
            ))
    finally:
        for window in windows:
            window.destroy()
    return figures
