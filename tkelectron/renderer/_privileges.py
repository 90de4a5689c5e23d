"""Dropping privileges: no capabilities, an empty bounding set, its own uid.

A renderer started by a root main (the default in containers and CI) would
otherwise keep every capability: a socket ioctl could change network
interfaces, it could make itself real-time, renice main, read any file Landlock
lets it name regardless of its mode bits, and so on. This step, run before the
other layers while the process is single-threaded, leaves it with none:

1. The bounding set is emptied (``PR_CAPBSET_DROP`` for every capability the
   kernel knows) and the ambient set cleared, so nothing — not even an exec
   that seccomp would refuse anyway — can bring a capability back; the
   securebits that make root special on exec are locked off.
2. Credentials, when started as root. The renderer's *real* uid and gid become
   its own: ``RENDERER_UID_BASE + pid``, a number in a range no distribution
   or container manager hands out (systemd documents 0x70000000–0x7FFDFFFF as
   unused), unique among live renderers because pids are. Its own real uid is
   what makes ``RLIMIT_NPROC`` a per-renderer thread limit (the kernel counts
   tasks per real uid and exempts uid 0) and keeps renderers apart from each
   other and from every real user's processes.

   The *effective* uid becomes that unprivileged uid too, but only if the
   renderer can still read everything on its allow-list as that uid (checked
   with ``access()`` while the effective uid is switched and the saved uid is
   still 0, so the check can be undone). Otherwise — a Python installed under
   ``/root``, an app in a private folder — it keeps effective uid 0 so its
   imports keep working, with no capability at all; seccomp then refuses every
   set*uid/set*gid/capset call, so the saved uid 0 cannot be used to undo it.
   In a user namespace that does not map that uid (a rootless container's
   root), the uid stays as it is and the report says why; capabilities are
   dropped all the same, and there is then no thread limit.
   A shared uid such as ``nobody`` was the other choice: it reads what this
   one reads, but renderers (and any daemon running as nobody) would share
   one process count and could signal each other without the other layers.
3. ``capset`` clears the effective, permitted and inheritable sets, and the
   process is made non-dumpable (no ptrace or ``/proc`` access by anyone
   without CAP_SYS_PTRACE; seccomp refuses ``PR_SET_DUMPABLE`` afterwards).

A non-root renderer cannot change uid. Where unprivileged user namespaces
are allowed it enters one of its own instead, its uid and gid mapped to
themselves (file access is unchanged: the kernel's ids stay the same), because
the kernel counts RLIMIT_NPROC per user *in each namespace*: in its own, only
the renderer's tasks count, so ``max_threads`` holds for an ordinary user
too. The capabilities that namespace grants are then cleared with the rest
(seccomp refuses ``unshare``, ``setns`` and ``mount`` afterwards anyway).

Changing the effective uid clears the parent-death signal (prctl(2)), so the
caller re-arms it afterwards (``_sandbox.lock_down`` does).
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Sequence
from typing import TypedDict

from tkelectron.common._sandbox_policy import libc_function, machine_arch, userns_available

__all__ = ["RENDERER_UID_BASE", "PrivilegesReport", "capability_sets", "drop_privileges"]

#: First uid of the renderers' range (0x70000000); a renderer's uid is this plus its pid.
RENDERER_UID_BASE = 0x70000000

_PR_CAPBSET_READ = 23
_PR_CAPBSET_DROP = 24
_PR_SET_SECUREBITS = 28
_PR_SET_DUMPABLE = 4
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_CAP_SETPCAP = 8
# SECBIT_NOROOT(+LOCKED): uid 0 gains nothing on exec; SECBIT_NO_SETUID_FIXUP
# stays off but LOCKED (a uid change keeps clearing capabilities);
# KEEP_CAPS_LOCKED; NO_CAP_AMBIENT_RAISE(+LOCKED).
_SECUREBITS = 0x01 | 0x02 | 0x08 | 0x20 | 0x40 | 0x80
_CAP_VERSION_3 = 0x20080522
_CAP_SYSCALLS = {"x86_64": (125, 126), "aarch64": (90, 91)}  # capget, capset

_CLONE_NEWUSER = 0x10000000

_prctl = libc_function("prctl")
_syscall = libc_function("syscall")
_unshare = libc_function("unshare")


class PrivilegesReport(TypedDict):
    """What the renderer runs as after dropping privileges."""

    uid: list[int]  # real, effective, saved
    gid: list[int]
    groups: list[int]
    unprivileged: bool  # the effective uid is not 0
    capabilities: int  # the effective | permitted | inheritable bits left (0)
    bounding_set: int  # capabilities left in the bounding set (0 unless unprivileged without CAP_SETPCAP)
    own_uid: bool  # its tasks are counted apart (its own uid, or its own user namespace): RLIMIT_NPROC is its own
    user_namespace: bool  # it entered a user namespace of its own (an ordinary user's renderer)
    why_root: str | None  # why the effective uid stayed 0, if it did
    why_counted_with_others: str | None  # why its tasks are counted with others', if they are


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _read_last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as handle:
            return int(handle.read())
    except (OSError, ValueError):
        return 63  # PR_CAPBSET_DROP answers EINVAL past the last one: the loop stops there


def _prctl5(option: int, arg: int = 0, arg3: int = 0) -> int:
    return int(
        _prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(arg3), ctypes.c_ulong(0), ctypes.c_ulong(0))
    )


def _raise_errno(what: str) -> None:
    err = ctypes.get_errno()
    raise OSError(err, f"{what}: {os.strerror(err)}")


def capability_sets() -> tuple[int, int, int]:
    """Return this process's (effective, permitted, inheritable) capability bits."""
    capget = _CAP_SYSCALLS[machine_arch()][0]
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    if _syscall(ctypes.c_long(capget), ctypes.byref(header), ctypes.byref(data)) != 0:
        _raise_errno("capget")
    low, high = data[0], data[1]
    return (
        low.effective | high.effective << 32,
        low.permitted | high.permitted << 32,
        low.inheritable | high.inheritable << 32,
    )


def _clear_capabilities() -> None:
    capset = _CAP_SYSCALLS[machine_arch()][1]
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()  # all zero
    if _syscall(ctypes.c_long(capset), ctypes.byref(header), ctypes.byref(data)) != 0:
        _raise_errno("capset")


def _bounding_left(last_cap: int) -> int:
    return sum(1 for cap in range(last_cap + 1) if _prctl5(_PR_CAPBSET_READ, cap) == 1)


def _drop_bounding_set(last_cap: int) -> None:
    if not capability_sets()[0] & (1 << _CAP_SETPCAP):
        return  # an unprivileged process may not; without exec it never matters
    for cap in range(last_cap + 1):
        if _prctl5(_PR_CAPBSET_DROP, cap) != 0:
            _raise_errno(f"PR_CAPBSET_DROP({cap})")
    if _prctl5(_PR_SET_SECUREBITS, _SECUREBITS) != 0:
        _raise_errno("PR_SET_SECUREBITS")


def _unreadable(readable: Sequence[str]) -> list[str]:
    """The allow-list entries the current (real) uid cannot read."""
    missing = []
    for path in readable:
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            is_dir = False  # gone or unreachable: access() below says so
        if not os.access(path, os.R_OK | (os.X_OK if is_dir else 0)):
            missing.append(path)
    return missing


def _switch_uid(readable: Sequence[str]) -> tuple[bool, str | None]:
    """Take the renderer's own uid.

    Returns ``(own_uid, why_root)``: whether the real uid is now the
    renderer's own, and why the effective uid stayed 0 (None if it did not).
    """
    own = RENDERER_UID_BASE + os.getpid()
    try:
        os.setgroups([])
    except PermissionError:
        pass  # a user namespace with setgroups denied: its groups cannot change either way
    try:
        os.setresgid(own, own, 0)
    except OSError as exc:  # EINVAL: a user namespace (rootless container) that does not map it
        return False, f"uid/gid {own} cannot be taken here ({exc.strerror})"
    try:
        os.setresuid(own, own, 0)  # saved uid 0: the check below can still be undone
    except OSError as exc:
        os.setresgid(0, 0, 0)
        return False, f"uid {own} cannot be taken here ({exc.strerror})"
    unreadable = _unreadable(readable)
    if not unreadable:
        os.setresgid(own, own, own)
        os.setresuid(own, own, own)  # every uid non-zero: the kernel clears all capabilities
        return True, None
    os.setresuid(own, 0, 0)  # back to effective uid 0 (permitted copied to effective)
    os.setresgid(own, 0, 0)
    shown = ", ".join(unreadable[:3]) + (" ..." if len(unreadable) > 3 else "")
    return True, f"uid {own} could not read {shown}"


def _own_user_namespace() -> str | None:
    """Enter a user namespace of our own, ids mapped to themselves; return why not (None: done)."""
    if not userns_available():
        return "unprivileged user namespaces are not allowed here"
    uid, gid = os.getuid(), os.getgid()
    if _unshare(ctypes.c_int(_CLONE_NEWUSER)) != 0:
        err = ctypes.get_errno()
        return f"unshare(CLONE_NEWUSER): {os.strerror(err)}"
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w", encoding="ascii") as handle:
                handle.write(text)
    except OSError as exc:  # unmapped ids show as the overflow id; the kernel's ids, and file access, are unchanged
        return f"the user namespace's {name} could not be written ({exc.strerror})"
    return None


def drop_privileges(readable: Sequence[str]) -> PrivilegesReport:
    """Drop every capability and, when root, take the renderer's own uid.

    ``readable`` is the Landlock allow-list: the effective uid only becomes
    unprivileged if every entry stays readable. Raises OSError if a step the
    kernel should allow is refused. Irreversible.
    """
    last_cap = _read_last_cap()
    root = os.getuid() == 0 or os.geteuid() == 0
    why_counted: str | None = None
    user_namespace = False
    if not root:
        # First: the namespace's capabilities (CAP_SETPCAP) let us empty the bounding set.
        why_counted = _own_user_namespace()
        user_namespace = why_counted is None
    _drop_bounding_set(last_cap)
    _prctl5(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)  # EINVAL before 4.3: nothing to clear then
    why_root: str | None = None
    own_uid = user_namespace
    if root:
        own_uid, why_root = _switch_uid(readable)
        if not own_uid:
            why_counted = why_root
        if _prctl5(_PR_SET_DUMPABLE, 0) != 0:
            _raise_errno("PR_SET_DUMPABLE")
    _clear_capabilities()
    effective, permitted, inheritable = capability_sets()
    uid = list(os.getresuid())
    return {
        "uid": uid,
        "gid": list(os.getresgid()),
        "groups": os.getgroups(),
        "unprivileged": uid[1] != 0,
        "capabilities": effective | permitted | inheritable,
        "bounding_set": _bounding_left(last_cap),
        "own_uid": own_uid,
        "user_namespace": user_namespace,
        "why_root": why_root,
        "why_counted_with_others": None if own_uid else why_counted,
    }
