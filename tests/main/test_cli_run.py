"""`tkelectron run` in a real subprocess, as a user runs an app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

APPS = Path(__file__).resolve().parents[1] / "apps"


def test_a_plain_script_runs_prints_console_lines_with_the_window_id_and_exits_cleanly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", str(APPS / "plain_script" / "app.py"), "--compositor", "headless"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "[window 1] log: hello from the page" in lines
    assert any(line.startswith("[window 1] warning: careful") for line in lines)
    assert "main: loaded Plain page" in lines


def test_running_a_missing_app_fails_clearly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", "no/such/app.py"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "tkelectron run: no app at no/such/app.py (a folder with main.py, a .py file, or a module name)"


def test_running_without_a_display_says_so_in_one_line() -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", str(APPS.parent.parent / "demo_apps" / "set_title")],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("tkelectron run: cannot open Tk: no display name")
    assert "--compositor headless" in done.stderr


def test_help_is_plain_text() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "``" not in done.stdout and "`" not in done.stdout.replace("'", "")  # no reST markup
    assert "Run, test and ship desktop apps built on Tk" in done.stdout
    for command in ("run", "demo", "new", "doctor", "plugins", "bench"):
        assert f"    {command} " in done.stdout
    run_help = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", "--help"], capture_output=True, text=True, timeout=60, check=False
    ).stdout
    assert "--quiet" in run_help and "--verbose" in run_help and "a folder with main.py" in run_help
