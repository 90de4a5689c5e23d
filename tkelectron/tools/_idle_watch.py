"""The idle bench's watcher: counts main's and the renderers' CPU and wake-ups from outside.

Run by :func:`._bench_idle.read_idle` as ``python -m tkelectron.tools._idle_watch
SECONDS MAIN_PID [RENDERER_PID ...]``. Main cannot time its own idling
without waking to start and end the reading (a trio deadline firing in Tk
wakes main and Tcl's notifier thread), which an idle reading would then
count. So this process waits until every thread of main is asleep, reads the
counters of main and of the renderers, sleeps ``SECONDS``, reads them again,
and only then writes two lines (main, then the renderers summed): percent of
one core, and voluntary context switches per second. Main wakes when that
answer arrives, after the second reading.

CPU time comes from each thread's ``/proc/PID/task/*/schedstat``
(nanoseconds) where the kernel has it: ``/proc/PID/stat`` counts clock ticks
(10 ms), so over a 2 s reading one tick alone would read as 0.5 % and less
than a tick as 0.0 %, and an idle figure must tell 0.04 % from 0.
"""

from __future__ import annotations

import os
import sys
import time

__all__ = ["main", "process_cpu_seconds"]

_TICKS = os.sysconf("SC_CLK_TCK")

#: How long to wait for main to fall asleep before reading anyway (s).
_ASLEEP_WAIT = 2.0


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


def _asleep(pid: int) -> bool:
    """Whether every thread of ``pid`` is asleep (state S), waiting for an event."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(b")") + 2:].split()[0] != b"S":
            return False
    return True


def _sample(pids: list[int]) -> tuple[float, float, int]:
    """When (monotonic, before the reads), CPU seconds and context switches summed over ``pids``."""
    now = time.monotonic()
    return now, sum(process_cpu_seconds(pid) for pid in pids), sum(_wakeups(pid) for pid in pids)


def _line(start: tuple[float, float, int], end: tuple[float, float, int], seconds: float) -> str:
    """Percent of one core and context switches per second between two samples."""
    return f"{100 * (end[1] - start[1]) / seconds!r} {(end[2] - start[2]) / seconds!r}\n"


def main(argv: list[str]) -> None:
    seconds, me, pids = float(argv[0]), int(argv[1]), [int(pid) for pid in argv[2:]]
    give_up = time.monotonic() + _ASLEEP_WAIT
    while not _asleep(me) and time.monotonic() < give_up:
        time.sleep(0.001)  # this process polls so that main does not have to
    main_start, renderers_start = _sample([me]), _sample(pids)
    time.sleep(seconds)
    main_end, renderers_end = _sample([me]), _sample(pids)
    # Each reading divided by its own length, as the bench always did.
    sys.stdout.write(_line(main_start, main_end, main_end[0] - main_start[0]))
    sys.stdout.write(_line(renderers_start, renderers_end, renderers_end[0] - renderers_start[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
