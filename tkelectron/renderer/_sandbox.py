"""The renderer's lockdown: called once, right after the framework's imports.

Layers, applied in this order while the process has exactly one thread:

1. ``pdeathsig``: the kernel SIGKILLs the renderer when its parent dies.
   Then, optional, ``cgroup``: where the machine delegates cgroup v2, the
   renderer moves into a cgroup of its own with ``memory.max`` and
   ``pids.max`` (see ``common._cgroups``); elsewhere it is skipped and the
   report says why. It comes first because afterwards nothing can write
   cgroupfs.
2. ``privileges``: no capabilities, an empty bounding set and, when started as
   root, the renderer's own uid, else its own user namespace where allowed
   (see ``_privileges``); the parent-death signal, which a credential change
   clears, is armed again.
3. ``rlimits``: RLIMIT_FSIZE=0 (no file can grow; ``shared_bytes`` when
   Landlock will refuse every file write, so that the memfds of large IPC
   payloads can be filled, see ``common._shared_bytes``), RLIMIT_CORE=0 (no core
   dump leaks memory to disk), RLIMIT_RTPRIO=0 and RLIMIT_NICE=0 (no real-time
   policy, no higher priority), RLIMIT_MSGQUEUE=0, RLIMIT_AS (``max_memory``)
   and, when the renderer's tasks are counted apart (its own uid, or its own
   user namespace), RLIMIT_NPROC (``max_threads``: the kernel counts tasks
   per real uid and namespace). Hard limits included. Otherwise RLIMIT_NPROC
   is not used: it would count all of that user's processes.
4. ``no_new_privs``: exec could never gain privileges (Landlock and seccomp
   require it of an unprivileged process).
5. ``landlock``: read-only access to the allow-list, no TCP, no abstract
   sockets or signals leaving the sandbox (see ``_landlock``).
6. ``seccomp``: no exec, fork, socket creation, ptrace, io_uring, namespaces,
   mode/owner/credential changes, scheduling of other processes... (see
   ``_seccomp``).

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
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal

from tkelectron.common._cgroups import join_renderer_cgroup
from tkelectron.common._sandbox_policy import (
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_THREADS,
    LAYERS,
    OPTIONAL_LAYERS,
    landlock_abi,
    libc_function,
    machine_arch,
    seccomp_available,
)
from tkelectron.renderer._landlock import apply_landlock
from tkelectron.renderer._privileges import drop_privileges
from tkelectron.renderer._seccomp import SYSCALLS, apply_seccomp

try:
    import resource  # POSIX only; lock_down uses it on Linux alone
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]  # no such module off POSIX; lock_down never reaches it there

__all__ = ["SandboxUnavailable", "lock_down"]

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_prctl = libc_function("prctl")
_mallopt = libc_function("mallopt")
_M_ARENA_MAX = -8
#: At most this many malloc arenas under an address-space limit: each reserves
#: 64 MiB of address space, and glibc's default is 8 per CPU.
_ARENAS_UNDER_LIMIT = 4
#: Limits only ever set to zero: no file growth, no core dump, no real-time
#: policy, no higher priority, no POSIX message queue.
_ZERO_LIMITS = ("RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_RTPRIO", "RLIMIT_NICE", "RLIMIT_MSGQUEUE")


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
    rc = _prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _set_pdeathsig() -> bool:
    _prctl_checked(_PR_SET_PDEATHSIG, signal.SIGKILL)
    return True


def _lower_limit(which: int, value: int) -> int:
    """Set soft and hard ``which`` to ``value`` (or keep a lower hard limit); return it."""
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))
    return value


def _set_rlimits(
    limits: Mapping[str, int | None], own_uid: bool, why_not: str | None = None, file_size: int = 0
) -> dict[str, Any]:
    # Hard limits too, so the renderer cannot raise them back (root could, with
    # CAP_SYS_RESOURCE, which is why seccomp also refuses setrlimit/prlimit64).
    report: dict[str, Any] = {}
    for name in _ZERO_LIMITS:
        value = file_size if name == "RLIMIT_FSIZE" else 0
        report[name[len("RLIMIT_") :].lower()] = _lower_limit(getattr(resource, name), value)
    max_memory = limits.get("max_memory")
    report["address_space"] = None
    if max_memory:
        _mallopt(ctypes.c_int(_M_ARENA_MAX), ctypes.c_int(_ARENAS_UNDER_LIMIT))
        report["address_space"] = _lower_limit(resource.RLIMIT_AS, max_memory)
    max_threads = limits.get("max_threads")
    report["threads"] = None
    if max_threads and own_uid:
        report["threads"] = _lower_limit(resource.RLIMIT_NPROC, max_threads)
    elif max_threads:
        report["threads_unlimited_because"] = (
            "RLIMIT_NPROC would count every process of the user: it needs the renderer's own uid (a root main)"
            " or its own user namespace" + (f" ({why_not})" if why_not else "")
        )
    return report


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


def _limits(limits: Mapping[str, int | None] | None) -> dict[str, int | None]:
    chosen: dict[str, int | None] = {"max_memory": DEFAULT_MAX_MEMORY, "max_threads": DEFAULT_MAX_THREADS}
    for key, value in (limits or {}).items():
        if key not in chosen:
            raise ValueError(f"unknown renderer limit {key!r} (known: {', '.join(chosen)})")
        if value is not None and (type(value) is not int or value <= 0):
            raise ValueError(f"{key} must be a positive int or None, not {value!r}")
        chosen[key] = value
    return chosen


def _join_cgroup(limits: Mapping[str, int | None]) -> Any:
    try:
        return join_renderer_cgroup(limits["max_memory"], limits["max_threads"])
    except LookupError as exc:  # not delegated here: a status, not a failure
        return str(exc)


def lock_down(
    readable: Sequence[str],
    mode: bool | Literal["required"] = True,
    *,
    disable: Collection[str] = (),
    limits: Mapping[str, int | None] | None = None,
    shared_bytes: int = 0,
) -> dict[str, Any]:
    """Lock this (renderer) process down and report which layers were applied.

    ``readable`` is the allow-list from ``readable_paths`` (computed by the main
    process).  ``mode``: False does nothing; True applies what the machine
    offers and lists the rest in ``report["missing"]`` (the caller warns);
    ``"required"`` raises :class:`SandboxUnavailable` naming every missing
    layer, checked before anything is applied.

    ``limits``: ``{"max_memory": bytes, "max_threads": n}`` (each None for no
    limit; missing keys take the defaults, DEFAULT_MAX_MEMORY and
    DEFAULT_MAX_THREADS).

    ``shared_bytes``: the largest memfd the renderer may fill for a large IPC
    payload (its ``max_frame``). RLIMIT_FSIZE is that instead of 0 only when
    Landlock is applied too (it refuses writing any file on disk); otherwise,
    and if Landlock then fails, it is 0 and large payloads go inline.

    ``disable`` is a testing knob: the named layers (any of LAYERS or
    OPTIONAL_LAYERS) are treated as unavailable, the way a kernel without them
    would be.  Production code passes nothing.

    The report: ``{"sandboxed", "platform", "layers": {"pdeathsig", "cgroup",
    "privileges", "rlimits", "no_new_privs", "landlock": {"abi", "fs", "net",
    "scope"} or False, "seccomp"}, "missing", "skipped", "readable",
    "timings_ms"}``, plus ``reasons`` (layer -> why) when a layer is missing.
    ``privileges``, ``rlimits`` and ``cgroup`` are dicts saying what was set.
    ``cgroup`` is optional (the machine must delegate one): when it cannot be
    had, ``layers["cgroup"]`` is False, ``skipped["cgroup"]`` says why, and it
    is not ``missing`` (``"required"`` does not need it).  ``sandboxed`` is
    True when Landlock or seccomp confines the process (``missing`` says
    whether it is complete).  Raises RuntimeError if more than one thread runs.
    Irreversible.
    """
    if not (mode is True or mode is False or mode == "required"):
        raise ValueError(f"sandbox mode must be True, False or 'required', not {mode!r}")
    unknown = set(disable) - set(LAYERS) - set(OPTIONAL_LAYERS)
    if unknown:
        raise ValueError(f"unknown sandbox layer(s) in disable: {sorted(unknown)}")
    chosen = _limits(limits)
    linux = sys.platform.startswith("linux")
    platform_name = "linux" if linux else sys.platform
    if mode is False:
        return _base_report(platform_name, 0)
    if not linux:
        if mode == "required":
            raise SandboxUnavailable(dict.fromkeys(LAYERS, f"not available on {sys.platform}"))
        report = _base_report(platform_name, len(readable))
        report["layers"] = dict.fromkeys((*LAYERS, *OPTIONAL_LAYERS), False)
        report["missing"] = list(LAYERS)
        report["skipped"] = dict.fromkeys(OPTIONAL_LAYERS, f"not available on {sys.platform}")
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

    layers: dict[str, Any] = {}
    skipped: dict[str, str] = {}

    def privileges() -> Any:
        dropped = drop_privileges(readable)
        if layers.get("pdeathsig"):
            _set_pdeathsig()  # a credential change cleared it
        return dropped

    file_size = shared_bytes if "landlock" not in reasons else 0

    def rlimits() -> Any:
        dropped = layers.get("privileges") or {}
        return _set_rlimits(chosen, bool(dropped.get("own_uid")), dropped.get("why_counted_with_others"), file_size)

    steps: dict[str, Callable[[], Any]] = {
        "pdeathsig": _set_pdeathsig,
        "cgroup": lambda: _join_cgroup(chosen),
        "privileges": privileges,
        "rlimits": rlimits,
        "no_new_privs": _set_no_new_privs,
        "landlock": lambda: apply_landlock(readable, abi or 0),
        "seccomp": lambda: apply_seccomp(arch) > 0,
    }
    # The cgroup is joined while the renderer may still write cgroupfs: before
    # its uid changes, before Landlock.
    order = ("pdeathsig", *OPTIONAL_LAYERS, *LAYERS[1:])
    timings: dict[str, float] = {}
    for name in order:
        if name in reasons or name in disable:
            layers[name] = False
            if name in OPTIONAL_LAYERS:
                skipped[name] = "disabled"
            continue
        started = time.perf_counter()
        try:
            layers[name] = steps[name]()
        except (OSError, ValueError) as exc:
            if mode == "required" and name not in OPTIONAL_LAYERS:
                raise SandboxUnavailable({name: str(exc)}, partial=True) from exc
            if name in OPTIONAL_LAYERS:
                skipped[name] = str(exc)
            else:
                reasons[name] = str(exc)
            layers[name] = False
        if isinstance(layers[name], str):  # an optional layer said why it does not apply here
            skipped[name] = layers[name]
            layers[name] = False
        timings[name] = round((time.perf_counter() - started) * 1000, 3)

    if file_size and not layers["landlock"] and layers["rlimits"]:
        # Landlock failed after the file size limit was raised for memfds: no file may grow after all.
        layers["rlimits"]["fsize"] = _lower_limit(resource.RLIMIT_FSIZE, 0)
    report = _base_report(platform_name, len(readable))
    report["layers"] = layers
    report["missing"] = [name for name in LAYERS if name in reasons]
    report["skipped"] = skipped
    report["sandboxed"] = bool(layers["landlock"] or layers["seccomp"])
    report["timings_ms"] = timings
    if reasons:
        report["reasons"] = {name: reasons[name] for name in report["missing"]}
    return report
