"""``tkelectron demo --tour``: every demo visited like a user, a real screenshot of each.

The tour runs in its own process (it hosts its own Tk and app loop), on the
session's display; each PNG is decoded and must be a window-sized picture
with several colours, not a blank or black frame.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from compositor._png import read_png  # tests/ is on sys.path (the root conftest's folder)

from tkelectron.demos.catalog import discover

REPO = Path(__file__).resolve().parents[2]


def distinct_colours(rows: list[bytes]) -> int:
    return len({row[i:i + 3] for row in rows[::3] for i in range(0, len(row), 9)})


def test_the_tour_visits_every_demo_and_saves_a_screenshot_of_each(tmp_path: Path, display: str) -> None:
    out = tmp_path / "shots"
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "demo", "--tour", "--out", str(out)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=path, DISPLAY=display),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    names = [demo.name for demo in discover()] + ["launcher"]
    saved = {p.name for p in out.glob("*.png")}
    assert {f"{name}.png" for name in names} <= saved, output  # (two-window demos add a second shot)
    for name in names:
        assert f"tour: {name:14} ok" in output, output
        width, height, rows = read_png(str(out / f"{name}.png"))
        assert width >= 300 and height >= 200, f"{name}.png is {width}x{height}"
        assert distinct_colours(rows) >= 4, f"{name}.png looks blank"
