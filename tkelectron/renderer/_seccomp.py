"""seccomp-bpf for the renderer: shrink the kernel surface Landlock leaves open.

Landlock polices files, TCP, abstract sockets and signals.  It does not stop a
process from creating other sockets (UDP, netlink, pathname AF_UNIX), forking,
executing a memfd, tracing, using io_uring, changing file modes or owners, or
entering namespaces.  This filter refuses those with ``EPERM`` (not a kill: the
Python code gets a ``PermissionError`` it can report) and allows everything
else, so the interpreter, threads and C extensions run unchanged.

The program is assembled here by hand: classic BPF over ``struct seccomp_data``
(``nr`` at offset 0, ``arch`` at 4, 64-bit ``args`` from 16, little-endian on
both supported architectures).  A foreign architecture (e.g. i386 syscalls from
an x86_64 process) and the x32 ABI kill the process, since the numbers below
would mean something else there.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
from collections.abc import Sequence

from tkelectron.common._sandbox_policy import libc_function

__all__ = ["SYSCALLS", "apply_seccomp", "build_filter", "denied_syscalls"]

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_X32_SYSCALL_BIT = 0x40000000

_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000

# Classic BPF opcodes.
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_ALU_AND_K = 0x54

_CLONE_THREAD = 0x00010000
# Namespace flags: a "thread" must not be created in a new namespace either.
_CLONE_NEW_ANY = 0x80 | 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
_AF_UNIX = 1
_SOCK_STREAM = 1
_SOCK_TYPE_MASK = 0xF  # SOCK_NONBLOCK and SOCK_CLOEXEC live above it
_TIOCSTI = 0x5412  # push bytes into a terminal's input: the classic tty escape
_TIOCLINUX = 0x541C  # same capability through the console's selection paste
# ioctl request groups of sockets (linux/sockios.h: SIOCSIFFLAGS, SIOCADDRT,
# SIOCDEVPRIVATE...) and wireless extensions. Any socket, a socketpair's
# included, forwards them to the network device layer.
_IOCTL_GROUP_MASK = 0xFF00
_SOCKET_IOCTL_GROUPS = (0x8900, 0x8B00)
_F_SETOWN = 8  # fcntl: who gets SIGIO/SIGURG for this fd
#: memfd_create flags a renderer may pass: MFD_CLOEXEC, MFD_ALLOW_SEALING and
#: MFD_NOEXEC_SEAL (the sealed memfds of large IPC payloads, common._shared_bytes).
#: Never MFD_HUGETLB (and its page-size bits: pool pages the renderer could pin)
#: or MFD_EXEC. F_ADD_SEALS / F_GET_SEALS need no rule: fcntl is allowed but F_SETOWN.
_MEMFD_ALLOWED_FLAGS = 0x1 | 0x2 | 0x8
_F_SETOWN_EX = 15
_PRIO_PROCESS = 0  # setpriority(which, ...): the others name a process group or a user
_IOPRIO_WHO_PROCESS = 1
_SCHED_RESET_ON_FORK = 0x40000000
#: Scheduling policies a renderer may give itself: OTHER, BATCH, IDLE. Never
#: FIFO (1), RR (2) or DEADLINE (6).
_SCHED_ALLOWED = (0, 3, 5)
#: prctl options that would undo part of the lockdown (or let another
#: process in): parent-death signal, dumpable (ptrace and /proc by others),
#: keep/secure/ambient capability bits, the memory map's metadata, becoming a
#: subreaper, the I/O flusher flag and Yama's ptracer exception.
_PRCTL_DENIED = (1, 4, 8, 28, 35, 36, 47, 57, 0x59616D61)

# Numbers added after 6.0 are shared by every architecture (424+).
_COMMON = {
    "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "open_tree": 428, "move_mount": 429, "fsopen": 430,
    "fsconfig": 431, "fsmount": 432, "fspick": 433, "clone3": 435, "pidfd_getfd": 438,
    "process_madvise": 440, "mount_setattr": 442, "quotactl_fd": 443, "fchmodat2": 452,
    "setxattrat": 463, "removexattrat": 466, "open_tree_attr": 467,
}  # fmt: skip

#: Syscall numbers per architecture (arch/x86/entry/syscalls, asm-generic/unistd.h).
SYSCALLS: dict[str, dict[str, int]] = {
    "x86_64": _COMMON | {
        "ioctl": 16, "shmget": 29, "shmat": 30, "shmctl": 31, "socket": 41, "socketpair": 53,
        "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "semget": 64,
        "semop": 65, "semctl": 66, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
        "chmod": 90, "fchmod": 91, "chown": 92, "fchown": 93, "lchown": 94, "ptrace": 101,
        "syslog": 103, "rt_sigqueueinfo": 129, "utime": 132, "vhangup": 153,
        "pivot_root": 155, "adjtimex": 159, "setrlimit": 160, "chroot": 161, "acct": 163,
        "settimeofday": 164, "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168,
        "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172, "ioperm": 173,
        "create_module": 174, "init_module": 175, "delete_module": 176, "quotactl": 179,
        "setxattr": 188, "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197,
        "lremovexattr": 198, "fremovexattr": 199, "tkill": 200, "lookup_dcookie": 212,
        "semtimedop": 220, "clock_settime": 227, "tgkill": 234, "utimes": 235,
        "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250,
        "migrate_pages": 256, "fchownat": 260, "futimesat": 261, "fchmodat": 268,
        "unshare": 272, "move_pages": 279, "utimensat": 280, "rt_tgsigqueueinfo": 297,
        "perf_event_open": 298, "fanotify_init": 300, "prlimit64": 302,
        "name_to_handle_at": 303, "open_by_handle_at": 304, "clock_adjtime": 305,
        "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
        "finit_module": 313, "kexec_file_load": 320, "bpf": 321, "execveat": 322,
        "userfaultfd": 323, "fcntl": 72, "setuid": 105, "setgid": 106, "setreuid": 113,
        "setregid": 114, "setgroups": 116, "setresuid": 117, "setresgid": 119, "setfsuid": 122,
        "setfsgid": 123, "capset": 126, "setpriority": 141, "sched_setparam": 142,
        "sched_setscheduler": 144, "prctl": 157, "sched_setaffinity": 203, "mq_open": 240,
        "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244,
        "mq_getsetattr": 245, "ioprio_set": 251, "inotify_add_watch": 254, "sched_setattr": 314,
        "memfd_create": 319,
    },
    "aarch64": _COMMON | {
        "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15,
        "fremovexattr": 16, "lookup_dcookie": 18, "ioctl": 29, "umount2": 39, "mount": 40,
        "pivot_root": 41, "chroot": 51, "fchmod": 52, "fchmodat": 53, "fchownat": 54,
        "fchown": 55, "vhangup": 58, "quotactl": 60, "utimensat": 88, "acct": 89,
        "unshare": 97, "kexec_load": 104, "init_module": 105, "delete_module": 106,
        "clock_settime": 112, "syslog": 116, "ptrace": 117, "kill": 129, "tkill": 130,
        "tgkill": 131, "rt_sigqueueinfo": 138, "reboot": 142, "sethostname": 161,
        "setdomainname": 162, "setrlimit": 164, "settimeofday": 170, "adjtimex": 171,
        "msgget": 186, "msgctl": 187, "msgrcv": 188, "msgsnd": 189, "semget": 190,
        "semctl": 191, "semtimedop": 192, "semop": 193, "shmget": 194, "shmctl": 195,
        "shmat": 196, "socket": 198, "socketpair": 199, "add_key": 217, "request_key": 218,
        "keyctl": 219, "clone": 220, "execve": 221, "swapon": 224, "swapoff": 225,
        "migrate_pages": 238, "move_pages": 239, "rt_tgsigqueueinfo": 240,
        "perf_event_open": 241, "prlimit64": 261, "fanotify_init": 262,
        "name_to_handle_at": 264, "open_by_handle_at": 265, "clock_adjtime": 266,
        "setns": 268, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
        "finit_module": 273, "bpf": 280, "execveat": 281, "userfaultfd": 282,
        "kexec_file_load": 294, "fcntl": 25, "inotify_add_watch": 27, "ioprio_set": 30, "capset": 91,
        "sched_setparam": 118, "sched_setscheduler": 119, "sched_setaffinity": 122,
        "setpriority": 140, "setregid": 143, "setgid": 144, "setreuid": 145, "setuid": 146,
        "setresuid": 147, "setresgid": 149, "setfsuid": 151, "setfsgid": 152, "setgroups": 159,
        "prctl": 167, "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182,
        "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185, "sched_setattr": 274,
        "memfd_create": 279,
    },
}  # fmt: skip

# Refused outright with EPERM (names absent on an architecture are skipped).
_DENIED = (
    # new programs and processes
    "execve", "execveat", "fork", "vfork",
    # reaching into other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp",
    "pidfd_send_signal", "pidfd_getfd", "migrate_pages", "move_pages",
    # new network endpoints of any family (socketpair is checked below)
    "socket",
    # namespaces and mounts
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount",
    "open_tree", "open_tree_attr", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    # large kernel attack surface
    "bpf", "perf_event_open", "userfaultfd", "add_key", "request_key", "keyctl",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "fanotify_init",
    "lookup_dcookie", "name_to_handle_at", "open_by_handle_at",
    # file events of any path, inside the allow-list or not (Landlock does
    # not police watches)
    "inotify_add_watch",
    # System V and POSIX IPC: channels to processes outside the sandbox that
    # no path lookup (so no Landlock rule) ever sees
    "shmget", "shmat", "shmctl", "semget", "semop", "semctl", "semtimedop",
    "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # metadata changes Landlock does not police
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "setxattr", "lsetxattr", "fsetxattr", "setxattrat", "removexattr", "lremovexattr",
    "fremovexattr", "removexattrat", "utime", "utimes", "utimensat", "futimesat",
    # undoing the rlimits (prlimit64 is checked below) and the dropped
    # credentials: a renderer left with euid 0 and no capabilities could
    # otherwise set its real uid back to 0 and escape its thread limit
    "setrlimit", "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
    "setfsuid", "setfsgid", "setgroups", "capset",
    # machine administration (matters when the renderer runs as root)
    "create_module", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "reboot", "acct", "swapon", "swapoff", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
    "iopl", "ioperm", "syslog", "quotactl", "quotactl_fd", "vhangup",
)  # fmt: skip

Instruction = tuple[int, int, int, int]


def _arg_low(index: int) -> int:
    return 16 + 8 * index


def _arg_high(index: int) -> int:
    return 20 + 8 * index


class _Assembler:
    """Turns symbolic instructions into ``struct sock_filter`` bytes.

    Jumps name labels; a missing target means "fall through".  Classic BPF
    jumps only forward and by at most 255, which :meth:`assemble` checks.
    """

    def __init__(self) -> None:
        self._code: list[tuple[int, int, str | None, str | None]] = []
        self._labels: dict[str, int] = {}

    def label(self, name: str) -> None:
        self._labels[name] = len(self._code)

    def load(self, offset: int) -> None:
        self._code.append((_LD_W_ABS, offset, None, None))

    def jump(self, op: int, k: int, true: str | None = None, false: str | None = None) -> None:
        self._code.append((op, k, true, false))

    def alu_and(self, k: int) -> None:
        self._code.append((_ALU_AND_K, k, None, None))

    def ret(self, value: int) -> None:
        self._code.append((_RET_K, value, None, None))

    def assemble(self) -> bytes:
        out = bytearray()
        for index, (op, k, true, false) in enumerate(self._code):
            jt = self._offset(index, true)
            jf = self._offset(index, false)
            out += struct.pack("=HBBI", op, jt, jf, k & 0xFFFFFFFF)
        return bytes(out)

    def _offset(self, index: int, label: str | None) -> int:
        if label is None:
            return 0
        distance = self._labels[label] - index - 1
        if not 0 <= distance <= 255:
            raise ValueError(f"BPF jump to {label!r} out of range ({distance})")
        return distance


def build_filter(arch: str, pid: int) -> bytes:
    """Return the seccomp program for ``arch``, allowing signals only to ``pid``.

    ``pid`` is baked in because the sandboxed process can no longer fork, so its
    pid never changes.  Raises KeyError for an architecture without a table.
    """
    numbers = SYSCALLS[arch]
    asm = _Assembler()
    asm.load(4)  # seccomp_data.arch
    asm.jump(_JEQ_K, _AUDIT_ARCH[arch], false="kill")
    asm.load(0)  # seccomp_data.nr
    if arch == "x86_64":
        asm.jump(_JGE_K, _X32_SYSCALL_BIT, true="kill")
    for name in _DENIED:
        if name in numbers:
            asm.jump(_JEQ_K, numbers[name], true="eperm")
    # clone3 passes its flags in memory BPF cannot read: say "not implemented"
    # and glibc falls back to clone, whose flags we can check.
    asm.jump(_JEQ_K, numbers["clone3"], true="enosys")
    asm.jump(_JEQ_K, numbers["clone"], true="clone")
    asm.jump(_JEQ_K, numbers["socketpair"], true="socketpair")
    for name in ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        asm.jump(_JEQ_K, numbers[name], true="self_only")
    asm.jump(_JEQ_K, numbers["ioctl"], true="ioctl")
    asm.jump(_JEQ_K, numbers["prlimit64"], true="prlimit")
    asm.jump(_JEQ_K, numbers["fcntl"], true="fcntl")
    asm.jump(_JEQ_K, numbers["prctl"], true="prctl")
    asm.jump(_JEQ_K, numbers["memfd_create"], true="memfd_create")
    asm.jump(_JEQ_K, numbers["setpriority"], true="setpriority")
    asm.jump(_JEQ_K, numbers["ioprio_set"], true="ioprio_set")
    asm.jump(_JEQ_K, numbers["sched_setscheduler"], true="sched_setscheduler")
    for name in ("sched_setparam", "sched_setaffinity", "sched_setattr"):
        asm.jump(_JEQ_K, numbers[name], true="pid_self_or_zero")
    asm.ret(_RET_ALLOW)

    asm.label("clone")  # threads only: CLONE_THREAD set, no new namespace
    asm.load(_arg_low(0))
    asm.jump(_JSET_K, _CLONE_NEW_ANY, true="eperm")
    asm.jump(_JSET_K, _CLONE_THREAD, true="allow", false="eperm")
    asm.label("socketpair")  # AF_UNIX, SOCK_STREAM: a datagram pair could sendto() a path
    asm.load(_arg_low(0))
    asm.jump(_JEQ_K, _AF_UNIX, false="eperm")
    asm.load(_arg_low(1))
    asm.alu_and(_SOCK_TYPE_MASK)
    asm.jump(_JEQ_K, _SOCK_STREAM, true="allow", false="eperm")
    asm.label("self_only")  # the kernel reads the pid argument as a 32-bit int
    asm.load(_arg_low(0))
    asm.jump(_JEQ_K, pid, true="allow", false="eperm")
    asm.label("ioctl")
    asm.load(_arg_low(1))  # the request is an unsigned int
    asm.jump(_JEQ_K, _TIOCSTI, true="eperm")
    asm.jump(_JEQ_K, _TIOCLINUX, true="eperm")
    asm.alu_and(_IOCTL_GROUP_MASK)
    for group in _SOCKET_IOCTL_GROUPS:
        asm.jump(_JEQ_K, group, true="eperm")
    asm.ret(_RET_ALLOW)
    asm.label("prlimit")  # reading limits (new_limit == NULL) is fine
    asm.load(_arg_low(2))
    asm.jump(_JEQ_K, 0, false="eperm")
    asm.load(_arg_high(2))
    asm.jump(_JEQ_K, 0, true="allow", false="eperm")
    asm.label("fcntl")  # SIGIO/SIGURG may only ever be sent to ourselves
    asm.load(_arg_low(1))
    asm.jump(_JEQ_K, _F_SETOWN_EX, true="eperm")
    asm.jump(_JEQ_K, _F_SETOWN, false="allow")
    asm.load(_arg_low(2))
    asm.jump(_JEQ_K, 0, true="allow")
    asm.jump(_JEQ_K, pid, true="allow", false="eperm")
    asm.label("memfd_create")  # memfd_create(name, flags): flags is an unsigned int
    asm.load(_arg_low(1))
    asm.jump(_JSET_K, ~_MEMFD_ALLOWED_FLAGS & 0xFFFFFFFF, true="eperm", false="allow")
    asm.label("prctl")
    asm.load(_arg_low(0))
    for option in _PRCTL_DENIED:
        asm.jump(_JEQ_K, option, true="eperm")
    asm.ret(_RET_ALLOW)
    asm.label("setpriority")  # setpriority(PRIO_PROCESS, 0 or our pid, nice)
    asm.load(_arg_low(0))
    asm.jump(_JEQ_K, _PRIO_PROCESS, true="who_self_or_zero", false="eperm")
    asm.label("ioprio_set")  # ioprio_set(IOPRIO_WHO_PROCESS, 0 or our pid, prio)
    asm.load(_arg_low(0))
    asm.jump(_JEQ_K, _IOPRIO_WHO_PROCESS, false="eperm")
    asm.label("who_self_or_zero")
    asm.load(_arg_low(1))
    asm.jump(_JEQ_K, 0, true="allow")
    asm.jump(_JEQ_K, pid, true="allow", false="eperm")
    asm.label("sched_setscheduler")  # never a real-time policy, only on ourselves
    asm.load(_arg_low(1))
    asm.alu_and(~_SCHED_RESET_ON_FORK)
    for index, policy in enumerate(_SCHED_ALLOWED):
        last = index == len(_SCHED_ALLOWED) - 1
        asm.jump(_JEQ_K, policy, true="pid_self_or_zero", false="eperm" if last else None)
    asm.label("pid_self_or_zero")  # sched_setattr's policy is in memory: see below
    asm.load(_arg_low(0))
    asm.jump(_JEQ_K, 0, true="allow")
    asm.jump(_JEQ_K, pid, true="allow", false="eperm")

    asm.label("allow")
    asm.ret(_RET_ALLOW)
    asm.label("eperm")
    asm.ret(_RET_ERRNO | errno.EPERM)
    asm.label("enosys")
    asm.ret(_RET_ERRNO | errno.ENOSYS)
    asm.label("kill")
    asm.ret(_RET_KILL_PROCESS)
    return asm.assemble()


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_prctl = libc_function("prctl")


def apply_seccomp(arch: str, pid: int | None = None) -> int:
    """Install the filter for ``arch`` on this process; return its length.

    Requires NO_NEW_PRIVS (or CAP_SYS_ADMIN).  Raises OSError if the kernel
    refuses it.  Irreversible, inherited by every thread created afterwards.
    """
    program = build_filter(arch, os.getpid() if pid is None else pid)
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    rc = _prctl(
        ctypes.c_int(_PR_SET_SECCOMP),
        ctypes.c_ulong(_SECCOMP_MODE_FILTER),
        ctypes.byref(fprog),
        ctypes.c_ulong(0),
        ctypes.c_ulong(0),
    )
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp filter refused: {os.strerror(err)}")
    return count


def denied_syscalls(arch: str) -> Sequence[str]:
    """Names of the syscalls refused outright on ``arch`` (for documentation and tests)."""
    return [name for name in _DENIED if name in SYSCALLS[arch]]
