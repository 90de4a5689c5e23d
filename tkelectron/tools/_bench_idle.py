"""Idle CPU: what main and the renderers burn while nothing happens.

For each window count the bench opens that many windows on the bench page,
lets them settle (loaded, drawn, nothing pending), then reads the CPU time
main and every renderer used over a few seconds in which nobody clicks,
types or sends. Main's figure comes from ``getrusage`` (all its threads,
trio's I/O thread included), each renderer's from ``/proc/PID/stat``. The
floor is zero: a process that waits for events and gets none uses no CPU.
Wake-ups are voluntary context switches (every thread); main's include the
two or three that end the reading itself (trio's timer firing through its
I/O thread and Tk's notifier).

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
from dataclasses import dataclass
from typing import Any

import trio

from ..main._browser_window import BrowserWindow

__all__ = ["IdleFigures", "idle_cpu", "process_cpu_seconds", "process_memory"]

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


def _self_usage() -> tuple[float, int]:
    """Main's CPU seconds and voluntary context switches, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_nvcsw


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
    """User plus system CPU time of process ``pid`` (0.0 once it is gone)."""
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
            main_cpu, main_switches = _self_usage()
            renderers_cpu = sum(process_cpu_seconds(pid) for pid in pids)
            renderers_switches = sum(_wakeups(pid) for pid in pids)
            await trio.sleep(seconds)
            cpu_after, switches_after = _self_usage()
            figures.append(IdleFigures(
                windows=count, seconds=seconds,
                main_percent=100 * (cpu_after - main_cpu) / seconds,
                renderers_percent=100 * (sum(process_cpu_seconds(pid) for pid in pids) - renderers_cpu) / seconds,
                main_wakeups_per_s=(switches_after - main_switches) / seconds,
                renderers_wakeups_per_s=(sum(_wakeups(pid) for pid in pids) - renderers_switches) / seconds,
                total_pss=pss,
                total_rss=rss,
            ))
    finally:
        for window in windows:
            window.destroy()
    return figures
