"""readable_paths (the allow-list the main process computes) and probe (for doctor)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import tkelectron
from tkelectron.common._sandbox_policy import LAYERS, landlock_abi, probe, readable_paths


def _covered(path: str, allowed: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == a or real.startswith(a.rstrip("/") + "/") for a in allowed)


def test_readable_paths_cover_python_framework_app_and_system_libraries(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    allowed = readable_paths(str(app))
    assert str(app.resolve()) in allowed or _covered(str(app), allowed)
    assert _covered(os.__file__, allowed)  # the stdlib
    assert _covered(pytest.__file__, allowed)  # site-packages
    assert _covered(os.path.dirname(tkelectron.__file__), allowed)
    for system in ("/etc/ld.so.cache", "/usr/lib", "/usr/share/zoneinfo"):
        if os.path.exists(system):
            assert _covered(system, allowed), system


def test_readable_paths_are_real_existing_and_minimal(tmp_path: Path) -> None:
    real_app = tmp_path / "real-app"
    real_app.mkdir()
    link = tmp_path / "link-to-app"
    link.symlink_to(real_app)
    allowed = readable_paths(str(link), extra=[str(real_app / "missing"), "/usr/lib", "/usr"])
    assert str(real_app) in allowed and str(link) not in allowed
    assert all(os.path.exists(path) and os.path.realpath(path) == path for path in allowed)
    assert len(allowed) == len(set(allowed))
    for path in allowed:
        others = [other for other in allowed if other != path]
        assert not _covered(path, others), f"{path} lies inside another listed folder"
    assert "/usr" in allowed and "/usr/lib" not in allowed  # the child was dropped


def test_readable_paths_leave_out_the_working_directory_and_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `python -m` puts the working directory on sys.path; that is often the
    # user's home and must not become readable wholesale.
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "path", ["", str(cwd), os.path.expanduser("~"), "/", *sys.path])
    allowed = readable_paths(str(tmp_path / "elsewhere"))
    assert not _covered(str(cwd), allowed)
    assert "/" not in allowed
    assert os.path.realpath(os.path.expanduser("~")) not in allowed


def test_readable_paths_include_extra(tmp_path: Path) -> None:
    extra = tmp_path / "assets"
    extra.mkdir()
    assert str(extra) in readable_paths(str(tmp_path / "app"), extra=[str(extra)])


def test_probe_describes_this_machine() -> None:
    report = probe()
    assert set(report) == {
        "platform", "kernel", "arch", "landlock_abi", "landlock", "seccomp",
        "unprivileged_userns", "layers", "missing", "root", "cgroup", "cgroup_status",
    }  # fmt: skip
    assert report["root"] == (os.geteuid() == 0)
    assert (report["cgroup"] is None) == (not report["cgroup_status"].startswith("delegated: "))
    assert report["platform"] == ("linux" if sys.platform.startswith("linux") else sys.platform)
    assert report["kernel"] == os.uname().release
    assert report["landlock_abi"] == landlock_abi()
    assert report["layers"] + report["missing"] == [layer for layer in LAYERS if layer in report["layers"]] + [
        layer for layer in LAYERS if layer in report["missing"]
    ]
    assert sorted(report["layers"] + report["missing"]) == sorted(LAYERS)
    assert ("landlock" in report["layers"]) == bool(report["landlock_abi"])
    assert ("seccomp" in report["layers"]) == report["seccomp"]
    abi = report["landlock_abi"] or 0
    assert report["landlock"] == {"fs": abi >= 1, "net": abi >= 4, "scope": abi >= 6}
