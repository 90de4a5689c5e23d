"""The registry the child looks attempts up in, plus process-state helpers."""

from __future__ import annotations

import ctypes
import os
import resource
import threading
from collections.abc import Callable
from typing import Any

from _escape_attempts import ESCAPES as FILE_ESCAPES
from _escape_jail import ESCAPES as JAIL_ESCAPES
from _escape_processes import ESCAPES as PROCESS_ESCAPES
from _escape_processes import SETUPS
from _keep_attempts import KEEP_SETUPS, KEEPS

Params = dict[str, Any]
Attempt = Callable[[Params], Any]

_libc = ctypes.CDLL(None, use_errno=True)
ESCAPES = FILE_ESCAPES | PROCESS_ESCAPES | JAIL_ESCAPES
_PR_GET_NO_NEW_PRIVS = 39
_PR_GET_PDEATHSIG = 2
_PR_GET_SECCOMP = 21
_PR_GET_DUMPABLE = 3
_PR_CAPBSET_READ = 23


def _capabilities() -> dict[str, int]:
    """Effective/permitted/inheritable bits (capget) and how many stay in the bounding set."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    data = (ctypes.c_uint32 * 6)()
    _libc.capget(ctypes.byref(Header(0x20080522, 0)), data)
    bounding = sum(1 for cap in range(64) if _libc.prctl(_PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
    return {"capabilities": sum(data[i] | data[i + 3] for i in range(3)), "bounding_set": bounding}


def process_state() -> dict[str, Any]:
    """What is locked in this process right now, read from the kernel.

    Used to prove a refused lockdown applied nothing: no_new_privs, the
    seccomp mode, the pdeath signal, RLIMIT_FSIZE, and whether /etc/passwd can
    be read (it cannot under Landlock).
    """
    # prctl, not /proc/self/status: Landlock hides procfs from the sandbox.
    seccomp = _libc.prctl(_PR_GET_SECCOMP, 0, 0, 0, 0)
    pdeathsig = ctypes.c_int(0)
    _libc.prctl(_PR_GET_PDEATHSIG, ctypes.byref(pdeathsig), 0, 0, 0)
    try:
        with open("/etc/passwd"):
            passwd_readable = True
    except PermissionError:
        passwd_readable = False
    return {
        "no_new_privs": _libc.prctl(_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
        "seccomp": seccomp,
        "pdeathsig": pdeathsig.value,
        "fsize": list(resource.getrlimit(resource.RLIMIT_FSIZE)),
        "passwd_readable": passwd_readable,
        "address_space": list(resource.getrlimit(resource.RLIMIT_AS)),
        "nproc": list(resource.getrlimit(resource.RLIMIT_NPROC)),
        "rtprio": list(resource.getrlimit(resource.RLIMIT_RTPRIO)),
        "uid": list(os.getresuid()),
        "dumpable": _libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0),
        "pid": os.getpid(),
    } | _capabilities()


def state(p: Params) -> Any:
    """Attempt that reports the process state after lockdown."""
    return process_state()


def _setup_extra_thread(p: Params) -> threading.Event:
    """Leave a second thread running across lock_down, which must refuse."""
    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
    return stop


_SPECIAL: dict[str, tuple[Attempt, Attempt | None]] = {
    "state": (state, None),
    "with_thread": (state, _setup_extra_thread),
}


def lookup(name: str) -> tuple[Attempt, Attempt | None]:
    """Return ``(attempt, setup or None)`` for an attempt name."""
    if name in _SPECIAL:
        return _SPECIAL[name]
    if name in ESCAPES:
        return ESCAPES[name], SETUPS.get(name)
    return KEEPS[name], KEEP_SETUPS.get(name)
