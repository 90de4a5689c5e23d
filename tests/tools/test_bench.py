"""``tkelectron bench --quick``: one table, every row measured, each beside its floor.

Speed is never asserted (the machine is shared and noisy); what is asserted
is that every measurement really ran: each figure is a positive number and
each row that has a floor prints it and the ratio.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tkelectron.tools._bench_stats import Row, format_table, latency, percentile

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(µs|ms|k|M)?")

#: Rows that compare with a floor: (label pattern, figure has p50 / p99).
COMPARED = [
    (r"invoke renderer→main round trip \(tkhtml\)", True),
    (r"send renderer→main, burst of [\d,]+ \(tkhtml\)", False),
    (r"invoke main→renderer round trip \(tkhtml\)", True),
    (r"click → DOM commit applied \(from Tk's ButtonPress\)", True),
    (r"click → DOM commit applied \(incl\. xdotool\)", True),
    (r"click → drawn \(pixels\), empty page, vs plain tkhtml", True),
    (r"click → drawn \(pixels\), 1000 rows shown, vs plain tkhtml", True),
    (r"10k-row page: click → drawn \(pixels\), vs plain tkhtml", True),
    (r"1000-row list → laid out and drawn, vs plain tkhtml", True),
    (r"new window → first paint, no spare, vs plain tkhtml", True),
    (r"new window → first paint, warm spare, vs plain tkhtml", True),
    (r"renderer spawn → preload runs, sandbox on", False),
    (r"renderer spawn → did-finish-load, sandbox on", False),
    (r"renderer spawn → preload runs, sandbox off", False),
    (r"renderer spawn → did-finish-load, sandbox off", False),
    (r"renderer start \(no spare, zygote fork\) → preload runs, sandbox on", False),
    (r"renderer start \(no spare, zygote fork\) → did-finish-load, sandbox on", False),
    (r"invoke renderer→main round trip \(headless", True),
    (r"send renderer→main, burst of [\d,]+ \(headless", False),
    (r"invoke main→renderer round trip \(headless", True),
    (r"floor: the same, to a process idle 200 ms \(caller busy\), vs back to back", True),
]
FLOORS = [
    r"floor: socketpair ping-pong round trip",
    r"floor: ping-pong round trips/s",
    r"floor: one-way frames, one burst",
    r"floor: bare python -I spawn",
]


@pytest.fixture(scope="module")
def bench_output() -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tkelectron.cli", "bench", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _line(output: str, pattern: str) -> str:
    found = [line for line in output.splitlines() if re.match(pattern, line)]
    assert len(found) == 1, f"expected one row matching {pattern!r} in:\n{output}"
    return found[0]


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def _positive_numbers(cell: str) -> list[float]:
    values = [float(m.group(1)) for m in NUMBER.finditer(cell)]
    assert values, f"no number in {cell!r}"
    assert all(v > 0 for v in values), cell
    return values


def test_the_machine_is_described_above_the_table(bench_output: str) -> None:
    head = bench_output.split("measurement", 1)[0]
    assert re.search(r"^cpu:\s+.+\(\d+ cores usable", head, re.M)
    assert f"python: CPython {sys.version.split()[0]}" in head
    assert re.search(r"^kernel:\s+\S+", head, re.M)
    assert "sandbox (sandbox=True renderers): applied" in head


def test_every_floor_row_has_a_positive_figure(bench_output: str) -> None:
    for prefix in FLOORS:
        cells = _cells(_line(bench_output, prefix))
        _positive_numbers(cells[1])


def test_every_measured_row_has_figure_floor_and_ratio(bench_output: str) -> None:
    for prefix, p50_p99 in COMPARED:
        _name, figure, floor, ratio = _cells(_line(bench_output, prefix))
        figures = _positive_numbers(figure)
        assert len(figures) == (2 if p50_p99 else 1), figure
        _positive_numbers(floor)
        ratios = re.findall(r"(\d+(?:\.\d+)?)×", ratio)
        assert len(ratios) == (2 if p50_p99 else 1) and all(float(r) > 0 for r in ratios), ratio


IDLE_ROW = re.compile(r"(\d+\.\d\d) % of a core, (\d+) wake-ups in (\d+(?:\.\d+)?) s")


def _idle_rows(output: str, compositor: str) -> dict[tuple[int, str], str]:
    rows = {}
    for windows in (1, 5, 20):
        for who in ("main", "renderers (sum)"):
            plural = "s" if windows > 1 else ""
            label = re.escape(f"idle CPU, {windows} window{plural}: {who} ({compositor})")
            rows[windows, who] = _line(output, label)
    return rows


def test_idle_cpu_rows_for_1_5_and_20_windows_stand_beside_a_zero_floor(bench_output: str) -> None:
    for line in _idle_rows(bench_output, "tkhtml").values():
        _name, figure, floor, ratio = _cells(line)
        match = IDLE_ROW.fullmatch(figure)
        assert match, figure
        assert float(match.group(3)) > 0  # a reading that really lasted
        assert floor == "0.00 %, 0 wake-ups" and ratio == "—"


def test_process_cpu_seconds_reads_proc() -> None:
    from tkelectron.tools import _idle_watch
    from tkelectron.tools._idle_watch import process_cpu_seconds

    for read in (process_cpu_seconds, _idle_watch._stat_seconds):
        before = read(os.getpid())
        deadline = before + 0.05
        while read(os.getpid()) < deadline:
            sum(range(10_000))  # burn CPU until the kernel's count moves
        assert read(os.getpid()) >= deadline
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    assert process_cpu_seconds(child.pid) == 0.0  # reaped: no /proc entry left


def test_woken_round_trips_time_each_answer_after_both_sides_slept() -> None:
    from tkelectron.tools import _bench_floor

    started = time.monotonic()
    result = _bench_floor.woken_round_trips(3, 0.05, warmup=1)
    assert len(result.samples_ns) == 3 and all(ns > 0 for ns in result.samples_ns)
    assert time.monotonic() - started >= 4 * 0.05  # it slept before every round trip, warm-up included


def test_process_cpu_seconds_is_finer_than_a_clock_tick() -> None:
    """With schedstat a process's CPU time is nanoseconds, not a whole number of 10 ms ticks."""
    from tkelectron.tools import _idle_watch

    if _idle_watch._schedstat_seconds(os.getpid()) is None:
        pytest.skip("this kernel has no /proc/PID/task/*/schedstat")
    script = "import sys, time; sys.stdout.write('up'); sys.stdout.flush(); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.read(2) == b"up"  # started, now asleep
        ticks = _idle_watch.process_cpu_seconds(child.pid) * _idle_watch._TICKS
    finally:
        child.kill()
        child.wait()
    assert ticks > 0 and ticks != round(ticks)


def test_the_idle_reading_is_counted_from_outside_and_leaves_main_asleep() -> None:
    """The watcher reads main while main waits for its answer: an idle trio main wakes 0 times.

    Main's own reading (a trio deadline ending a sleep) would count the
    wake-ups that end it. A renderer that burns CPU shows in the renderers' row.
    The reading runs in a fresh process: pytest's holds threads earlier tests
    left (trio's cached workers exit 10 s after their last job), and one ending
    inside the reading is a real wake-up of that process.
    """
    reader = (
        "import sys, trio\n"
        "from tkelectron.tools import _bench_idle\n"
        "main, renderers = trio.run(_bench_idle.read_idle, [int(sys.argv[1])], 0.3)\n"
        "print(main.wakeups_per_s, main.percent, renderers.percent)\n"
    )
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        out = subprocess.run([sys.executable, "-c", reader, str(burner.pid)],
                             capture_output=True, text=True, check=True, timeout=60).stdout
    finally:
        burner.kill()
        burner.wait()
    wakeups, main_percent, renderers_percent = map(float, out.split())
    assert wakeups == 0 and main_percent == 0
    assert renderers_percent > 0


def test_a_thread_that_ends_during_the_reading_counts_one_wake_up_not_minus_its_history() -> None:
    """Summing live threads only, a thread ending mid-reading took its whole count out (-222 seen)."""
    from tkelectron.tools._idle_watch import _line

    start = (10.0, {(1, "1"): (1.0, 10), (1, "2"): (5.0, 200)})
    end = (12.0, {(1, "1"): (1.5, 12), (1, "3"): (0.25, 4)})  # "2" ended, "3" started
    percent, per_second = map(float, _line(start, end).split())
    assert percent == 100 * 0.75 / 2 and per_second == (2 + 4 + 1) / 2


MEMORY_ROW = re.compile(r"(\d+\.\d) MiB / (\d+\.\d) MiB")


def test_memory_rows_for_each_window_count_and_per_extra_window(bench_output: str) -> None:
    totals = []
    for windows in (1, 5, 20):
        plural = "s" if windows > 1 else ""
        cells = _cells(_line(bench_output, re.escape(f"memory, {windows} window{plural}: main + renderers, PSS / RSS")))
        match = MEMORY_ROW.fullmatch(cells[1])
        assert match, cells
        pss, rss = float(match.group(1)), float(match.group(2))
        assert 0 < pss <= rss, cells  # PSS shares pages out, RSS counts them in every process
        totals.append(pss)
    assert totals[0] < totals[2]  # twenty renderers cost more than one
    cells = _cells(_line(bench_output, re.escape("memory per extra window (1→20), PSS / RSS")))
    assert MEMORY_ROW.fullmatch(cells[1]), cells


def test_process_memory_reads_smaps_rollup() -> None:
    from tkelectron.tools._bench_idle import process_memory

    pss, rss = process_memory(os.getpid())
    block = bytearray(64 * 1024 * 1024)  # zero-filled: every page is touched
    grown_pss, grown_rss = process_memory(os.getpid())
    assert 0 < pss <= rss
    assert grown_rss - rss >= 60 * 1024 * 1024 and grown_pss - pss >= 60 * 1024 * 1024
    del block
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    assert process_memory(child.pid) == (0, 0)  # reaped: nothing to read


def test_the_table_is_one_table(bench_output: str) -> None:
    assert bench_output.count("measurement") == 1
    assert bench_output.count("floor, same run") == 1


def test_percentile_is_nearest_rank_of_observed_values() -> None:
    samples = list(range(1, 201))  # 1..200
    assert percentile(samples, 0.50) == 100
    assert percentile(samples, 0.99) == 198
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([5, 1, 3], 0.5) == 3
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_latency_converts_nanoseconds_to_microseconds() -> None:
    lat = latency([1_000, 2_000, 3_000, 400_000])
    assert (lat.p50_us, lat.p99_us, lat.count) == (2.0, 400.0, 4)


def test_format_table_aligns_columns() -> None:
    text = format_table([Row("a", "1 µs", "2 µs", "0.5×"), Row("longer name", "10 µs")])
    header, rule, first, second = text.splitlines()
    assert header.startswith("measurement") and set(rule) == {"-", " "}
    # Figures are right-aligned: they end in the same column on every line.
    ends = {line.index(fig) + len(fig) for line, fig in
            ((header, "tkelectron (p50 / p99)"), (first, "1 µs"), (second, "10 µs"))}
    assert len(ends) == 1
    assert first.endswith("0.5×") and second.endswith("—")


def test_without_any_display_the_ipc_rows_run_headless_and_the_click_row_says_why(tmp_path: Path) -> None:
    # No $DISPLAY and no Xvfb on PATH: a machine where no window can open.
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(PYTHONPATH=str(ROOT), PATH=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "tkelectron.cli", "bench", "--quick"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "main loop: plain trio.run; compositor: headless" in out
    assert re.search(r"^click → DOM commit applied\s+skipped: no display", out, re.M), out
    assert re.search(r"^click row skipped: .*Xvfb", out, re.M), out
    assert len(_idle_rows(out, "headless")) == 6
    for pattern in (r"invoke renderer→main round trip \(headless\)", r"renderer spawn → preload runs, sandbox on"):
        _name, figure, _floor, ratio = _cells(_line(out, pattern))
        _positive_numbers(figure)
        assert ratio.endswith("×")


PAYLOAD_ROW = re.compile(r"([\d,]+) MB/s \((\d+) % of floor\)")


def test_payload_echo_rows_stand_beside_the_raw_socket_echo(bench_output: str) -> None:
    for size in ("1 KB", "100 KB", "1 MB", "10 MB"):
        _name, figure, floor, ratio = _cells(_line(bench_output, rf"payload echo {size}, renderer→main→renderer \(tkhtml\)"))
        found = PAYLOAD_ROW.fullmatch(figure)
        assert found, figure
        assert float(found.group(1).replace(",", "")) > 0 and int(found.group(2)) >= 0, figure
        assert re.fullmatch(r"[\d,]+ MB/s raw socket", floor) and float(floor.split()[0].replace(",", "")) > 0, floor
        assert re.fullmatch(r"\d+\.\d×", ratio), ratio


def test_the_page_bench_runs_its_list_half_alone() -> None:
    # `_bench_pages 0 LISTS` used to die with "no samples" after measuring:
    # the click rows were asked for with no clicks taken.
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tkelectron.tools._bench_pages", "0", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    _positive_numbers(_cells(_line(done.stdout, r"1000-row list → laid out and drawn, vs plain tkhtml"))[1])
    assert "click → drawn" not in done.stdout


def test_page_rows_holds_a_row_only_for_each_figure_measured() -> None:
    from tkelectron.tools._bench_pages import PageFigures, page_rows

    clicks_only = PageFigures(clicks={0: [1_000], 1_000: [2_000], 10_000: [3_000]},
                              plain_clicks={0: [500], 1_000: [1_000], 10_000: [1_500]})
    assert [row.name for row in page_rows(clicks_only)] == [
        "click → drawn (pixels), empty page, vs plain tkhtml",
        "click → drawn (pixels), 1000 rows shown, vs plain tkhtml",
        "10k-row page: click → drawn (pixels), vs plain tkhtml",
    ]
    assert page_rows(PageFigures()) == []
