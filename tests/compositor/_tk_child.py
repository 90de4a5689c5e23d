"""Run Tk code in a child process: for checks whose failure is a crash of the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_tk_child(code: str, display: str) -> str:
    """Run ``code`` in a fresh interpreter on ``display``; its stdout once it exited 0.

    A non-zero exit (a segfault is -11) fails the calling test with the
    child's output."""
    env = dict(os.environ, DISPLAY=display, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False, env=env)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout
