"""Raw system calls for the escape attempts (ctypes, resolved before lockdown)."""

from __future__ import annotations

import ctypes
import json
import os

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
_NR = {  # x86_64, aarch64
    "execveat": (322, 281), "io_uring_setup": (425, 425), "ptrace": (101, 117),
    "unshare": (272, 97), "mount": (165, 40), "bpf": (321, 280),
    "perf_event_open": (298, 241), "userfaultfd": (323, 282), "add_key": (248, 217),
    "shmget": (29, 194), "clone3": (435, 435), "sched_setattr": (314, 274),
    "ioprio_set": (251, 30), "ioprio_get": (252, 31),
}  # fmt: skip
_ARCH_INDEX = 1 if os.uname().machine in ("aarch64", "arm64") else 0

#: What an exec'd ``echo`` prints when an exec attempt succeeds.
EXEC_SUCCESS = json.dumps({"phase": "attempt", "ok": True, "value": "exec"})


def syscall(name: str, *args: int | bytes | ctypes._CData | None) -> int:
    """Call a raw syscall by name; raise OSError with the errno on failure."""
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    rc = libc.syscall(ctypes.c_long(_NR[name][_ARCH_INDEX]), *converted)
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")
    return int(rc)
