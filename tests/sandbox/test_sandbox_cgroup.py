"""The per-renderer cgroup: where it goes, what is written, when it is skipped.

This machine's cgroup v2 hierarchy has no memory or pids controller (cgroup
v1 holds them), so a real renderer reports the layer skipped with that reason
(``test_sandbox_modes.py`` and ``tests/security/test_window_sandbox.py``
check the report against the kernel's own files). The tests here run the
file protocol — find the delegated parent, sweep exited renderers' cgroups,
create ours, write its limits, move in — on a stand-in tree shaped like
cgroupfs, so the code that a delegating machine runs is exercised; the
kernel's enforcement of ``memory.max``/``pids.max`` is not.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tkelectron.common import _cgroups
from tkelectron.common._cgroups import CGROUP_PREFIX, delegated_parent, join_renderer_cgroup


def _tree(root: Path, controllers: str, enabled: str) -> Path:
    """A cgroupfs-shaped tree: <root>/app.slice (delegated parent) holding main's leaf."""
    parent = root / "app.slice"
    (parent / "main").mkdir(parents=True)
    (parent / "cgroup.controllers").write_text(controllers + "\n")
    (parent / "cgroup.subtree_control").write_text(enabled + "\n")
    (parent / "cgroup.procs").write_text("")
    return parent


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(_cgroups, "_unified_mount", lambda: str(tmp_path))
    monkeypatch.setattr(_cgroups, "_own_cgroup", lambda: "/app.slice/main")
    return tmp_path


def test_a_delegated_parent_gets_the_renderer_s_cgroup_with_its_limits(stand_in: Path) -> None:
    parent = _tree(stand_in, "cpu memory pids", "memory pids")
    running = parent / f"{CGROUP_PREFIX}12"
    running.mkdir()
    (running / "cgroup.events").write_text("populated 1\nfrozen 0\n")

    assert delegated_parent() == (str(parent), f"delegated: {parent}")
    report = join_renderer_cgroup(512 * 1024**2, 32)
    ours = parent / f"{CGROUP_PREFIX}{os.getpid()}"
    assert report == {"path": str(ours), "memory_max": 512 * 1024**2, "pids_max": 32}
    assert (ours / "memory.max").read_text() == str(512 * 1024**2)
    assert (ours / "pids.max").read_text() == "32"
    assert (ours / "cgroup.procs").read_text() == "0"  # "0": the writing process moves itself
    assert (running / "cgroup.events").exists()  # a live renderer's cgroup is never touched


def test_without_limits_only_the_move_is_written(stand_in: Path) -> None:
    parent = _tree(stand_in, "memory pids", "memory pids")
    join_renderer_cgroup(None, None)
    ours = parent / f"{CGROUP_PREFIX}{os.getpid()}"
    assert sorted(p.name for p in ours.iterdir()) == ["cgroup.procs"]


@pytest.mark.parametrize(
    ("controllers", "enabled", "why"),
    [
        ("cpu io", "", "has no memory and pids controller"),
        ("cpu memory", "memory", "has no pids controller"),
        ("memory pids", "memory", "not delegated: "),
        ("memory pids", "", "does not enable memory and pids for its children"),
    ],
)
def test_no_delegation_is_a_reason_not_a_failure(stand_in: Path, controllers: str, enabled: str, why: str) -> None:
    _tree(stand_in, controllers, enabled)
    parent, reason = delegated_parent()
    assert parent is None and why in reason
    with pytest.raises(LookupError, match=why):
        join_renderer_cgroup(1024**3, 64)


def test_this_machine_s_answer_comes_from_its_own_cgroup_files() -> None:
    parent, reason = delegated_parent()
    if parent is None:
        assert reason and not reason.startswith("delegated")
    else:
        assert reason == f"delegated: {parent}" and os.path.isdir(parent)
