"""``tkelectron bench``: IPC and UI latency, each beside its raw floor.

One run prints one table. The floors are measured first, in this process, with
nothing but sockets and msgspec (:mod:`._bench_floor`); then a real app runs
on Tk with the tkhtml compositor (on the current display, or on an Xvfb
started for the run) and a real renderer process, and the same shapes of
traffic are timed through tkelectron (:mod:`._bench_ipc`, :mod:`._bench_ui`);
last, 1, 5 and 20 windows sit idle while main's and the renderers' CPU time
is read (:mod:`._bench_idle`), beside the floor of an idle process: zero.
Every figure is printed with the floor it stands on and the ratio, because
ratios carry from machine to machine and absolute figures do not. One floor
is the round trip to a process that has been idle (``floor.woken_round_trips``):
a click reaches a renderer that has slept since the last one, and what the
machine charges for waking it bounds the click rows from below.

When no display can be had (no ``$DISPLAY`` and no Xvfb), the IPC rows run
under the headless compositor instead and the click row says why it is
missing.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _bench_floor as floor
from ._bench_echo import EchoFigures, echo_figures, payload_rows, reps_for
from ._bench_stats import (
    Latency,
    Row,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    format_table,
    latency,
    latency_row,
    machine_lines,
)

if TYPE_CHECKING:
    from ._bench_idle import IdleFigures
    from ._bench_ipc import SpawnFigures
    from ._bench_open import OpenFigures
    from ._bench_pages import PageFigures
    from ._bench_ui import ClickFigures

__all__ = ["IDLE_WINDOWS", "Plan", "run_bench"]

#: Window counts the idle-CPU rows are measured at.
IDLE_WINDOWS = (1, 5, 20)
#: Seconds both processes sleep before each woken floor round trip: about the
#: gap between two of the bench's clicks (shorter than most between a
#: person's), long enough for the child's core to have gone idle, as a
#: renderer's has when a click reaches it.
WOKEN_IDLE = 0.2


@dataclass(frozen=True, slots=True)
class Plan:
    """How many iterations each measurement gets."""

    round_trips: int
    warmup: int
    burst: int
    spawns: int
    clicks: int
    #: Clicks per list size and list replacements on the big-pages rows.
    page_clicks: int
    page_lists: int
    #: Seconds each idle-CPU reading lasts.
    idle_seconds: float
    #: Round trips to a floor child idle for WOKEN_IDLE seconds before each.
    woken: int

    @classmethod
    def for_run(cls, quick: bool) -> Plan:
        if quick:
            return cls(round_trips=200, warmup=20, burst=2_000, spawns=2, clicks=10, page_clicks=5, page_lists=3, idle_seconds=2.0,
                       woken=5)
        return cls(round_trips=3_000, warmup=300, burst=50_000, spawns=10, clicks=150, page_clicks=30, page_lists=10,
                   idle_seconds=5.0, woken=30)


@dataclass
class AppResults:
    """What one app run measured (nanosecond samples)."""

    compositor: str
    invoke_r2m: list[int] = field(default_factory=list)
    invoke_m2r: list[int] = field(default_factory=list)
    burst_ns: int = 0
    r2r_port_ns: int = 0
    r2r_main_ns: int = 0
    spawn: SpawnFigures | None = None
    clicks: ClickFigures | None = None
    pages: PageFigures | None = None
    opens: OpenFigures | None = None
    idle: list[IdleFigures] = field(default_factory=list)
    #: Payload echo round trips per size, ours and the raw socket's (``_bench_echo``).
    echo: EchoFigures | None = None


async def _measure(plan: Plan, compositor: str, root: Any, results: AppResults, full: bool) -> None:
    """Run the bench app and measure; ``full`` adds spawns and (on tkhtml) clicks."""
    from ..main._app import app
    from ..main._browser_window import BrowserWindow
    from ..main._heap import freeze_startup_heap
    from ._bench_ipc import (
        PAGE,
        PRELOAD,
        BenchChannels,
        burst,
        invoke_main_to_renderer,
        invoke_renderer_to_main,
        renderer_to_renderer,
        spawn_to_ready,
    )

    # As app.run starts an app: what start-up made is frozen out of the
    # collector's reach (main/_heap), so a full collection during a phase
    # walks what the app made since, not every module's objects too.
    freeze_startup_heap()
    async with app.running(compositor=compositor, root=root, entry_points=False, spare_renderers=0):
        # The bench closes windows as it goes; it decides when the app ends.
        app.on("window-all-closed", lambda *_: None)
        channels = BenchChannels()
        channels.install()
        window = BrowserWindow(width=480, height=240, title="tkelectron bench",
                               web_preferences={"preload": str(PRELOAD), "sandbox": True})
        await window.load_file(PAGE)
        results.invoke_r2m = await invoke_renderer_to_main(window, plan.round_trips, plan.warmup)
        results.invoke_m2r = await invoke_main_to_renderer(window, plan.round_trips, plan.warmup)
        if full:
            results.echo = await echo_figures(window, reps_for(plan.round_trips))
        results.burst_ns = await burst(window, channels, plan.burst)
        second = BrowserWindow(width=320, height=200, title="tkelectron bench (peer)",
                               web_preferences={"preload": str(PRELOAD), "sandbox": True})
        await second.load_file(PAGE)
        results.r2r_port_ns, results.r2r_main_ns = await renderer_to_renderer(window, second, channels, plan.burst)
        second.destroy()
        if full and compositor == "tkhtml":
            from ._bench_ui import click_latency

            results.clicks = await click_latency(window, plan.clicks, max(2, plan.clicks // 10))
            from ._bench_pages import page_figures

            results.pages = await page_figures(root, plan.page_clicks, plan.page_lists)
            from ._bench_open import open_figures

            results.opens = await open_figures(root, PAGE, {"preload": str(PRELOAD), "sandbox": True}, plan.spawns)
        if full:
            from ._bench_idle import idle_cpu

            results.spawn = await spawn_to_ready(channels, plan.spawns)
            window.destroy()  # idle windows only from here on
            results.idle = await idle_cpu(IDLE_WINDOWS, plan.idle_seconds, PAGE,
                                          {"preload": str(PRELOAD), "sandbox": True})


def _run_apps(plan: Plan) -> tuple[AppResults, AppResults | None, str]:
    """The tkhtml run (Tk host, as apps run) and a headless IPC-only run.

    Without a display the headless run does everything but the clicks, and
    the reason is returned for the table.
    """
    import trio

    from ..testing._display import ensure_display

    try:
        stack = contextlib.ExitStack()
        stack.enter_context(ensure_display())
    except RuntimeError as exc:
        results = AppResults("headless")
        trio.run(_measure, plan, "headless", None, results, True)
        return results, None, f"skipped: {exc}"
    with stack:
        from ..main._host import TkHost

        hosted = AppResults("tkhtml")
        host = TkHost()
        host.run(_measure, plan, "tkhtml", host.root, hosted, True)
    plain = AppResults("headless")
    trio.run(_measure, plan, "headless", None, plain, False)
    return hosted, plain, ""


@dataclass(frozen=True, slots=True)
class Floors:
    """The raw floors of this run."""

    round_trip: Latency
    #: The same round trip to a process idle WOKEN_IDLE seconds, the caller busy.
    woken_round_trip: Latency
    round_trips_per_s: float
    one_way_per_s: float
    spawn: Latency


def _ipc_rows(plan: Plan, run: AppResults, floors: Floors, where: str) -> list[Row]:
    send_rate = plan.burst / (run.burst_ns / 1e9)
    rows = [
        latency_row(f"invoke renderer→main round trip{where}", latency(run.invoke_r2m), floors.round_trip),
        Row(f"send renderer→main, burst of {plan.burst:,}{where}", fmt_rate(send_rate, "msg"),
            fmt_rate(floors.one_way_per_s, "msg"), fmt_ratio(floors.one_way_per_s / send_rate)),
        latency_row(f"invoke main→renderer round trip{where}", latency(run.invoke_m2r), floors.round_trip),
    ]
    for label, ns in (("over a MessagePort", run.r2r_port_ns), ("relayed by main", run.r2r_main_ns)):
        rate = plan.burst / (ns / 1e9)
        rows.append(Row(f"renderer→renderer {label}, burst of {plan.burst:,}{where}", fmt_rate(rate, "msg"),
                        fmt_rate(floors.one_way_per_s, "msg"), fmt_ratio(floors.one_way_per_s / rate)))
    return rows


def _rows(plan: Plan, hosted: AppResults, plain: AppResults | None, floors: Floors, skipped: str) -> list[Row]:
    rows = [
        latency_row("floor: socketpair ping-pong round trip", floors.round_trip, None),
        latency_row(f"floor: the same, to a process idle {WOKEN_IDLE * 1000:.0f} ms (caller busy), vs back to back",
                    floors.woken_round_trip, floors.round_trip),
        Row("floor: ping-pong round trips/s", fmt_rate(floors.round_trips_per_s, "round trips")),
        Row("floor: one-way frames, one burst", fmt_rate(floors.one_way_per_s, "msg")),
        Row("floor: bare python -I spawn → first byte (p50)", fmt_ms(floors.spawn.p50_us)),
    ]
    rows += _ipc_rows(plan, hosted, floors, f" ({hosted.compositor})")
    if hosted.echo is not None:
        rows += payload_rows(hosted.echo, f" ({hosted.compositor})")
    if hosted.clicks is not None:
        rows.append(latency_row("click → DOM commit applied (from Tk's ButtonPress)",
                                latency(hosted.clicks.from_tk_ns), floors.round_trip))
        rows.append(latency_row("click → DOM commit applied (incl. xdotool)",
                                latency(hosted.clicks.from_xdotool_ns), floors.round_trip))
    else:
        rows.append(Row("click → DOM commit applied", "skipped: no display"))
    if hosted.pages is not None:
        from ._bench_pages import page_rows

        rows += page_rows(hosted.pages)
    if hosted.opens is not None:
        plain_open = latency(hosted.opens.plain)
        for label, samples in (("no spare", hosted.opens.no_spare), ("warm spare", hosted.opens.warm_spare)):
            rows.append(latency_row(f"new window → first paint, {label}, vs plain tkhtml", latency(samples), plain_open))
    bare = floors.spawn.p50_us
    assert hosted.spawn is not None
    for sandbox, label in ((True, "on"), (False, "off")):
        ready = latency(hosted.spawn.ready_ns[sandbox]).p50_us
        loaded = latency(hosted.spawn.loaded_ns[sandbox]).p50_us
        rows.append(Row(f"renderer spawn → preload runs, sandbox {label} (p50)", fmt_ms(ready),
                        fmt_ms(bare), fmt_ratio(ready / bare)))
        rows.append(Row(f"renderer spawn → did-finish-load, sandbox {label} (p50)", fmt_ms(loaded),
                        fmt_ms(bare), fmt_ratio(loaded / bare)))
    for what, samples in (("preload runs", hosted.spawn.spare_ready_ns), ("did-finish-load", hosted.spawn.spare_loaded_ns)):
        p50 = latency(samples).p50_us
        rows.append(Row(f"renderer spawn → {what}, warm spare, sandbox on (p50)", fmt_ms(p50),
                        fmt_ms(bare), fmt_ratio(p50 / bare)))
    for what, samples in (("preload runs", hosted.spawn.zygote_ready_ns), ("did-finish-load", hosted.spawn.zygote_loaded_ns)):
        if samples:
            p50 = latency(samples).p50_us
            rows.append(Row(f"renderer start (no spare, zygote fork) → {what}, sandbox on (p50)", fmt_ms(p50),
                            fmt_ms(bare), fmt_ratio(p50 / bare)))
    rows += _idle_rows(hosted)
    if plain is not None:
        rows += _ipc_rows(plan, plain, floors, " (headless: plain trio.run)")
    return rows


def _idle_rows(run: AppResults) -> list[Row]:
    """Idle CPU per window count: main, then all renderers together; the floor is 0."""
    rows = []
    for idle in run.idle:
        for who, percent, wakeups in (("main", idle.main_percent, idle.main_wakeups_per_s),
                                      ("renderers (sum)", idle.renderers_percent, idle.renderers_wakeups_per_s)):
            rows.append(Row(f"idle CPU, {idle.windows} window{'s' if idle.windows > 1 else ''}: {who} ({run.compositor})",
                            f"{percent:.2f} % of a core, {wakeups * idle.seconds:.0f} wake-ups in {idle.seconds:g} s",
                            "0.00 %, 0 wake-ups"))
    return rows + _memory_rows(run)


def _memory_rows(run: AppResults) -> list[Row]:
    """Memory of main + renderers (+ zygote) at each window count, and per added window."""
    rows = []
    mib = 1024 * 1024
    for idle in run.idle:
        rows.append(Row(f"memory, {idle.windows} window{'s' if idle.windows > 1 else ''}: main + renderers, PSS / RSS",
                        f"{idle.total_pss / mib:.1f} MiB / {idle.total_rss / mib:.1f} MiB"))
    if len(run.idle) > 1 and run.idle[-1].windows > run.idle[0].windows:
        first, last = run.idle[0], run.idle[-1]
        added = last.windows - first.windows
        rows.append(Row(f"memory per extra window ({first.windows}→{last.windows}), PSS / RSS",
                        f"{(last.total_pss - first.total_pss) / added / mib:.1f} MiB / "
                        f"{(last.total_rss - first.total_rss) / added / mib:.1f} MiB"))
    return rows


def _sandbox_line(report: dict[str, Any]) -> str:
    layers = report.get("layers") or {}
    applied = [name for name, on in layers.items() if on]
    missing = report.get("missing") or []
    text = f"sandbox (sandbox=True renderers): applied {', '.join(applied) or 'nothing'}"
    return text + (f"; missing {', '.join(missing)}" if missing else "")


def run_bench(quick: bool = False) -> int:
    """Measure, then print the machine and one table to stdout. Returns 0."""
    plan = Plan.for_run(quick)
    started = time.monotonic()
    print("tkelectron bench" + (" --quick" if quick else ""))
    for text in machine_lines():
        print(text)
    pp = floor.ping_pong(plan.round_trips, plan.warmup)
    one_way = floor.one_way(plan.burst)
    floors = Floors(
        round_trip=latency(pp.samples_ns),
        woken_round_trip=latency(floor.woken_round_trips(plan.woken, WOKEN_IDLE).samples_ns),
        round_trips_per_s=len(pp.samples_ns) / (sum(pp.samples_ns) / 1e9),
        one_way_per_s=one_way.messages / (one_way.samples_ns[0] / 1e9),
        spawn=latency(floor.spawn(max(3, plan.spawns)).samples_ns),
    )
    hosted, plain, skipped = _run_apps(plan)
    host = "Tk mainloop hosting trio (guest mode)" if hosted.compositor == "tkhtml" else "plain trio.run"
    clicks = f"clicks: {plan.clicks} (xdotool); " if hosted.clicks is not None else ""
    print(f"main loop: {host}; compositor: {hosted.compositor}; round trips: {plan.round_trips:,} "
          f"(+{plan.warmup} warm-up); {clicks}spawns: {plan.spawns} per setting")
    print(_sandbox_line(hosted.spawn.sandbox_report if hosted.spawn else {}))
    print()
    print(format_table(_rows(plan, hosted, plain, floors, skipped)))
    print()
    print("× floor: latency ÷ floor latency (p50 / p99); for throughput, floor rate ÷ ours. "
          f"Measured in {time.monotonic() - started:.1f} s.")
    if skipped:
        print(f"click row {skipped}")
    return 0
