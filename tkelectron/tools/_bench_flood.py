"""How much one flooding renderer costs main: loop lag and memory, with and without.

Run it as ``python -m tkelectron.tools._bench_flood [seconds]`` (on the
current display, or on an Xvfb started for the run). One app runs on Tk with
the tkhtml compositor and two real sandboxed renderers. For ``seconds`` each,
two phases are measured:

- **quiet**: nothing happens but a bystander window answering an invoke now
  and then;
- **flood**: the other renderer (:mod:`._flood_renderer`) sends small text
  commits, a 500-element insert and its removal every round, console
  messages with escape sequences and stderr without newlines, as fast as main
  reads them, while the bystander keeps answering.

Main's *loop lag* is how late a Tk timer that asks for 5 ms fires: each
sample is the delay past the 5 ms, so it is the longest main's loop went
without turning. Printed: p50, p99 and max of it, the bystander's invoke
round trip, main's RSS growth over the phase, and what the flood sent.
Main's console printing goes to /dev/null during the run, so the table is
readable (and the figures do not depend on a terminal's speed).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._bench_stats import Row, fmt_us, machine_lines, percentile

__all__ = ["Phase", "run_flood_bench"]

APP = Path(__file__).parent / "_bench_flood_app"
_PERIOD_MS = 5


@dataclass
class Phase:
    """What one phase measured."""

    name: str
    lag_us: list[float] = field(default_factory=list)
    invoke_us: list[float] = field(default_factory=list)
    rss_before_kb: int = 0
    rss_after_kb: int = 0
    rss_peak_kb: int = 0
    sent: dict[str, int] = field(default_factory=dict)


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class _LagProbe:
    """A Tk timer asking for 5 ms, again and again; records how late it fires."""

    def __init__(self, root: Any, phase: Phase) -> None:
        self.root = root
        self.phase = phase
        self.running = True
        self._due = time.perf_counter() + _PERIOD_MS / 1000
        root.after(_PERIOD_MS, self._fire)

    def _fire(self) -> None:
        now = time.perf_counter()
        self.phase.lag_us.append(max(0.0, (now - self._due) * 1e6))
        self.phase.rss_peak_kb = max(self.phase.rss_peak_kb, _rss_kb())
        if self.running:
            self._due = time.perf_counter() + _PERIOD_MS / 1000
            self.root.after(_PERIOD_MS, self._fire)


async def _phase(phase: Phase, root: Any, seconds: float, bystander: Any, flooder: Any | None,
                 ids: dict[str, int]) -> None:
    import trio

    phase.rss_before_kb = _rss_kb()
    probe = _LagProbe(root, phase)
    done = trio.Event()

    async def flood() -> None:
        try:
            if flooder is not None:
                phase.sent = await flooder.web_contents.invoke("flood", seconds, ids["counter"], ids["list"])
            else:
                await trio.sleep(seconds)
        finally:
            done.set()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(flood)
        while not done.is_set():
            t0 = time.perf_counter()
            await bystander.web_contents.invoke("echo", 1)
            phase.invoke_us.append((time.perf_counter() - t0) * 1e6)
            with trio.move_on_after(0.05):
                await done.wait()
    probe.running = False
    phase.rss_after_kb = _rss_kb()


async def _measure(root: Any, seconds: float, phases: list[Phase]) -> None:
    from ..main._app import app
    from ..main._browser_window import BrowserWindow

    async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
        prefs = {"preload": str(APP / "preload.py")}
        flooder = BrowserWindow(width=480, height=360, web_preferences=prefs)
        bystander = BrowserWindow(width=480, height=360, web_preferences=prefs)
        await flooder.load_file(APP / "index.html")
        await bystander.load_file(APP / "index.html")
        doc = flooder._surface
        ids = {name: doc.query(f"#{name}")[0] for name in ("counter", "list")}
        for name, source in (("quiet", None), ("flood", flooder)):
            phase = Phase(name)
            await _phase(phase, root, seconds, bystander, source, ids)
            phases.append(phase)
        gone = flooder.web_contents.is_crashed()
        flooder.destroy()
        bystander.destroy()
        if gone:
            raise RuntimeError("main killed the flooding renderer: the bench measured nothing")


def _rows(phases: list[Phase]) -> list[Row]:
    rows = []
    for p in phases:
        lag = sorted(p.lag_us)
        rows.append(Row(f"{p.name}: main loop lag p50 / p99 / max",
                        f"{fmt_us(percentile(lag, 0.5))} / {fmt_us(percentile(lag, 0.99))} / {fmt_us(lag[-1])}"))
        inv = sorted(p.invoke_us)
        rows.append(Row(f"{p.name}: bystander invoke p50 / p99",
                        f"{fmt_us(percentile(inv, 0.5))} / {fmt_us(percentile(inv, 0.99))} ({len(inv)} invokes)"))
        rows.append(Row(f"{p.name}: main RSS growth (peak)",
                        f"{(p.rss_after_kb - p.rss_before_kb) / 1024:+.1f} MB "
                        f"({(p.rss_peak_kb - p.rss_before_kb) / 1024:+.1f} MB)"))
        if p.sent:
            rows.append(Row(f"{p.name}: sent by the renderer",
                            f"{p.sent['commits']} commits, {p.sent['console']} console messages, "
                            f"{p.sent['stderr_bytes'] / 2**20:.1f} MB stderr"))
    return rows


def run_flood_bench(seconds: float = 5.0) -> int:
    """Run both phases and print the table; returns an exit status."""
    from ..main._host import TkHost
    from ..testing._display import ensure_display

    phases: list[Phase] = []
    with contextlib.ExitStack() as stack:
        stack.enter_context(ensure_display())
        devnull = stack.enter_context(open(os.devnull, "w"))
        stack.enter_context(contextlib.redirect_stdout(devnull))
        host = TkHost()
        host.run(_measure, host.root, seconds, phases)
    print(f"tkelectron flood bench: {seconds:g} s per phase, Tk timer every {_PERIOD_MS} ms")
    for line in machine_lines():
        print(line)
    rows = _rows(phases)
    width = max(len(r.name) for r in rows)
    for row in rows:
        print(f"{row.name:<{width}}  {row.figure}")
    return 0


if __name__ == "__main__":
    sys.exit(run_flood_bench(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0))
