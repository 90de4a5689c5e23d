"""The flood bench runs both phases and prints every figure.

Speed is never asserted (the machine is shared); what is asserted is that
each measurement really ran: main's loop lag was sampled in both phases, the
bystander answered in both, and the flooding renderer sent commits, console
messages and stderr (and was not killed for it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_flood_bench_measures_both_phases() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tkelectron.tools._bench_flood", "0.5"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for phase in ("quiet", "flood"):
        lag = re.search(rf"{phase}: main loop lag p50 / p99 / max\s+([\d.]+) (µs|ms) / ([\d.]+) (µs|ms) / ([\d.]+)", out)
        assert lag, out
        assert re.search(rf"{phase}: bystander invoke p50 / p99\s+.*\((\d+) invokes\)", out), out
        assert re.search(rf"{phase}: main RSS growth \(peak\)\s+[+-][\d.]+ MB", out), out
    sent = re.search(r"flood: sent by the renderer\s+(\d+) commits, (\d+) console messages", out)
    assert sent and int(sent.group(1)) > 0 and int(sent.group(2)) > 0, out
    assert "\x1b" not in out  # main's own printing went nowhere near the table
