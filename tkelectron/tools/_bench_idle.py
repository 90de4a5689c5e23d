"""Idle CPU: what main and the renderers burn while nothing happens.

For each window count the bench opens that many windows on the bench page,
lets them settle (loaded, drawn, nothing pending), then reads the CPU time
main and every renderer used over a few seconds in which nobody clicks,
types or sends. Main's figure comes from ``getrusage`` (all its threads,
Tcl's notifier thread included; microseconds), each renderer's from its
threads' ``/proc/PID/task/*/schedstat`` (nanoseconds; ``/proc/PID/stat``'s
10 ms ticks where there is none). The rows print hundredths of a percent
and the wake-up count beside it, so 0.04 % does not print as 0.0 %.
Main's reading starts after and ends before the bench reads the renderers'
``/proc`` files, so that work (main's CPU, a few ms with 20 renderers) is
not counted as main idling; each figure is divided by its own reading's
length. The floor is zero: a process that waits for events and gets none
uses no CPU. Wake-ups are voluntary context switches (every thread); main's
include the two or three that end the reading itself (the bench's own timer
firing in Tk, through Tcl's notifier thread).

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
import resource
import time
from dataclasses import dataclass
from typing import Any

import trio

from ..main._browser_window import BrowserWindow

__all__ = ["IdleFigures", "Usage", "idle_cpu", "process_cpu_seconds", "process_memory", "read_idle"]

_TICKS = os.sysconf("SC_CLK_TCK")


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


def _self_usage() -> tuple[float, float, int]:
    """When (monotonic), main's CPU seconds and voluntary context switches, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.monotonic(), usage.ru_utime + usage.ru_stime, usage.ru_nvcsw


def _renderers_usage(pids: list[int]) -> tuple[float, float, int]:
    """When (monotonic, before the reads), the renderers' CPU seconds and context switches."""
    now = time.monotonic()
    return now, sum(process_cpu_seconds(pid) for pid in pids), sum(_wakeups(pid) for pid in pids)


def _wakeups(pid: int) -> int:
    """Voluntary context switches of every thread of ``pid`` (0 once it is gone)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"voluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def process_cpu_seconds(pid: int) -> float:
    """CPU time of process ``pid``, every live thread (0.0 once it is gone).

    From each thread's ``schedstat`` (nanoseconds on a CPU) where the kernel
    has it: ``/proc/PID/stat`` counts clock ticks (10 ms), so over a 2 s
    reading one tick alone would read as 0.5 % and less than a tick as 0.0 %,
    and an idle figure must tell 0.04 % from 0. Without schedstat, the ticks.
    """
    precise = _schedstat_seconds(pid)
    return precise if precise is not None else _stat_seconds(pid)


def _schedstat_seconds(pid: int) -> float | None:
    """Run time summed over ``pid``'s live threads, or None without schedstat."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    total, read = 0, False
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as f:
                total += int(f.read().split()[0])
            read = True
        except (OSError, ValueError, IndexError):
            pass  # a thread that just ended, or no schedstat in this kernel
    return total / 1e9 if read else None


def _stat_seconds(pid: int) -> float:
    """User plus system CPU time of ``pid`` from /proc/PID/stat, in clock ticks (0.0 once gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return 0.0
    # Fields after the parenthesised command name (which may hold spaces).
    fields = stat[stat.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


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
    """Main's and the renderers' (summed) usage while main sleeps ``seconds``.

    Main's reading is innermost: the bench's ``/proc`` reads of the renderers
    (a few ms of main's CPU with 20 of them) happen outside it.
    """
    renderers_start = _renderers_usage(pids)
    main_start = _self_usage()
    await trio.sleep(seconds)
    main_end = _self_usage()
    renderers_end = _renderers_usage(pids)
    return Usage.between(main_start, main_end), Usage.between(renderers_start, renderers_end)


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
