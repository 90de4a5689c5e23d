"""lock_down's modes, its report, and refusing before locking anything.

``mode="required"`` must raise SandboxUnavailable naming each missing layer
before it applies any layer; the ``disable`` knob simulates a kernel without a
layer.  Every lockdown runs in a child; the child then reads back from the
kernel what is locked (no_new_privs, seccomp mode, pdeath signal,
RLIMIT_FSIZE, whether /etc/passwd is readable).
"""

from __future__ import annotations

import os
import signal
from typing import Any

import pytest
from _sandbox_support import SandboxEnv

from tkelectron.common._sandbox_policy import DEFAULT_MAX_MEMORY, DEFAULT_MAX_THREADS, LAYERS, OPTIONAL_LAYERS, probe
from tkelectron.renderer._privileges import RENDERER_UID_BASE
from tkelectron.renderer._sandbox import SandboxUnavailable, lock_down

PROBE = probe()
needs_full_sandbox = pytest.mark.skipif(bool(PROBE["missing"]), reason=f"missing here: {PROBE['missing']}")

UNTOUCHED = {"no_new_privs": 0, "seccomp": 0, "pdeathsig": 0, "passwd_readable": True}
LOCKED = {"no_new_privs": 1, "seccomp": 2, "pdeathsig": int(signal.SIGKILL), "fsize": [0, 0], "passwd_readable": False}


def _untouched(state: dict[str, Any]) -> None:
    assert {key: state[key] for key in UNTOUCHED} == UNTOUCHED, state
    assert state["fsize"] != [0, 0], state


def test_mode_false_does_nothing_and_says_so() -> None:
    # Safe in-process: mode False returns before touching anything.
    assert lock_down(["/nonexistent"], False) == {
        "sandboxed": False,
        "platform": "linux",
        "layers": {},
        "missing": [],
        "readable": 0,
    }


def test_mode_false_leaves_the_child_unlocked(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", mode=False)
    assert result["ok"], result
    _untouched(result["value"])


@needs_full_sandbox
@pytest.mark.parametrize("mode", [True, "required"])
def test_full_lockdown_report_and_kernel_state(sandbox_env: SandboxEnv, mode: bool | str) -> None:
    result = sandbox_env.run("state", mode=mode)
    assert result["ok"], result
    report = result["report"]
    abi = PROBE["landlock_abi"]
    layers = dict(report["layers"])
    privileges, rlimits = layers.pop("privileges"), layers.pop("rlimits")
    assert layers == {
        "pdeathsig": True,
        "cgroup": bool(PROBE["cgroup"]) and layers["cgroup"],
        "no_new_privs": True,
        "landlock": {"abi": abi, "fs": True, "net": abi >= 4, "scope": abi >= 6},
        "seccomp": True,
    }
    if not PROBE["cgroup"]:
        assert report["skipped"] == {"cgroup": PROBE["cgroup_status"]}
    state = result["value"]
    assert privileges["capabilities"] == state["capabilities"] == 0
    assert privileges["uid"] == state["uid"]
    started_as_root = PROBE["root"] and sandbox_env.user.uid is None
    # Counted apart: its own uid when started as root, else its own user namespace.
    own_uid = started_as_root or PROBE["unprivileged_userns"]
    assert privileges["own_uid"] is own_uid
    assert privileges["user_namespace"] is (own_uid and not started_as_root)
    if own_uid:
        assert privileges["bounding_set"] == state["bounding_set"] == 0
    if started_as_root:
        assert state["uid"][0] == RENDERER_UID_BASE + state["pid"] and state["dumpable"] == 0
    else:
        assert state["uid"] == [os.getuid() if sandbox_env.user.uid is None else sandbox_env.user.uid] * 3
    limit = DEFAULT_MAX_MEMORY
    assert rlimits | {"threads_unlimited_because": None} == {
        "fsize": 0, "core": 0, "rtprio": 0, "nice": 0, "msgqueue": 0, "address_space": limit,
        "threads": DEFAULT_MAX_THREADS if own_uid else None, "threads_unlimited_because": None,
    }  # fmt: skip
    assert state["address_space"] == [limit, limit] and state["rtprio"] == [0, 0]
    if own_uid:
        assert state["nproc"] == [DEFAULT_MAX_THREADS] * 2
    assert report["sandboxed"] is True
    assert report["platform"] == "linux"
    assert report["missing"] == []
    assert report["readable"] > 3
    assert set(report["timings_ms"]) == set(LAYERS) | set(OPTIONAL_LAYERS)
    assert "reasons" not in report
    assert {key: state[key] for key in LOCKED} == LOCKED


@pytest.mark.parametrize("disabled", [["landlock"], ["seccomp"], ["landlock", "seccomp"]])
def test_required_with_a_disabled_layer_refuses_before_locking(sandbox_env: SandboxEnv, disabled: list[str]) -> None:
    result = sandbox_env.run("state", mode="required", disable=disabled)
    assert result["phase"] == "lockdown", result
    assert result["error"] == "SandboxUnavailable"
    for layer in disabled:
        assert layer in result["message"]
    assert "nothing was applied" in result["message"]
    _untouched(result["state"])


@needs_full_sandbox
def test_best_effort_without_landlock_reports_it_missing(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", disable=["landlock"])
    assert result["ok"], result
    report = result["report"]
    assert report["missing"] == ["landlock"]
    assert report["layers"]["landlock"] is False
    assert report["layers"]["seccomp"] is True
    assert report["sandboxed"] is True  # seccomp still confines it
    assert report["reasons"] == {"landlock": "disabled"}
    state = result["value"]
    assert state["passwd_readable"] is True  # the knob really switched Landlock off
    assert state["seccomp"] == 2 and state["no_new_privs"] == 1


@needs_full_sandbox
def test_best_effort_without_seccomp_reports_it_missing(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", disable=["seccomp"])
    assert result["ok"], result
    assert result["report"]["missing"] == ["seccomp"]
    assert result["report"]["layers"]["seccomp"] is False
    assert result["value"]["seccomp"] == 0
    assert result["value"]["passwd_readable"] is False


def test_best_effort_with_nothing_confining_is_not_sandboxed(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", disable=["landlock", "seccomp"])
    assert result["ok"], result
    assert result["report"]["sandboxed"] is False
    assert result["report"]["missing"] == ["landlock", "seccomp"]


def test_refuses_while_another_thread_runs(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("with_thread")
    assert result["phase"] == "lockdown", result
    assert result["error"] == "RuntimeError"
    assert "single-threaded" in result["message"]
    _untouched(result["state"])


def test_non_linux_reports_every_layer_missing(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", platform="darwin")
    assert result["ok"], result
    report = result["report"]
    assert report["sandboxed"] is False
    assert report["platform"] == "darwin"
    assert report["missing"] == list(LAYERS)
    _untouched(result["value"])


def test_non_linux_required_raises_naming_every_layer(sandbox_env: SandboxEnv) -> None:
    result = sandbox_env.run("state", mode="required", platform="win32")
    assert result["phase"] == "lockdown" and result["error"] == "SandboxUnavailable", result
    for layer in LAYERS:
        assert layer in result["message"]
    _untouched(result["state"])


def test_invalid_arguments_are_refused_before_anything() -> None:
    with pytest.raises(ValueError, match="unknown sandbox layer"):
        lock_down([], True, disable={"selinux"})
    with pytest.raises(ValueError, match="mode"):
        lock_down([], "maybe")  # type: ignore[arg-type]


def test_sandbox_unavailable_names_its_layers() -> None:
    error = SandboxUnavailable({"landlock": "disabled", "seccomp": "no filter"})
    assert error.missing == ["landlock", "seccomp"]
    assert error.partial is False
    assert isinstance(error, RuntimeError)
    assert "landlock (disabled)" in str(error) and "seccomp (no filter)" in str(error)
