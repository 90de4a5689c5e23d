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
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from typing import Any

import trio

from ..main._browser_window import BrowserWindow

__all__ = ["IdleFigures", "idle_cpu", "process_cpu_seconds"]

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
            ))
    finally:
        for window in windows:
            window.destroy()
    return figures
