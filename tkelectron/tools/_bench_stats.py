"""Numbers and layout for ``tkelectron bench``: percentiles, rows, the table.

A benchmark on a shared two-core machine is noisy, so every figure is printed
beside the *floor* it should be compared with (measured in the same run) and
the ratio between them; the ratio is what carries from one machine to another.
"""

from __future__ import annotations

import math
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Latency", "Row", "percentile", "latency", "latency_row", "format_table", "machine_lines",
    "fmt_us", "fmt_ms", "fmt_rate", "fmt_ratio",
]


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``samples`` by the nearest-rank method.

    Nearest rank always returns a value that was actually observed, which is
    what a p99 over a few hundred samples should be.
    """
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    # ceil(q * n), minus a hair so 0.99 * 200 (198.00000000000003) ranks 198.
    rank = max(1, math.ceil(q * len(ordered) - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True, slots=True)
class Latency:
    """p50 and p99 of a set of latency samples, in microseconds."""

    p50_us: float
    p99_us: float
    count: int


def latency(samples_ns: Sequence[int]) -> Latency:
    """Summarise latency samples given in nanoseconds."""
    us = [s / 1000.0 for s in samples_ns]
    return Latency(percentile(us, 0.50), percentile(us, 0.99), len(us))


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table.

    ``figure`` and ``floor`` are already formatted; ``ratio`` is how many
    times costlier tkelectron is than the floor (latency divided by the
    floor's latency, or the floor's throughput divided by ours); a row that is
    itself a floor has a dash in both.
    """

    name: str
    figure: str
    floor: str = "—"
    ratio: str = "—"


def fmt_us(value: float) -> str:
    """A duration in µs, with precision that suits its size."""
    if value >= 10_000:
        return f"{value / 1000:.1f} ms"
    if value >= 100:
        return f"{value:.0f} µs"
    return f"{value:.1f} µs"


def fmt_ms(value_us: float) -> str:
    return f"{value_us / 1000:.1f} ms"


def fmt_rate(per_second: float, unit: str) -> str:
    """A rate such as ``1.42M msg/s`` or ``19.8k round trips/s``."""
    if per_second >= 1e6:
        return f"{per_second / 1e6:.2f}M {unit}/s"
    if per_second >= 1e3:
        return f"{per_second / 1e3:.1f}k {unit}/s"
    return f"{per_second:.0f} {unit}/s"


def fmt_ratio(value: float) -> str:
    return f"{value:.1f}×"


def latency_row(name: str, ours: Latency, floor: Latency | None) -> Row:
    """A p50/p99 row, with both ratios when there is a floor."""
    figure = f"{fmt_us(ours.p50_us)} / {fmt_us(ours.p99_us)}"
    if floor is None:
        return Row(name, figure)
    return Row(
        name,
        figure,
        f"{fmt_us(floor.p50_us)} / {fmt_us(floor.p99_us)}",
        f"{fmt_ratio(ours.p50_us / floor.p50_us)} / {fmt_ratio(ours.p99_us / floor.p99_us)}",
    )


def format_table(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table with a header."""
    header = Row("measurement", "tkelectron (p50 / p99)", "floor, same run", "× floor")
    cells = [header, *rows]
    widths = [max(len(getattr(r, field)) for r in cells) for field in ("name", "figure", "floor", "ratio")]

    def line(r: Row) -> str:
        parts = (r.name.ljust(widths[0]), r.figure.rjust(widths[1]), r.floor.rjust(widths[2]), r.ratio.rjust(widths[3]))
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for text in info:
                if text.lower().startswith(("model name", "hardware", "processor\t: ")) and ":" in text:
                    value = text.split(":", 1)[1].strip()
                    if value and not value.isdigit():
                        return value
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_lines() -> list[str]:
    """What the figures were measured on: CPU, cores, Python, kernel."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"cpu:    {_cpu_model()} ({cores} cores usable, {os.cpu_count()} online)",
        f"python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"kernel: {platform.system()} {platform.release()} {platform.machine()}",
    ]
