"""Escape attempts on scheduling, process settings, credentials and socket
side channels (the tighter jail), run inside a child.

Same contract as ``_escape_attempts``.  Attempts aimed at another process aim
at the test's *victim* (a ``cat`` owned by the same user as the child), so a
control run changes nothing but a throwaway process; the sandbox refuses the
same call aimed at main just the same, since it allows these calls on the
renderer itself only.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import socket
import struct
from collections.abc import Callable
from typing import Any

from _raw import libc, syscall

Params = dict[str, Any]

_PRIO_PROCESS, _PRIO_PGRP = 0, 1
_SCHED_FIFO, _SCHED_IDLE = 1, 5
_IOPRIO_WHO_PROCESS = 1
_IOPRIO_CLASS_IDLE = 3
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_KEEPCAPS = 1, 4, 8
_SIOCGIFFLAGS, _SIOCSIFFLAGS = 0x8913, 0x8914


def _check(rc: int, what: str) -> int:
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return rc


# --- scheduling: only ever on itself, never real-time -----------------------


def renice_victim(p: Params) -> Any:
    os.setpriority(_PRIO_PROCESS, p["victim"], 19)
    return "reniced"


def renice_process_group(p: Params) -> Any:
    os.setpriority(_PRIO_PGRP, 0, 19)  # our own group: the child is a session leader
    return "reniced"


def sched_idle_victim(p: Params) -> Any:
    os.sched_setscheduler(p["victim"], _SCHED_IDLE, os.sched_param(0))
    return "idle"


def sched_fifo_self(p: Params) -> Any:
    os.sched_setscheduler(0, _SCHED_FIFO, os.sched_param(1))
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))  # a control run steps back at once
    return "fifo"


def _sched_attr(policy: int, priority: int) -> ctypes.Array[ctypes.c_char]:
    # struct sched_attr, SCHED_ATTR_SIZE_VER0: size, policy, flags, nice, priority, 3 x u64
    return ctypes.create_string_buffer(struct.pack("=IIQiIQQQ", 48, policy, 0, 0, priority, 0, 0, 0), 48)


def sched_setattr_fifo_self(p: Params) -> Any:
    # The policy is in memory, out of seccomp's sight: the kernel refuses it
    # (no CAP_SYS_NICE, RLIMIT_RTPRIO=0).
    syscall("sched_setattr", 0, _sched_attr(_SCHED_FIFO, 1), 0)
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    return "fifo"


def sched_setattr_victim(p: Params) -> Any:
    syscall("sched_setattr", p["victim"], _sched_attr(_SCHED_IDLE, 0), 0)
    return "idle"


def affinity_victim(p: Params) -> Any:
    os.sched_setaffinity(p["victim"], {0})
    return "pinned"


def ioprio_victim(p: Params) -> Any:
    return syscall("ioprio_set", _IOPRIO_WHO_PROCESS, p["victim"], _IOPRIO_CLASS_IDLE << 13)


# --- prctls that would undo the lockdown --------------------------------------


def clear_pdeathsig(p: Params) -> Any:
    return _check(libc.prctl(_PR_SET_PDEATHSIG, 0, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def set_dumpable(p: Params) -> Any:
    return _check(libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def set_keepcaps(p: Params) -> Any:
    return _check(libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)")


# --- credentials ---------------------------------------------------------------


def setuid_root(p: Params) -> Any:
    """Become uid 0 in every slot: root keeps it, a dropped renderer must not get it back."""
    os.setresuid(0, 0, 0)
    return os.getresuid()


# --- sockets: datagrams out of a socketpair, interface ioctls, SIGIO ---------


def datagram_socketpair_sendto(p: Params) -> Any:
    """A datagram socketpair end can sendto() any pathname datagram socket."""
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with left, right:
        return left.sendto(b"escaped", p["unix_dgram"])


def seqpacket_socketpair(p: Params) -> Any:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    left.close()
    right.close()
    return "made"


def interface_flags_ioctl(p: Params) -> Any:
    """Read lo's flags and write them back unchanged (SIOCSIFFLAGS needs CAP_NET_ADMIN)."""
    left, right = socket.socketpair()  # any socket forwards these to the device layer
    with left, right:
        request = struct.pack("16sh14x", b"lo", 0)
        flags = struct.unpack("16sh14x", fcntl.ioctl(left.fileno(), _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(left.fileno(), _SIOCSIFFLAGS, struct.pack("16sh14x", b"lo", flags))
        return flags


def sigio_to_victim(p: Params) -> Any:
    """Make the kernel send SIGIO/SIGURG for one of our sockets to another process."""
    left, right = socket.socketpair()
    with left, right:
        return fcntl.fcntl(left.fileno(), fcntl.F_SETOWN, p["victim"])


def posix_mq_open(p: Params) -> Any:
    """A POSIX message queue: an IPC channel no path lookup (so no Landlock rule) sees."""
    libc.mq_open.restype = ctypes.c_int
    name = p["mq_name"].encode()
    mqd = _check(libc.mq_open(name, os.O_CREAT | os.O_RDWR, 0o600, None), "mq_open")
    libc.mq_close(mqd)
    libc.mq_unlink(name)  # a control run leaves nothing behind
    return "opened"


def inotify_outside(p: Params) -> Any:
    """Watch a folder outside the allow-list: its file events would leak out of the sandbox."""
    libc.inotify_init1.restype = ctypes.c_int
    fd = _check(libc.inotify_init1(0o2000000), "inotify_init1")  # IN_CLOEXEC
    try:
        return _check(libc.inotify_add_watch(fd, b"/etc", 0x00000FFF), "inotify_add_watch")  # IN_ALL_EVENTS
    finally:
        os.close(fd)


ESCAPES: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        renice_victim, renice_process_group, sched_idle_victim, sched_fifo_self,
        sched_setattr_fifo_self, sched_setattr_victim, affinity_victim, ioprio_victim,
        clear_pdeathsig, set_dumpable, set_keepcaps, setuid_root,
        datagram_socketpair_sendto, seqpacket_socketpair, interface_flags_ioctl, sigio_to_victim,
        posix_mq_open, inotify_outside,
    )
}  # fmt: skip
