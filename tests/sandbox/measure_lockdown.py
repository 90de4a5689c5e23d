"""Measure the sandbox's costs on this machine (not a test; run it by hand).

    PYTHONPATH=. .venv/bin/python tests/sandbox/measure_lockdown.py   (from the repository root)

Prints the median time of ``readable_paths`` in this process, of each lockdown
layer inside fresh children (from the report's ``timings_ms``), and of
spawn-to-report for a child that imports only the sandbox modules ("lean") and
for one that imports the whole tkelectron package first ("full").
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tkelectron.common._sandbox_policy import LAYERS, OPTIONAL_LAYERS, probe, readable_paths

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RUNS = 20


def _child(app: str, lean: bool) -> tuple[float, dict[str, float]]:
    config = {
        "repo": str(REPO),
        "app": app,
        "attempt": "state",
        "lean": lean,
        "extra_path": [entry for entry in sys.path if entry and os.path.isdir(entry)],
    }
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-I", str(HERE / "_child.py"), json.dumps(config)],
        capture_output=True,
        check=True,
        cwd=app,
    ).stdout
    elapsed = (time.perf_counter() - started) * 1000
    result = json.loads(out.decode().splitlines()[-1])
    assert result["ok"] and not result["report"]["missing"], result
    return elapsed, result["report"]["timings_ms"]


def main() -> None:
    print(f"machine: {json.dumps(probe())}")
    with tempfile.TemporaryDirectory() as app:
        samples = []
        for _ in range(50):
            started = time.perf_counter()
            paths = readable_paths(app)
            samples.append((time.perf_counter() - started) * 1000)
        print(f"readable_paths: median {statistics.median(samples):.2f} ms ({len(paths)} paths)")
        for lean in (True, False):
            spawns: list[float] = []
            layers: dict[str, list[float]] = {name: [] for name in (*LAYERS, *OPTIONAL_LAYERS)}
            for _ in range(RUNS):
                elapsed, timings = _child(app, lean)
                spawns.append(elapsed)
                for name, value in timings.items():
                    layers[name].append(value)
            label = "lean" if lean else "full"
            per_layer = ", ".join(f"{name} {statistics.median(v):.3f}" for name, v in layers.items())
            print(f"[{label}] lockdown layers (median ms over {RUNS}): {per_layer}")
            total = statistics.median([sum(v[i] for v in layers.values()) for i in range(RUNS)])
            print(
                f"[{label}] lockdown total median {total:.3f} ms; spawn-to-report median "
                f"{statistics.median(spawns):.1f} ms (min {min(spawns):.1f}, max {max(spawns):.1f})"
            )


if __name__ == "__main__":
    main()
