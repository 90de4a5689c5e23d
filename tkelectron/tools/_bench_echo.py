"""Payload echo rows: bytes of 1 KB .. 10 MB, renderer → main → renderer.

The bench app's renderer invokes main's ``bench:echo`` with a bytes payload
and gets it back, ``count`` times per size, timing each round trip in the
renderer (``payload_loop`` in ``_bench_app/preload.py``). Values from
:data:`~tkelectron.common._shared_bytes.THRESHOLD` bytes on cross in sealed
memfds. The floor is the raw socket echo of the same bytes
(:func:`._bench_floor.payload_echo`), measured in the same run and
interleaved with ours, a third of the echoes at a time, so that a change in
the machine's load falls on both. Each row gives the median round trip as
bandwidth: the payload counted once per direction, MB = 10^6 bytes, as
``shared/perf-peers`` counts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _bench_floor
from ._bench_stats import Row, fmt_ratio

__all__ = ["SIZES", "EchoFigures", "reps_for", "echo_figures", "payload_rows"]

#: Payload sizes of the rows (KB = 1024 bytes).
SIZES = (1 << 10, 100 << 10, 1 << 20, 10 << 20)


def reps_for(round_trips: int) -> dict[int, int]:
    """Echoes per size for a run of ``round_trips`` invokes (3,000 full: 300 / 100 / 30 / 10)."""
    return {
        SIZES[0]: max(20, round_trips // 10),
        SIZES[1]: max(10, round_trips // 30),
        SIZES[2]: max(5, round_trips // 100),
        SIZES[3]: max(3, round_trips // 300),
    }


@dataclass
class EchoFigures:
    """Round trips (ns) per payload size: ours and the raw socket's."""

    ours: dict[int, list[int]] = field(default_factory=dict)
    floor: dict[int, list[int]] = field(default_factory=dict)


async def echo_figures(window: Any, reps: dict[int, int], rounds: int = 3) -> EchoFigures:
    """``reps[size]`` echoes per size through ``window``'s renderer and through the raw socket.

    In ``rounds`` turns, each a floor part then ours; the floor's blocking
    socket calls hold main's loop meanwhile (nothing else is measured then).
    """
    found = EchoFigures({size: [] for size in reps}, {size: [] for size in reps})
    for _ in range(rounds):
        for size, count in reps.items():
            part = max(1, -(-count // rounds))
            found.floor[size] += _bench_floor.payload_echo({size: part})[size].samples_ns
            found.ours[size] += list(await window.web_contents.invoke("bench:payload-loop", size, part, 1))
    return found


def _median(samples: list[int]) -> float:
    ordered = sorted(samples)
    return float(ordered[len(ordered) // 2])


def _size(size: int) -> str:
    return f"{size >> 20} MB" if size >= 1 << 20 else f"{size >> 10} KB"


def _mb_per_s(size: int, ns: float) -> float:
    return 2 * size / (ns / 1e9) / 1e6


def payload_rows(figures: EchoFigures, where: str) -> list[Row]:
    """One row per size: our bandwidth and its share of the floor's, beside the floor."""
    rows = []
    for size, ours in figures.ours.items():
        mine, raw = _mb_per_s(size, _median(ours)), _mb_per_s(size, _median(figures.floor[size]))
        rows.append(Row(f"payload echo {_size(size)}, renderer→main→renderer{where}",
                        f"{mine:,.0f} MB/s ({100 * mine / raw:.0f} % of floor)",
                        f"{raw:,.0f} MB/s raw socket", fmt_ratio(raw / mine)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Only these rows: ``python -m tkelectron.tools._bench_echo [ROUND_TRIPS]`` (3000: the full bench's counts).

    On Tk with the tkhtml compositor and a sandboxed renderer, as ``tkelectron
    bench`` measures them.
    """
    import sys

    from ..main._app import app
    from ..main._browser_window import BrowserWindow
    from ..main._host import TkHost
    from ..testing._display import ensure_display
    from ._bench_ipc import PAGE, PRELOAD, BenchChannels
    from ._bench_stats import format_table, machine_lines

    args = sys.argv[1:] if argv is None else argv
    reps = reps_for(int(args[0]) if args else 3000)
    found: list[EchoFigures] = []

    async def run(root: Any) -> None:
        async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
            app.on("window-all-closed", lambda *_: None)  # the bench closes its windows itself
            BenchChannels().install()
            window = BrowserWindow(width=480, height=240, title="tkelectron bench",
                                   web_preferences={"preload": str(PRELOAD), "sandbox": True})
            await window.load_file(PAGE)
            found.append(await echo_figures(window, reps))
            window.destroy()

    with ensure_display():
        host = TkHost()
        host.run(run, host.root)
    for text in machine_lines():
        print(text)
    print("echoes per size: " + ", ".join(f"{_size(size)}: {count}" for size, count in reps.items()))
    print(format_table(payload_rows(found[0], " (tkhtml)")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
