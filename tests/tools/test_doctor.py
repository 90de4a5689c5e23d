"""``tkelectron doctor`` reports what a machine has, and what is missing.

The report's wording is checked against machines described here (the sandbox
probe's answers, the tools on PATH, the packages installed), each with the
lines doctor must print for it written out; the real machine's report is
checked against facts read independently of doctor (the effective uid, the
kernel's seccomp field in /proc), so no expectation comes from the code under
test.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tkinter
from pathlib import Path
from typing import Any

import msgspec
import pytest

import tkelectron.tools.doctor as doctor_module
from tkelectron.common._sandbox_policy import DEFAULT_MAX_MEMORY, DEFAULT_MAX_THREADS, probe
from tkelectron.testing._display import ensure_display
from tkelectron.tools.doctor import Check, collect, doctor, render

ROOT = Path(__file__).resolve().parents[2]
MIB = DEFAULT_MAX_MEMORY // 1024**2
ALL_LAYERS = ["pdeathsig", "privileges", "rlimits", "no_new_privs", "landlock", "seccomp"]


def _value(check: Check, name: str) -> str:
    found = [value for _, key, value in check.lines if key == name]
    assert len(found) == 1, f"{name!r} in {check.lines}"
    return found[0]


def _section(check: Check, section: str) -> list[tuple[str, str]]:
    return [(name, value) for where, name, value in check.lines if where == section]


def _machine(monkeypatch: pytest.MonkeyPatch, **answers: Any) -> None:
    """Doctor's sandbox probe answers ``answers`` (the rest of the real probe's report stays)."""
    real = probe()

    def described() -> Any:
        if isinstance(real, dict):
            return {**real, **answers}
        fields = dict(answers)
        if "landlock" in fields and not isinstance(real.landlock, dict):
            fields["landlock"] = type(real.landlock)(**fields["landlock"])
        return msgspec.structs.replace(real, **fields)

    monkeypatch.setattr(doctor_module, "probe", described)


MACHINES = {
    "root, every layer": (
        {
            "landlock_abi": 6, "landlock": {"fs": True, "net": True, "scope": True}, "seccomp": True,
            "unprivileged_userns": True, "layers": ALL_LAYERS, "missing": [], "root": True,
            "cgroup": "/sys/fs/cgroup/app", "cgroup_status": "delegated: /sys/fs/cgroup/app",
        },
        [
            ("Landlock", "ABI 6 (fs, net, scope)"),
            ("seccomp-bpf", "available"),
            ("user namespaces", "unprivileged allowed"),
            ("sandboxed renderer gets", "pdeathsig, privileges, rlimits, no_new_privs, landlock, seccomp"),
            ("privileges", "drops root: no capabilities, empty bounding set, its own uid"),
            ("default limits", f"{MIB} MiB address space, {DEFAULT_MAX_THREADS} threads"),
            ("per-renderer cgroup", "delegated: /sys/fs/cgroup/app"),
            ("missing layers", "none: sandbox='required' works here"),
        ],
    ),
    "a user with user namespaces, old Landlock, no seccomp": (
        {
            "landlock_abi": 3, "landlock": {"fs": True, "net": False, "scope": False}, "seccomp": False,
            "unprivileged_userns": True, "layers": ALL_LAYERS[:5], "missing": ["seccomp"], "root": False,
            "cgroup": None, "cgroup_status": "no cgroup v2",
        },
        [
            ("Landlock", "ABI 3 (fs)"),
            ("seccomp-bpf", "not available"),
            ("user namespaces", "unprivileged allowed"),
            ("sandboxed renderer gets", "pdeathsig, privileges, rlimits, no_new_privs, landlock"),
            ("privileges", "no capabilities, its own user namespace (an ordinary user)"),
            ("default limits", f"{MIB} MiB address space, {DEFAULT_MAX_THREADS} threads"),
            ("per-renderer cgroup", "skipped: no cgroup v2"),
            ("missing layers", "seccomp (sandbox=True warns; 'required' refuses)"),
        ],
    ),
    "a user without namespaces, Landlock or seccomp": (
        {
            "landlock_abi": 0, "landlock": {"fs": False, "net": False, "scope": False}, "seccomp": False,
            "unprivileged_userns": False, "layers": ALL_LAYERS[:4], "missing": ["landlock", "seccomp"], "root": False,
            "cgroup": None, "cgroup_status": "no cgroup v2",
        },
        [
            ("Landlock", "not available"),
            ("seccomp-bpf", "not available"),
            ("user namespaces", "not allowed"),
            ("sandboxed renderer gets", "pdeathsig, privileges, rlimits, no_new_privs"),
            ("privileges", "no capabilities (already an ordinary user)"),
            ("default limits", f"{MIB} MiB address space, threads unlimited (needs its own uid or user namespace)"),
            ("per-renderer cgroup", "skipped: no cgroup v2"),
            ("missing layers", "landlock, seccomp (sandbox=True warns; 'required' refuses)"),
        ],
    ),
}


@pytest.mark.parametrize("machine", MACHINES)
def test_the_sandbox_section_says_what_the_machine_has(monkeypatch: pytest.MonkeyPatch, machine: str) -> None:
    answers, lines = MACHINES[machine]
    _machine(monkeypatch, **answers)
    monkeypatch.delenv("DISPLAY", raising=False)
    check = collect()
    assert _section(check, "sandbox") == lines
    assert not [p for p in check.problems if "sandbox" in p.lower()]  # a weaker sandbox warns, never blocks


def test_the_real_machines_report_matches_what_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    check = collect()
    assert platform.python_version() in _value(check, "python")
    assert _value(check, "Tk/Tcl") == f"Tk {tkinter.TkVersion}, Tcl {tkinter.TclVersion}"
    privileges = _value(check, "privileges")
    assert privileges.startswith("drops root: ") == (os.geteuid() == 0)
    # The kernel lists a Seccomp field in /proc/<pid>/status when it was built with seccomp.
    status = Path("/proc/self/status").read_text()
    if "\nSeccomp:" not in status:
        assert _value(check, "seccomp-bpf") == "not available"


def test_missing_tools_are_reported_and_do_not_block(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Xvfb, xdotool and ImageMagick are for tests and screenshots: apps run without them."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert doctor() == 0
    out = capsys.readouterr().out
    for section in ("system:", "tk:", "display:", "sandbox:"):
        assert f"\n{section}\n" in f"\n{out}"
    check = collect()
    assert _value(check, "Xvfb") == "not installed (apt-get install xvfb)"
    assert _value(check, "xdotool") == "not installed (apt-get install xdotool)"
    assert _value(check, "ImageMagick import").startswith("not installed (apt-get install imagemagick;")
    assert _value(check, "DISPLAY").startswith("not set")
    assert out.rstrip().endswith("ready: tkelectron apps can run here.")


def test_a_missing_tkinterweb_is_a_problem(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    real_version = doctor_module._version
    monkeypatch.setattr(doctor_module, "_version", lambda dist: None if dist == "tkinterweb" else real_version(dist))
    assert doctor() == 1
    out = capsys.readouterr().out
    assert "NOT READY" in out
    assert "  - tkinterweb is not installed (pip install tkinterweb): the tkhtml compositor needs it" in out


def test_without_a_display_tkhtml_is_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    check = collect()
    assert _value(check, "Tkhtml").startswith("not checked: no display")
    assert _value(check, "DISPLAY").startswith("not set")


def test_with_a_display_tkhtml_really_loads() -> None:
    before = os.environ.get("DISPLAY")
    with ensure_display() as display:
        check = collect()
        tkhtml = _value(check, "Tkhtml")
        assert tkhtml.startswith("loads (Tkhtml ") and f"on {display}" in tkhtml
        assert _value(check, "DISPLAY") == f"{display} (reachable)"
    assert os.environ.get("DISPLAY") == before


def test_render_lists_problems_as_not_ready() -> None:
    check = Check()
    check.add("tk", "Tk/Tcl", "missing")
    check.problems.append("Tk: tkinter cannot be imported")
    text = render(check)
    assert "NOT READY" in text and "  - Tk: tkinter cannot be imported" in text


def test_exits_1_when_tkinter_cannot_be_imported() -> None:
    # A None entry in sys.modules is Python's own way to make an import fail.
    code = "import sys; sys.modules['tkinter'] = None; from tkelectron.tools.doctor import doctor; sys.exit(doctor())"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "NOT READY" in done.stdout and "tkinter cannot be imported" in done.stdout
