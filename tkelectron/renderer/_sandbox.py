"""The renderer's lockdown: called once, right after the framework's imports.

Layers, applied in this order while the process has exactly one thread:

1. ``pdeathsig``: the kernel SIGKILLs the renderer when its parent dies.
2. ``rlimits``: RLIMIT_FSIZE=0 (no file can grow) and RLIMIT_CORE=0 (no core
   dump leaks memory to disk), hard limits included.  RLIMIT_NPROC is not used:
   for a normal user it also stops threads.
3. ``no_new_privs``: exec could never gain privileges (Landlock and seccomp
   require it of an unprivileged process).
4. ``landlock``: read-only access to the allow-list, no TCP, no abstract
   sockets or signals leaving the sandbox (see ``_landlock``).
5. ``seccomp``: no exec, fork, socket creation, ptrace, io_uring, namespaces,
   mode/owner changes... (see ``_seccomp``).

Single-threaded because, before Landlock ABI 8, a ruleset binds only the
calling thread (threads started later inherit it; threads already running do
not), and seccomp without TSYNC behaves the same way.

Everything the layers need (libc, syscall wrappers, the resource module) is
resolved when this module is imported; after lockdown nothing can be looked up
on disk outside the allow-list.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Callable, Collection, Sequence
from typing import Any, Literal

from tkelectron.common._sandbox_policy import (
    LAYERS,
    landlock_abi,
    libc_function,
    machine_arch,
    seccomp_available,
)
from tkelectron.renderer._landlock import apply_landlock
from tkelectron.renderer._seccomp import SYSCALLS, apply_seccomp

try:
    import resource  # POSIX only; lock_down uses it on Linux alone
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

__all__ = ["SandboxUnavailable", "lock_down"]

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_prctl = libc_function("prctl")


class SandboxUnavailable(RuntimeError):
    """A sandbox layer demanded by ``mode="required"`` cannot be applied.

    ``missing`` lists the layer names; ``reasons`` maps each to why.  When
    raised before anything was applied (the usual case: the kernel lacks a
    feature, or a layer was disabled), ``partial`` is False and the process is
    untouched.  If a layer failed while being applied, ``partial`` is True and
    the process is half locked: it should exit.
    """

    def __init__(self, reasons: dict[str, str], *, partial: bool = False) -> None:
        self.missing = list(reasons)
        self.reasons = dict(reasons)
        self.partial = partial
        detail = ", ".join(f"{name} ({why})" for name, why in reasons.items())
        when = "while locking down (process partly locked)" if partial else "nothing was applied"
        super().__init__(f"required sandbox layer(s) unavailable: {detail}; {when}")


def _prctl_checked(option: int, value: int) -> None:
    rc = _prctl(
        ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)
    )
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _set_pdeathsig() -> bool:
    _prctl_checked(_PR_SET_PDEATHSIG, signal.SIGKILL)
    return True


def _set_rlimits() -> bool:
    # Hard limits too, so the renderer cannot raise them back (root could, with
    # CAP_SYS_RESOURCE, which is why seccomp also refuses setrlimit/prlimit64).
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return True


def _set_no_new_privs() -> bool:
    _prctl_checked(_PR_SET_NO_NEW_PRIVS, 1)
    return True


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1  # no procfs: nothing to count; lockdown itself will then fail loudly


def _base_report(platform_name: str, readable: int) -> dict[str, Any]:
    return {"sandboxed": False, "platform": platform_name, "layers": {}, "missing": [], "readable": readable}


def lock_down(
    readable: Sequence[str],
    mode: bool | Literal["required"] = True,
    *,
    disable: Collection[str] = (),
) -> dict[str, Any]:
    """Lock this (renderer) process down and report which layers were applied.

    ``readable`` is the allow-list from ``readable_paths`` (computed by the main
    process).  ``mode``: False does nothing; True applies what the machine
    offers and lists the rest in ``report["missing"]`` (the caller warns);
    ``"required"`` raises :class:`SandboxUnavailable` naming every missing
    layer, checked before anything is applied.

    ``disable`` is a testing knob: the named layers (any of ``pdeathsig,
    rlimits, no_new_privs, landlock, seccomp``) are treated as unavailable, the
    way a kernel without them would be.  Production code passes nothing.

    The report: ``{"sandboxed", "platform", "layers": {"pdeathsig",
    "rlimits", "no_new_privs", "landlock": {"abi", "fs", "net", "scope"} or
    False, "seccomp"}, "missing", "readable", "timings_ms"}``, plus ``reasons``
    (layer -> why) when a layer is missing.  ``sandboxed`` is
    True when Landlock or seccomp confines the process (``missing`` says
    whether it is complete).  Raises RuntimeError if more than one thread runs.
    Irreversible.
    """
    if not (mode is True or mode is False or mode == "required"):
        raise ValueError(f"sandbox mode must be True, False or 'required', not {mode!r}")
    unknown = set(disable) - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown sandbox layer(s) in disable: {sorted(unknown)}")
    linux = sys.platform.startswith("linux")
    platform_name = "linux" if linux else sys.platform
    if mode is False:
        return _base_report(platform_name, 0)
    if not linux:
        if mode == "required":
            raise SandboxUnavailable({name: f"not available on {sys.platform}" for name in LAYERS})
        report = _base_report(platform_name, len(readable))
        report["layers"] = {name: False for name in LAYERS}
        report["missing"] = list(LAYERS)
        return report

    threads = _thread_count()
    if threads != 1:
        raise RuntimeError(f"lock_down must run while single-threaded; this process has {threads} threads")

    # Probe first, so "required" refuses before anything irreversible happens.
    arch = machine_arch()
    abi = landlock_abi()
    reasons: dict[str, str] = {name: "disabled" for name in LAYERS if name in disable}
    if "landlock" not in reasons and abi is None:
        reasons["landlock"] = "the kernel has no Landlock (needs Linux 5.13+ with landlock in lsm=)"
    if "seccomp" not in reasons and (arch not in SYSCALLS or not seccomp_available()):
        reasons["seccomp"] = f"no seccomp-bpf filter for this kernel/architecture ({arch})"
    if mode == "required" and reasons:
        raise SandboxUnavailable({name: reasons[name] for name in LAYERS if name in reasons})

    steps: dict[str, Callable[[], Any]] = {
        "pdeathsig": _set_pdeathsig,
        "rlimits": _set_rlimits,
        "no_new_privs": _set_no_new_privs,
        "landlock": lambda: apply_landlock(readable, abi or 0),
        "seccomp": lambda: apply_seccomp(arch) > 0,
    }
    layers: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for name in LAYERS:
        if name in reasons:
            layers[name] = False
            continue
        started = time.perf_counter()
        try:
            layers[name] = steps[name]()
        except (OSError, ValueError) as exc:
            if mode == "required":
                raise SandboxUnavailable({name: str(exc)}, partial=True) from exc
            reasons[name] = str(exc)
            layers[name] = False
        timings[name] = round((time.perf_counter() - started) * 1000, 3)

    report = _base_report(platform_name, len(readable))
    report["layers"] = layers
    report["missing"] = [name for name in LAYERS if name in reasons]
    report["sandboxed"] = bool(layers["landlock"] or layers["seccomp"])
    report["timings_ms"] = timings
    if reasons:
        report["reasons"] = {name: reasons[name] for name in report["missing"]}
    return report
