"""What the IPC limits buy (issue 9): main's memory against a stuck renderer,
and a bystander's invoke latency against a flooding one.

Run it as ``python -m tkelectron.tools._bench_limits [seconds]`` (on the
current display, or on an Xvfb started for the run). One app runs on Tk with
the tkhtml compositor and real sandboxed renderers, with the default limits
(``send_high_water`` 8 MiB, ``send_limit`` 64 MiB). Measured:

- **stuck**: a renderer blocks its loop (a busy page) while main sends it
  16 KiB messages as fast as it can for ``seconds``; main's RSS is sampled
  every 100 ms, and at ``unresponsive``, at the cap and at the renderer's end. Past the high-water mark the window says ``unresponsive``;
  at the cap the renderer is killed (reason ``oom``) and the rest is dropped,
  so main's memory stays flat instead of growing ~180 MB/s.
- **flood**: a bystander window invokes back to back, first with nothing
  else going on (its baseline), then while another renderer bursts 20,000
  sends at a main listener that takes 0.5 ms each. Printed: the bystander's
  round trip (p50, p99, worst) in both phases, and main's part of it — from
  the moment the bystander's renderer answered (its CLOCK_MONOTONIC stamp)
  to the caller in main having the answer — which is what fair reading
  bounds; the rest is the renderers waiting for a CPU.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._bench_flood import _rss_kb
from ._bench_stats import fmt_us, machine_lines, percentile

__all__ = ["run_limits_bench"]

APP = Path(__file__).parent / "_bench_limits_app"
CHUNK = b"x" * 16384
FLOOD = 20_000
LISTENER_SECONDS = 0.0005


@dataclass
class Figures:
    rss_kb: list[tuple[float, int]] = field(default_factory=list)  # (seconds in, RSS)
    sends: int = 0
    unresponsive_at: float | None = None
    gone: str = ""
    gone_at: float | None = None
    baseline_us: list[float] = field(default_factory=list)
    flood_us: list[float] = field(default_factory=list)
    flooded: int = 0
    #: Per flood-phase invoke: how many flood messages main handled during it.
    flood_during: list[int] = field(default_factory=list)
    #: Per flood-phase invoke: from the renderer's answer to main having it (µs).
    main_delay_us: list[float] = field(default_factory=list)
    quiet_delay_us: list[float] = field(default_factory=list)
    #: Per flood-phase invoke: how many turns main's trio loop made during it.
    flood_ticks: list[int] = field(default_factory=list)


async def _stuck(figures: Figures, seconds: float, prefs: dict[str, Any]) -> None:
    import trio

    from ..main._browser_window import BrowserWindow

    window = BrowserWindow(width=320, height=240, web_preferences=prefs)
    await window.load_file(APP / "index.html")
    wc = window.web_contents
    start = time.perf_counter()

    def at() -> float:
        return time.perf_counter() - start

    def gone(event: Any, details: Any) -> None:
        figures.gone, figures.gone_at = details.reason, at()
        figures.rss_kb.append((at(), _rss_kb()))

    def unresponsive(event: Any) -> None:
        figures.unresponsive_at = figures.unresponsive_at or at()
        figures.rss_kb.append((at(), _rss_kb()))

    def overflow(queued: int) -> None:  # the moment main refuses more: its peak
        figures.rss_kb.append((at(), _rss_kb()))
        kill(queued)

    wc.on("unresponsive", unresponsive)
    wc.on("render-process-gone", gone)
    renderer = wc._renderer
    if renderer is None or renderer.conn.on_overflow is None:
        raise RuntimeError("the stuck phase needs a running renderer whose connection kills it on overflow")
    kill = renderer.conn.on_overflow
    renderer.conn.on_overflow = overflow

    async def stall() -> None:
        with contextlib.suppress(Exception):
            await wc.invoke("stall", seconds + 5)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(stall)
        await trio.sleep(0.1)  # let the stall reach the renderer
        figures.rss_kb.append((0.0, _rss_kb()))
        next_sample = 0.1
        while at() < seconds:
            for _ in range(64):
                wc.send("sink", CHUNK)
                figures.sends += 1
            if at() >= next_sample:
                figures.rss_kb.append((at(), _rss_kb()))
                next_sample += 0.1
            await trio.lowlevel.checkpoint()  # main's loop keeps turning (Tk, other windows)
        nursery.cancel_scope.cancel()
    window.destroy()


async def _flood(figures: Figures, seconds: float, prefs: dict[str, Any]) -> None:
    import trio

    class Turns(trio.abc.Instrument):
        count = 0

        def before_io_wait(self, timeout: float) -> None:
            Turns.count += 1

    trio.lowlevel.add_instrument(Turns())

    from ..main._browser_window import BrowserWindow
    from ..main._ipc_main import ipc_main

    def listener(event: Any, i: int) -> None:
        end = time.perf_counter() + LISTENER_SECONDS
        while time.perf_counter() < end:
            pass
        figures.flooded += 1
        flood_started.set()

    flood_started = trio.Event()
    ipc_main.on("flood", listener)
    flooder = BrowserWindow(width=320, height=240, web_preferences=prefs)
    bystander = BrowserWindow(width=320, height=240, web_preferences=prefs)
    await flooder.load_file(APP / "index.html")
    await bystander.load_file(APP / "index.html")

    async def invokes(into: list[float], delays: list[float], until: Any, during: list[int] | None = None) -> None:
        while not until():
            t0 = time.perf_counter()
            before = figures.flooded
            turns = Turns.count
            answered = await bystander.web_contents.invoke("stamp")
            into.append((time.perf_counter() - t0) * 1e6)
            delays.append((time.monotonic() - answered) * 1e6)
            if during is not None:
                during.append(figures.flooded - before)
                figures.flood_ticks.append(Turns.count - turns)
            await trio.sleep(0.001)

    end = time.perf_counter() + seconds
    await invokes(figures.baseline_us, figures.quiet_delay_us, lambda: time.perf_counter() > end)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(flooder.web_contents.invoke, "flood", FLOOD)
        await flood_started.wait()
        await invokes(figures.flood_us, figures.main_delay_us, lambda: figures.flooded >= FLOOD, figures.flood_during)
    ipc_main.remove_listener("flood", listener)
    flooder.destroy()
    bystander.destroy()


async def _measure(root: Any, seconds: float, figures: Figures) -> None:
    from ..main._app import app
    from ..main._heap import freeze_startup_heap

    freeze_startup_heap()  # as app.run() does
    async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
        prefs = {"preload": str(APP / "preload.py")}
        await _stuck(figures, seconds, prefs)
        await _flood(figures, min(seconds, 3.0), prefs)


def _print(figures: Figures, seconds: float) -> None:
    print(f"tkelectron limits bench: {seconds:g} s against a stuck renderer, {FLOOD} sends at a "
          f"{LISTENER_SECONDS * 1000:g} ms listener")
    for line in machine_lines():
        print(line)
    base = figures.rss_kb[0][1]
    peak_t, peak = max(figures.rss_kb, key=lambda s: s[1])
    last = figures.rss_kb[-1][1]
    late = [kb for t, kb in figures.rss_kb if t >= seconds / 2]
    print(f"stuck: sent {figures.sends} x 16 KiB ({figures.sends * len(CHUNK) / 2**20:.0f} MiB) in {seconds:g} s")
    print(f"stuck: unresponsive after {figures.unresponsive_at or float('nan'):.3f} s; "
          f"render-process-gone {figures.gone or 'never'} after {figures.gone_at or float('nan'):.3f} s")
    print(f"stuck: main RSS {base / 1024:.1f} MB at start, peak {peak / 1024:.1f} MB (+{(peak - base) / 1024:.1f}) "
          f"at {peak_t:.2f} s, {last / 1024:.1f} MB at the end; second half "
          f"{min(late) / 1024:.1f}-{max(late) / 1024:.1f} MB")
    for name, samples, delays in (("quiet", figures.baseline_us, figures.quiet_delay_us),
                                  ("flood", figures.flood_us, figures.main_delay_us)):
        ordered = sorted(samples)
        main_part = sorted(delays)
        print(f"{name}: bystander invoke p50 {fmt_us(percentile(ordered, 0.5))}, p99 "
              f"{fmt_us(percentile(ordered, 0.99))}, worst {fmt_us(ordered[-1])} ({len(ordered)} invokes); "
              f"main's part (renderer answered -> caller has it): p50 {fmt_us(percentile(main_part, 0.5))}, "
              f"p99 {fmt_us(percentile(main_part, 0.99))}, worst {fmt_us(main_part[-1])}")
    worst = max(figures.flood_us) - max(figures.baseline_us)
    print(f"flood: worst bystander invoke {worst / 1000:+.1f} ms beside the quiet worst")
    # How much of a bystander's wait was main busy with the flood? (The rest is
    # the renderers' own turn on the CPU.)
    during = sorted(figures.flood_during)
    worst_i = max(range(len(figures.flood_us)), key=figures.flood_us.__getitem__)
    print(f"flood: flood messages main handled during one bystander invoke: p50 {percentile(during, 0.5):.0f}, "
          f"max {during[-1]} (x {LISTENER_SECONDS * 1000:g} ms = {during[-1] * LISTENER_SECONDS * 1000:.1f} ms); "
          f"during the worst invoke {figures.flood_during[worst_i]}")
    ticks = sorted(figures.flood_ticks)
    print(f"flood: main loop turns during one bystander invoke: p50 {percentile(ticks, 0.5):.0f}, "
          f"p99 {percentile(ticks, 0.99):.0f}, max {ticks[-1]}; during the worst invoke {figures.flood_ticks[worst_i]}")


def run_limits_bench(seconds: float = 10.0) -> int:
    from ..main._host import TkHost
    from ..testing._display import ensure_display

    figures = Figures()
    logging.getLogger("tkelectron").setLevel(logging.CRITICAL)  # dropped-send warnings would flood stderr
    with contextlib.ExitStack() as stack:
        stack.enter_context(ensure_display())
        devnull = stack.enter_context(open(os.devnull, "w"))
        stack.enter_context(contextlib.redirect_stdout(devnull))
        host = TkHost()
        host.run(_measure, host.root, seconds, figures)
    _print(figures, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(run_limits_bench(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0))
