"""What ``tkelectron demo`` does: the launcher, one demo, or the tour."""

from __future__ import annotations

import sys
from pathlib import Path

from tkelectron.demos.catalog import DEMOS_DIR, discover

__all__ = ["run_launcher", "run_demo", "tour", "discover"]


def _run_app(folder: Path, compositor: str | None) -> int:
    from tkelectron.cli import main

    args = ["run", str(folder)]
    if compositor:
        args += ["--compositor", compositor]
    return main(args)


def run_launcher(compositor: str | None = None) -> int:
    """Open the launcher window (a tkelectron app itself)."""
    return _run_app(DEMOS_DIR / "launcher", compositor)


def run_demo(name: str, compositor: str | None = None) -> int:
    demos = {demo.name: demo for demo in discover()}
    if name not in demos:
        print(f"no demo named {name!r}; choose one of: {', '.join(demos)}", file=sys.stderr)
        return 2
    return _run_app(Path(demos[name].folder), compositor)


def tour(out: Path) -> int:
    """Run every demo under Xvfb, drive it like a user, save a screenshot of each."""
    from tkelectron.demos.tour import run_tour

    return run_tour(out)
