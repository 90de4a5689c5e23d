"""Landlock for the renderer: read-only files, no TCP, scoped sockets and signals.

Landlock is an unprivileged Linux security module (5.13+): a process builds a
ruleset naming the access rights it wants the kernel to police ("handled"),
adds rules granting some of them beneath chosen folders, and restricts itself.
Anything handled and not granted is refused (EACCES for files and TCP, EPERM
for scoped operations), for the process and every thread or child it creates
afterwards.

We handle every right the running kernel's ABI knows and grant only reading:
``READ_FILE | READ_DIR`` on folders (``READ_DIR`` because importing a
sub-package lists its folder) and ``READ_FILE`` on single files.  No
``EXECUTE``: Landlock checks it on ``execve`` only, not when the dynamic loader
maps a shared library, so C extension imports work without it (a test proves it).

Raw syscalls through ctypes; the numbers (444-446) are the same on x86_64 and
aarch64.  Everything used here is resolved at import time, before lockdown.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Sequence
from typing import TypedDict

from tkelectron.common._sandbox_policy import libc_function

__all__ = ["LandlockReport", "apply_landlock", "fs_rights"]

_CREATE_RULESET = 444
_ADD_RULE = 445
_RESTRICT_SELF = 446
_RULE_PATH_BENEATH = 1

# Filesystem rights by the ABI that introduced them (include/uapi/linux/landlock.h).
_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_ABI1 = (1 << 13) - 1  # EXECUTE .. MAKE_SYM: thirteen rights
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_FS_IOCTL_DEV = 1 << 15  # ABI 5
# Rights that make sense on a file (the kernel refuses others in a file's rule).
_FS_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV

_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1

_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1

#: The newest ABI whose rights this module knows; newer kernels are used at this level.
KNOWN_ABI = 7


class LandlockReport(TypedDict):
    """Which Landlock features were enforced."""

    abi: int
    fs: bool
    net: bool
    scope: bool


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # the kernel struct is __attribute__((packed)): 12 bytes
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def fs_rights(abi: int) -> int:
    """Return every filesystem access right Landlock ABI ``abi`` can police."""
    rights = _FS_ABI1
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def _attr_size(abi: int) -> int:
    # The struct grew: handled_access_net arrived with ABI 4, scoped with ABI 6.
    # An older kernel rejects a size it does not know (E2BIG on non-zero tail).
    if abi >= 6:
        return 24
    if abi >= 4:
        return 16
    return 8


_syscall = libc_function("syscall")


def _check(rc: int, what: str) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return rc


def apply_landlock(readable: Sequence[str], abi: int) -> LandlockReport:
    """Restrict this process to reading ``readable`` and nothing else.

    ``abi`` is the kernel's Landlock ABI (from ``landlock_abi()``).  Raises
    OSError if the kernel refuses the ruleset or a rule.  Paths that cannot be
    opened are skipped (the allow-list was computed in another process; the
    file may have gone).  Requires NO_NEW_PRIVS (or CAP_SYS_ADMIN).
    """
    level = min(abi, KNOWN_ABI)
    handled_fs = fs_rights(level)
    attr = _RulesetAttr(handled_fs, 0, 0)
    if level >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
    if level >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
    ruleset = _check(
        _syscall(
            ctypes.c_long(_CREATE_RULESET),
            ctypes.byref(attr),
            ctypes.c_size_t(_attr_size(level)),
            ctypes.c_uint32(0),
        ),
        "landlock_create_ruleset",
    )
    try:
        for path in readable:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                # Gone since the parent listed it, or not ours to reach: a path
                # we cannot open we could not read anyway, so no rule is needed.
                continue
            try:
                is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)  # fstat works on O_PATH
                rights = (_FS_READ_FILE | _FS_READ_DIR) if is_dir else _FS_READ_FILE
                rule = _PathBeneathAttr(rights & handled_fs, fd)
                _check(
                    _syscall(
                        ctypes.c_long(_ADD_RULE),
                        ctypes.c_int(ruleset),
                        ctypes.c_int(_RULE_PATH_BENEATH),
                        ctypes.byref(rule),
                        ctypes.c_uint32(0),
                    ),
                    f"landlock_add_rule({path!r})",
                )
            finally:
                os.close(fd)
        _check(
            _syscall(ctypes.c_long(_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)),
            "landlock_restrict_self",
        )
    finally:
        os.close(ruleset)
    return {"abi": abi, "fs": True, "net": level >= 4, "scope": level >= 6}
