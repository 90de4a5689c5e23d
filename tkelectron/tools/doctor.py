"""``tkelectron doctor``: what this machine offers tkelectron.

It reports, in order: the platform and Python; Tk/Tcl and tkinterweb, and
whether the Tkhtml engine actually loads into a Tk interpreter (checked in a
child process, and only when an X display is reachable, since a Tk root needs
one); the display and the tools tests and screenshots use (Xvfb, xdotool,
ImageMagick's ``import``); and the kernel features behind the renderer
sandbox, with the layers a sandboxed renderer will get here
(:func:`tkelectron.common._sandbox_policy.probe`).

Tk, tkinterweb and (with a display) a loadable Tkhtml are required to run
apps with windows: missing any of them makes ``doctor`` exit 1. Everything
else is information: apps run without Xvfb, and the sandbox degrades with a
warning where the kernel lacks a layer.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

from ..common._sandbox_policy import DEFAULT_MAX_MEMORY, DEFAULT_MAX_THREADS, probe
from ..testing._display import display_reachable

__all__ = ["Check", "collect", "render", "doctor"]

# Runs in a child so a broken Tk or Tkhtml cannot take doctor down with it.
_TK_PROBE = """
import json, tkinter
root = tkinter.Tk()
root.withdraw()
from tkinterweb import HtmlFrame
frame = HtmlFrame(root, messages_enabled=False)
print(json.dumps({"tk": str(root.tk.call("info", "patchlevel")),
                  "tkhtml": str(root.tk.call("package", "present", "Tkhtml"))}))
frame.destroy()
root.destroy()
"""
_TK_PROBE_TIMEOUT = 30.0


@dataclass
class Check:
    """Everything doctor found: ``(section, name, value)`` lines and problems."""

    lines: list[tuple[str, str, str]] = field(default_factory=list)
    #: What is missing that apps need; non-empty means exit status 1.
    problems: list[str] = field(default_factory=list)

    def add(self, section: str, name: str, value: str) -> None:
        self.lines.append((section, name, value))


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _tk(check: Check) -> None:
    try:
        import tkinter
    except ImportError as exc:
        check.add("tk", "Tk/Tcl", f"missing ({exc})")
        check.problems.append("Tk: Python's tkinter cannot be imported (Debian: apt-get install python3-tk)")
        return
    check.add("tk", "Tk/Tcl", f"Tk {tkinter.TkVersion}, Tcl {tkinter.TclVersion}")
    web = _version("tkinterweb")
    check.add("tk", "tkinterweb", web or "missing")
    if web is None:
        check.problems.append("tkinterweb is not installed (pip install tkinterweb): the tkhtml compositor needs it")
        return
    display = os.environ.get("DISPLAY", "")
    if not display or not display_reachable(display):
        check.add("tk", "Tkhtml", "not checked: no display (a window needs one; Xvfb will do)")
        return
    try:
        done = subprocess.run(
            [sys.executable, "-c", _TK_PROBE],
            capture_output=True,
            text=True,
            timeout=_TK_PROBE_TIMEOUT,
            stdin=subprocess.DEVNULL, check=False,
        )
    except subprocess.TimeoutExpired:
        done = None
    if done is None or done.returncode != 0:
        why = "timed out" if done is None else (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        check.add("tk", "Tkhtml", f"does NOT load: {why}")
        check.problems.append(f"Tkhtml does not load on {display}: {why}")
        return
    found = json.loads(done.stdout.strip().splitlines()[-1])
    check.add("tk", "Tkhtml", f"loads (Tkhtml {found['tkhtml']}, Tk {found['tk']}, on {display})")


def _imagemagick() -> str:
    exe = shutil.which("import")
    if exe is None:
        return "not installed (apt-get install imagemagick; screenshots fall back to xwd + netpbm)"
    try:
        done = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=10, check=False)
        first = (done.stdout.splitlines() or [""])[0]
    except (OSError, subprocess.TimeoutExpired):
        first = ""
    if "ImageMagick" not in first:
        return f"{exe} is not ImageMagick's import"
    return first.replace("Version: ", "").split(" https")[0]


def _display(check: Check) -> None:
    display = os.environ.get("DISPLAY")
    if not display:
        check.add("display", "DISPLAY", "not set (tkelectron's test harness and bench start Xvfb themselves)")
    else:
        state = "reachable" if display_reachable(display) else "NOT reachable"
        check.add("display", "DISPLAY", f"{display} ({state})")
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool")):
        path = shutil.which(tool)
        check.add("display", tool, path or f"not installed (apt-get install {package})")
    check.add("display", "ImageMagick import", _imagemagick())


def _sandbox(check: Check) -> None:
    found = probe()
    abi = found["landlock_abi"]
    if abi:
        parts = [name for name in ("fs", "net", "scope") if found["landlock"][name]]
        check.add("sandbox", "Landlock", f"ABI {abi} ({', '.join(parts)})")
    else:
        check.add("sandbox", "Landlock", "not available")
    check.add("sandbox", "seccomp-bpf", "available" if found["seccomp"] else "not available")
    check.add("sandbox", "user namespaces", "unprivileged allowed" if found["unprivileged_userns"] else "not allowed")
    layers = ", ".join(found["layers"]) or "none"
    check.add("sandbox", "sandboxed renderer gets", layers)
    if found["root"]:
        privileges = "drops root: no capabilities, empty bounding set, its own uid"
    elif found["unprivileged_userns"]:
        privileges = "no capabilities, its own user namespace (an ordinary user)"
    else:
        privileges = "no capabilities (already an ordinary user)"
    check.add("sandbox", "privileges", privileges)
    counted_apart = found["root"] or found["unprivileged_userns"]
    threads = (
        f"{DEFAULT_MAX_THREADS} threads" if counted_apart else "threads unlimited (needs its own uid or user namespace)"
    )
    check.add("sandbox", "default limits", f"{DEFAULT_MAX_MEMORY // 1024**2} MiB address space, {threads}")
    cgroup = found["cgroup_status"] if found["cgroup"] else f"skipped: {found['cgroup_status']}"
    check.add("sandbox", "per-renderer cgroup", cgroup)
    missing = found["missing"]
    if missing:
        check.add("sandbox", "missing layers", f"{', '.join(missing)} (sandbox=True warns; 'required' refuses)")
    else:
        check.add("sandbox", "missing layers", "none: sandbox='required' works here")


def collect() -> Check:
    """Look at this machine and return what doctor prints."""
    check = Check()
    check.add("system", "platform", platform.platform())
    check.add("system", "python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    check.add("system", "tkelectron", _version("tkelectron") or "not installed (running from a source tree)")
    for dist in ("trio", "msgspec", "pluggy"):
        version = _version(dist)
        check.add("system", dist, version or "missing")
        if version is None:
            check.problems.append(f"{dist} is not installed")
    _tk(check)
    _display(check)
    _sandbox(check)
    return check


def render(check: Check) -> str:
    """Doctor's report as text: aligned sections, then a verdict."""
    width = max(len(name) for _, name, _ in check.lines)
    out: list[str] = []
    section = None
    for where, name, value in check.lines:
        if where != section:
            out.append(f"{where}:" if section is None else f"\n{where}:")
            section = where
        out.append(f"  {name.ljust(width)}  {value}")
    out.append("")
    if check.problems:
        out.append("NOT READY: apps cannot run here until this is fixed:")
        out += [f"  - {problem}" for problem in check.problems]
    else:
        out.append("ready: tkelectron apps can run here.")
    return "\n".join(out)


def doctor() -> int:
    """Print the report; 1 if something apps need is missing, else 0."""
    check = collect()
    print(render(check))
    return 1 if check.problems else 0
