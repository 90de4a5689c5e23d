"""What a sandboxed renderer may read, and what sandboxing this machine offers.

The main process calls :func:`readable_paths` once and hands the list to every
renderer it starts; the renderer passes it to
``tkelectron.renderer._sandbox.lock_down``.  Computing it in the parent keeps the
renderer's start-up cheap and means the renderer never decides its own
allow-list.

:func:`probe` answers ``tkelectron doctor``: which kernel features exist here and
therefore which sandbox layers a renderer will get.  The small kernel queries it
uses (:func:`landlock_abi`, :func:`seccomp_available`) are shared with the
renderer so that "required" mode can refuse *before* applying anything.

Standard library only: both processes import this module.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sys
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "LAYERS",
    "OPTIONAL_LAYERS",
    "landlock_abi",
    "libc",
    "libc_function",
    "machine_arch",
    "probe",
    "readable_paths",
    "seccomp_available",
    "userns_available",
]

#: The sandbox layers, in the order the renderer applies them.
LAYERS: tuple[str, ...] = ("pdeathsig", "privileges", "rlimits", "no_new_privs", "landlock", "seccomp")
#: Layers applied where the machine allows and otherwise skipped with a
#: reason, never "missing": a per-renderer cgroup needs one delegated to us.
OPTIONAL_LAYERS: tuple[str, ...] = ("cgroup",)

#: Default resource limits of a renderer (``web_preferences`` ``max_memory`` and
#: ``max_threads``). 2 GiB of address space leaves room for the interpreter,
#: 64 threads' 8 MiB stacks and a few malloc arenas; 64 threads exceed trio's
#: default worker-thread limit (40) with margin.
DEFAULT_MAX_MEMORY = 2 * 1024**3
DEFAULT_MAX_THREADS = 64
#: The smallest limits a window may ask for: below them the interpreter and
#: trio cannot start reliably.
MIN_MAX_MEMORY = 256 * 1024**2
MIN_MAX_THREADS = 4

# System library folders: the dynamic loader and every C extension's
# dependencies (libsqlite3, libssl, liblzma...) live here; without them importing
# sqlite3/ssl/lzma after lockdown fails.
_SYSTEM_LIBRARY_DIRS = (
    "/lib",
    "/lib64",
    "/lib32",
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib32",
    "/usr/local/lib",
    "/usr/local/lib64",
)
_SYSTEM_FILES = ("/etc/ld.so.cache", "/usr/share/zoneinfo")

_LANDLOCK_CREATE_RULESET = 444  # the same number on x86_64 and aarch64
_LANDLOCK_CREATE_RULESET_VERSION = 1 << 0
_SECCOMP_NR = {"x86_64": 317, "aarch64": 277}
_SECCOMP_GET_ACTION_AVAIL = 2
_SECCOMP_RET_KILL_PROCESS = 0x80000000
_SECCOMP_RET_ERRNO = 0x00050000

_libc: ctypes.CDLL | None = None


def libc() -> ctypes.CDLL:
    """Return the C library, loaded once with ``use_errno``.

    ``ctypes.CDLL(None)`` reuses the libc already mapped into the interpreter, so
    nothing is searched for on disk (``ctypes.util.find_library`` runs
    ldconfig/gcc, which a locked-down renderer cannot do).
    """
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(None, use_errno=True)
            _libc.syscall  # noqa: B018 - fail here, not later, if it is absent
        except (OSError, AttributeError):
            _libc = ctypes.CDLL("libc.so.6", use_errno=True)
        _libc.syscall.restype = ctypes.c_long
        _libc.prctl.restype = ctypes.c_int
    return _libc


def libc_function(name: str) -> Any:
    """Return libc's function ``name`` on Linux, or None on other systems.

    The renderer modules bind what they need at import time, before lockdown;
    on macOS and Windows they must still import (and then report no sandbox).
    """
    if not sys.platform.startswith("linux"):
        return None
    return getattr(libc(), name)


def machine_arch() -> str:
    """Return the CPU architecture in kernel spelling (x86_64, aarch64...)."""
    machine = platform.machine().lower()
    return "aarch64" if machine == "arm64" else machine


def landlock_abi() -> int | None:
    """Return the kernel's Landlock ABI version, or None without Landlock.

    Asks the kernel directly (``landlock_create_ruleset(NULL, 0, VERSION)``), so
    a kernel built with Landlock but booted without it in ``lsm=`` answers None.
    """
    if not sys.platform.startswith("linux") or machine_arch() not in _SECCOMP_NR:
        return None
    abi = libc().syscall(
        ctypes.c_long(_LANDLOCK_CREATE_RULESET),
        ctypes.c_void_p(None),
        ctypes.c_size_t(0),
        ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION),
    )
    return int(abi) if abi > 0 else None


def seccomp_available() -> bool:
    """Return True when seccomp-bpf with the actions the filter uses exists.

    The filter needs ``SECCOMP_RET_ERRNO`` and ``SECCOMP_RET_KILL_PROCESS``; the
    kernel is asked about each (``SECCOMP_GET_ACTION_AVAIL``).  Only x86_64 and
    aarch64 have a filter written for them.
    """
    if not sys.platform.startswith("linux"):
        return False
    number = _SECCOMP_NR.get(machine_arch())
    if number is None:
        return False
    for action in (_SECCOMP_RET_ERRNO, _SECCOMP_RET_KILL_PROCESS):
        value = ctypes.c_uint32(action)
        rc = libc().syscall(
            ctypes.c_long(number),
            ctypes.c_uint(_SECCOMP_GET_ACTION_AVAIL),
            ctypes.c_uint(0),
            ctypes.byref(value),
        )
        if rc != 0:
            return False
    return True


def _read_int(path: str) -> int | None:
    try:
        with open(path, encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def userns_available() -> bool:
    """Return True when an unprivileged user may create a user namespace.

    Reads the sysctls distributions use to switch it off (Debian's
    ``unprivileged_userns_clone``, Ubuntu's AppArmor restriction, a zero
    ``max_user_namespaces``).  tkelectron does not rely on namespaces; doctor
    reports it because it is what a Chromium-style layer 1 would need.
    """
    if not sys.platform.startswith("linux") or not os.path.exists("/proc/self/ns/user"):
        return False
    if _read_int("/proc/sys/user/max_user_namespaces") == 0:
        return False
    if _read_int("/proc/sys/kernel/unprivileged_userns_clone") == 0:
        return False
    return _read_int("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") != 1


def _mapped_library_dirs() -> list[str]:
    """Folders of the shared libraries this process has mapped.

    A Python built outside the system folders (pyenv, conda) loads libpython
    and extension dependencies from its own ``lib`` folder; the renderer runs
    the same interpreter, so it needs those folders too.
    """
    dirs: list[str] = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                parts = line.split(maxsplit=5)
                if len(parts) == 6 and parts[5].startswith("/") and ".so" in parts[5]:
                    dirs.append(os.path.dirname(parts[5].rstrip("\n")))
    except OSError:
        pass
    return dirs


def _python_dirs() -> list[str]:
    """The installation prefixes' stdlib plus every usable ``sys.path`` entry.

    The empty entry and the working directory are left out on purpose: ``python
    -m``/``-c`` put the working directory first, and that is often the user's
    home.  The root folder and the home folder are never granted wholesale.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    dirs = [
        os.path.join(prefix, lib, version)
        for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        for lib in ("lib", "lib64")
    ]
    cwd = os.path.realpath(os.getcwd())
    refused = {"/", cwd, os.path.realpath(os.path.expanduser("~"))}
    for entry in sys.path:
        if entry and os.path.realpath(entry) not in refused:
            dirs.append(entry)
    return dirs


def _minimal(paths: Iterable[str]) -> list[str]:
    """Real, existing, deduplicated paths with children of listed folders dropped."""
    # Deduplicate before resolving: the mapped-library list repeats folders a lot,
    # and realpath is the expensive part.
    real = sorted({os.path.realpath(path) for path in set(paths) if path and os.path.exists(path)})
    kept: list[str] = []
    for path in real:
        # Sorted order puts a parent right before its children ("/a" < "/a/b");
        # "/a-b" sorts between them, so compare against every kept folder.
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def readable_paths(app_root: str, extra: Sequence[str] = ()) -> list[str]:
    """Return the folders and files a sandboxed renderer may read.

    That is: the Python installation (stdlib of ``sys.prefix`` and
    ``sys.base_prefix``, site-packages and other existing ``sys.path``
    entries), the tkelectron package folder, a packaged app's bundle folder,
    the app folder, the system library folders and ``/etc/ld.so.cache``, the
    folders of shared libraries this process has loaded,
    ``/usr/share/zoneinfo``, and ``extra``.  Paths are
    resolved to real paths (Landlock rules follow inodes, not names), missing
    ones are dropped, and a path inside another listed folder is omitted.
    """
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates: list[str] = []
    candidates += _python_dirs()
    candidates.append(package_dir)
    if getattr(sys, "frozen", False):
        # A packaged app: the whole bundle (the executable holds the frozen
        # modules the renderer imports lazily, _internal the rest).
        candidates.append(os.path.dirname(os.path.realpath(sys.executable)))
    candidates.append(app_root)
    candidates += _SYSTEM_LIBRARY_DIRS
    candidates += _SYSTEM_FILES
    if sys.platform.startswith("linux"):
        candidates += _mapped_library_dirs()
    candidates += list(extra)
    return _minimal(candidates)


def probe() -> dict[str, Any]:
    """Describe the sandbox a renderer gets on this machine, for ``tkelectron doctor``.

    Returns ``platform``, ``kernel``, ``arch``, ``landlock_abi`` (int or None),
    ``landlock`` (which Landlock features that ABI gives: fs, net, scope),
    ``seccomp`` (bool), ``unprivileged_userns`` (bool), ``layers`` (the layers
    a sandboxed renderer will apply, in order), ``missing`` (the others),
    ``root`` (a renderer started from here drops root: its own uid and
    RLIMIT_NPROC as a thread limit), ``cgroup`` (where renderer cgroups go, or
    None) and ``cgroup_status`` (why, either way).
    """
    from ._cgroups import delegated_parent

    linux = sys.platform.startswith("linux")
    abi = landlock_abi() if linux else None
    seccomp = seccomp_available() if linux else False
    cgroup, cgroup_status = delegated_parent() if linux else (None, f"not available on {sys.platform}")
    layers: list[str] = []
    if linux:
        layers += ["pdeathsig", "privileges", "rlimits", "no_new_privs"]
        if abi:
            layers.append("landlock")
        if seccomp:
            layers.append("seccomp")
    return {
        "platform": "linux" if linux else sys.platform,
        "kernel": platform.release(),
        "arch": machine_arch(),
        "landlock_abi": abi,
        "landlock": {"fs": bool(abi), "net": bool(abi and abi >= 4), "scope": bool(abi and abi >= 6)},
        "seccomp": seccomp,
        "unprivileged_userns": userns_available() if linux else False,
        "layers": layers,
        "missing": [layer for layer in LAYERS if layer not in layers],
        "root": linux and os.geteuid() == 0,
        "cgroup": cgroup,
        "cgroup_status": cgroup_status,
    }


#: Testing knob: layers named here (comma-separated) are treated as
#: unavailable, by main when it decides whether a window may open and by the
#: renderer when it locks down. It only ever weakens the report, never the
#: checks of "required" mode.
DISABLE_ENV = "TKELECTRON_SANDBOX_DISABLE"


def disabled_layers() -> list[str]:
    """The layers the testing knob turns off (see DISABLE_ENV)."""
    import os

    value = os.environ.get(DISABLE_ENV, "")
    return [name.strip() for name in value.split(",") if name.strip()]


def missing_layers() -> list[str]:
    """The layers a sandboxed renderer would lack here (probe + testing knob)."""
    found = probe()
    missing = list(found.get("missing") or [])
    for name in disabled_layers():
        if name not in missing:
            missing.append(name)
    return missing
