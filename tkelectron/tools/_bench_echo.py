"""Payload echo rows: bytes of 1 KB .. 10 MB, renderer → main → renderer.

The bench app's renderer invokes main's ``bench:echo`` with a bytes payload
and gets it back, ``count`` times per size, timing each round trip in the
renderer (``payload_loop`` in ``_bench_app/preload.py``). Values from
:data:`~tkelectron.common._shared_bytes.THRESHOLD` bytes on cross in sealed
memfds. The floor is the raw socket echo of the same bytes, measured in the
same run (:func:`._bench_floor.payload_echo`). Each row gives the median
round trip as bandwidth: the payload counted once per direction, MB = 10^6
bytes, as ``shared/perf-peers`` counts it.
"""

from __future__ import annotations

from typing import Any

from ._bench_stats import Row, fmt_ratio

__all__ = ["SIZES", "reps_for", "payload_echo", "payload_rows"]

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


async def payload_echo(window: Any, reps: dict[int, int], warmup: int = 1) -> dict[int, list[int]]:
    """Round-trip samples (ns) per payload size, timed by ``window``'s renderer."""
    samples: dict[int, list[int]] = {}
    for size, count in reps.items():
        samples[size] = list(await window.web_contents.invoke("bench:payload-loop", size, count, warmup))
    return samples


def _median(samples: list[int]) -> float:
    ordered = sorted(samples)
    return float(ordered[len(ordered) // 2])


def _size(size: int) -> str:
    return f"{size >> 20} MB" if size >= 1 << 20 else f"{size >> 10} KB"


def _mb_per_s(size: int, ns: float) -> float:
    return 2 * size / (ns / 1e9) / 1e6


def payload_rows(ours: dict[int, list[int]], floor: dict[int, list[int]], where: str) -> list[Row]:
    """One row per size: our bandwidth and its share of the floor's, beside the floor."""
    rows = []
    for size in ours:
        mine, raw = _mb_per_s(size, _median(ours[size])), _mb_per_s(size, _median(floor[size]))
        rows.append(Row(f"payload echo {_size(size)}, renderer→main→renderer{where}",
                        f"{mine:,.0f} MB/s ({100 * mine / raw:.0f} % of floor)",
                        f"{raw:,.0f} MB/s raw socket", fmt_ratio(raw / mine)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Only these rows: ``python -m tkelectron.tools._bench_echo [ROUND_TRIPS]`` (3000: the full bench's counts).

    The floor first, then tkelectron on Tk with the tkhtml compositor and a
    sandboxed renderer, as ``tkelectron bench`` measures them.
    """
    import sys

    from ..main._app import app
    from ..main._browser_window import BrowserWindow
    from ..main._host import TkHost
    from ..testing._display import ensure_display
    from . import _bench_floor
    from ._bench_ipc import PAGE, PRELOAD, BenchChannels
    from ._bench_stats import format_table, machine_lines

    args = sys.argv[1:] if argv is None else argv
    reps = reps_for(int(args[0]) if args else 3000)
    floor = {size: r.samples_ns for size, r in _bench_floor.payload_echo(reps).items()}
    ours: dict[int, list[int]] = {}

    async def run(root: Any) -> None:
        async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
            app.on("window-all-closed", lambda *_: None)  # the bench closes its windows itself
            BenchChannels().install()
            window = BrowserWindow(width=480, height=240, title="tkelectron bench",
                                   web_preferences={"preload": str(PRELOAD), "sandbox": True})
            await window.load_file(PAGE)
            ours.update(await payload_echo(window, reps))
            window.destroy()

    with ensure_display():
        host = TkHost()
        host.run(run, host.root)
    for text in machine_lines():
        print(text)
    print("echoes per size: " + ", ".join(f"{_size(size)}: {count}" for size, count in reps.items()))
    print(format_table(payload_rows(ours, floor, " (tkhtml)")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
