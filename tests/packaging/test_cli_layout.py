"""The installed layout seen from the command line: one version, the launcher by entry point."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

import tkelectron
from tkelectron import cli


def test_one_version_source_and_python_dash_m() -> None:
    assert importlib.metadata.version("tkelectron") == tkelectron.__version__
    done = subprocess.run([sys.executable, "-m", "tkelectron", "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("usage: tkelectron")
    assert "package" in done.stdout


def test_the_demo_command_finds_the_launcher_by_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    (entry,) = importlib.metadata.entry_points(group=cli.LAUNCHER_GROUP)
    assert entry.value == "tkelectron.demos.launcher_cli"
    assert cli.main(["demo", "--list"]) == 0
    assert "set_title" in capsys.readouterr().out


def test_without_a_launcher_installed_demo_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.metadata.entry_points

    def without_launcher(**select: str):
        return [] if select.get("group") == cli.LAUNCHER_GROUP else real(**select)

    monkeypatch.setattr(importlib.metadata, "entry_points", without_launcher)
    assert cli.main(["demo", "--list"]) == 2
    assert capsys.readouterr().err.strip() == (
        "tkelectron demo: no demo launcher is installed (entry-point group 'tkelectron.launcher')"
    )
