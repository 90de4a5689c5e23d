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


def _thread_counts(pid: int, tid: str) -> tuple[float, int] | None:
    """CPU seconds and voluntary context switches of one thread (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/task/{tid}/status", "rb") as f:
            switches = next(int(line.split()[1]) for line in f if line.startswith(b"voluntary_ctxt_switches:"))
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as f:
                cpu = int(f.read().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            cpu = (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    return cpu, switches


Sample = tuple[float, dict[tuple[int, str], tuple[float, int]]]


def _sample(pids: list[int]) -> Sample:
    """When (monotonic, before the reads), and each live thread's counts, over ``pids``."""
    now = time.monotonic()
    threads = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            counts = _thread_counts(pid, tid)
            if counts is not None:
                threads[pid, tid] = counts
    return now, threads


def _line(start: Sample, end: Sample) -> str:
    """Percent of one core and context switches per second between two samples.

    Per thread, so a thread that ends meanwhile does not take its whole
    count out of the sum: it counts one wake-up (it woke to end) and the CPU
    it used before is lost, so the figure is then a lower bound.
    """
    cpu = switches = 0.0
    for key, (end_cpu, end_switches) in end[1].items():
        start_cpu, start_switches = start[1].get(key, (0.0, 0))
        cpu += end_cpu - start_cpu
        switches += end_switches - start_switches
    switches += sum(1 for key in start[1] if key not in end[1])
    seconds = end[0] - start[0]
    return f"{100 * cpu / seconds!r} {switches / seconds!r}\n"


def main(argv: list[str]) -> None:
    seconds, me, pids = float(argv[0]), int(argv[1]), [int(pid) for pid in argv[2:]]
    give_up = time.monotonic() + _ASLEEP_WAIT
    while not _asleep(me) and time.monotonic() < give_up:
        time.sleep(0.001)  # this process polls so that main does not have to
    main_start, renderers_start = _sample([me]), _sample(pids)
    time.sleep(seconds)
    main_end, renderers_end = _sample([me]), _sample(pids)
    # Each reading divided by its own length, as the bench always did.
    sys.stdout.write(_line(main_start, main_end))
    sys.stdout.write(_line(renderers_start, renderers_end))


if __name__ == "__main__":
    main(sys.argv[1:])
