"""``tkelectron doctor`` reports what this machine really has."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tkinter
from pathlib import Path

import pytest

from tkelectron.common._sandbox_policy import DEFAULT_MAX_MEMORY, probe
from tkelectron.testing._display import ensure_display
from tkelectron.tools.doctor import Check, collect, doctor, render

ROOT = Path(__file__).resolve().parents[2]


def _value(check: Check, name: str) -> str:
    found = [value for _, key, value in check.lines if key == name]
    assert len(found) == 1, f"{name!r} in {check.lines}"
    return found[0]


def test_reports_python_tk_and_the_sandbox_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    check = collect()
    assert platform.python_version() in _value(check, "python")
    assert _value(check, "Tk/Tcl") == f"Tk {tkinter.TkVersion}, Tcl {tkinter.TclVersion}"
    found = probe()
    abi = found["landlock_abi"]
    landlock = _value(check, "Landlock")
    assert landlock.startswith(f"ABI {abi} (") if abi else landlock == "not available"
    assert _value(check, "seccomp-bpf") == ("available" if found["seccomp"] else "not available")
    assert _value(check, "sandboxed renderer gets") == (", ".join(found["layers"]) or "none")
    assert _value(check, "privileges").startswith("drops root: " if found["root"] else "no capabilities")
    counted_apart = found["root"] or found["unprivileged_userns"]
    assert _value(check, "default limits").endswith(" threads" if counted_apart else "user namespace)")
    assert _value(check, "default limits").startswith(f"{DEFAULT_MAX_MEMORY // 1024**2} MiB address space, ")
    cgroup = _value(check, "per-renderer cgroup")
    assert cgroup == (found["cgroup_status"] if found["cgroup"] else f"skipped: {found['cgroup_status']}")
    assert check.problems == []


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


def test_doctor_prints_sections_and_exits_0(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    assert doctor() == 0
    out = capsys.readouterr().out
    for section in ("system:", "tk:", "display:", "sandbox:"):
        assert f"\n{section}\n" in f"\n{out}"
    for tool in ("Xvfb", "xdotool", "ImageMagick import"):
        assert f"  {tool} " in out
    assert out.rstrip().endswith("ready: tkelectron apps can run here.")


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
