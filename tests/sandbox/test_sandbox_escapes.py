"""Every escape attempt from notes/sandbox.md fails inside a sandboxed renderer.

Each attempt runs in its own child, which locks down with
``lock_down(readable_paths(app))`` and then tries the escape.  The test checks
that it failed *with the sandbox's error* (Landlock: EACCES; seccomp: EPERM),
not for an unrelated reason, and that the side effect did not happen.  The
control tests run the same attempts with ``mode=False`` and check that they
succeed, so each check above is able to fail.
"""

from __future__ import annotations

import errno
import os
import pty
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _raw import syscall
from _sandbox_support import APP_DATA, SandboxEnv

from tkelectron.common._sandbox_policy import probe

pytestmark = pytest.mark.skipif(
    bool(probe()["missing"]), reason=f"this machine lacks sandbox layers: {probe()['missing']}"
)

LANDLOCK = ("PermissionError", errno.EACCES)
SECCOMP = ("PermissionError", errno.EPERM)
NO_SPAWN = ("ChildProcessError", None)  # system() returns -1: the shell never started

EXPECTED: dict[str, tuple[str, int | None]] = {
    "read_passwd": LANDLOCK,
    "list_root": LANDLOCK,
    "create_in_app": LANDLOCK,
    "create_in_tmp": LANDLOCK,
    "write_app_file": LANDLOCK,
    "truncate_app_file": LANDLOCK,
    "mkdir_in_app": LANDLOCK,
    "rename_app_file": LANDLOCK,
    "link_app_file": LANDLOCK,
    "symlink_in_app": LANDLOCK,
    "read_parent_environ": LANDLOCK,
    "open_dev_tty": LANDLOCK,
    "chmod_app_file": SECCOMP,
    "utime_app_file": SECCOMP,
    "raise_fsize_limit": SECCOMP,
    "tcp4_connect": SECCOMP,
    "tcp6_connect": SECCOMP,
    "tcp4_bind": SECCOMP,
    "tcp6_bind": SECCOMP,
    "udp4_send": SECCOMP,
    "unix_path_connect": SECCOMP,
    "unix_abstract_connect": SECCOMP,
    "netlink_socket": SECCOMP,
    "os_system": NO_SPAWN,
    "subprocess_run": SECCOMP,
    "os_fork": SECCOMP,
    "ctypes_system": NO_SPAWN,
    "memfd_fexecve": SECCOMP,
    "execveat": SECCOMP,
    "io_uring_setup": SECCOMP,
    "sysv_shm": SECCOMP,
    "ptrace_target": SECCOMP,
    "process_vm_read_parent": SECCOMP,
    "kill_parent": SECCOMP,
    "kill_victim": SECCOMP,
    "kill_process_group": SECCOMP,
    "kill_everyone": SECCOMP,
    "unshare_user": SECCOMP,
    "mount_tmpfs": SECCOMP,
    "bpf_map": SECCOMP,
    "perf_event_open": SECCOMP,
    "userfaultfd": SECCOMP,
    "add_key": SECCOMP,
    "tiocsti": SECCOMP,
    # the tighter jail: scheduling only on itself and never real-time, no
    # prctl or credential change that undoes the lockdown, stream socketpairs
    # only, no socket ioctls, no SIGIO to others, no POSIX message queues
    "renice_victim": SECCOMP,
    "renice_process_group": SECCOMP,
    "sched_idle_victim": SECCOMP,
    "sched_fifo_self": SECCOMP,
    "sched_setattr_fifo_self": SECCOMP,  # the kernel's refusal: no CAP_SYS_NICE, RLIMIT_RTPRIO=0
    "sched_setattr_victim": SECCOMP,
    "affinity_victim": SECCOMP,
    "ioprio_victim": SECCOMP,
    "clear_pdeathsig": SECCOMP,
    "set_dumpable": SECCOMP,
    "set_keepcaps": SECCOMP,
    "setuid_root": SECCOMP,
    "datagram_socketpair_sendto": SECCOMP,
    "seqpacket_socketpair": SECCOMP,
    "interface_flags_ioctl": SECCOMP,
    "sigio_to_victim": SECCOMP,
    "posix_mq_open": SECCOMP,
    "inotify_outside": SECCOMP,
}


def _accepts(sock: Any) -> bool:
    sock.setblocking(False)
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def _received(sock: Any) -> bool:
    """Did a datagram arrive on the non-blocking ``sock``?"""
    try:
        sock.recv(100)
    except BlockingIOError:
        return False
    return True


def _victim_ioprio_class(env: SandboxEnv) -> int:
    return syscall("ioprio_get", 1, env.victim.pid) >> 13  # IOPRIO_WHO_PROCESS


def _victim_dead(env: SandboxEnv) -> bool:
    return env.victim.poll() is not None


# What each attempt would change if it got through; checked after the child
# has exited (loopback delivery and kill are synchronous, so no waiting).
EFFECTS: dict[str, Callable[[SandboxEnv], bool]] = {
    "create_in_app": lambda env: (env.app / "created.txt").exists(),
    "create_in_tmp": lambda env: os.path.exists(env.tmp_name),
    "write_app_file": lambda env: env.data_file().read_text() != APP_DATA,
    "truncate_app_file": lambda env: env.data_file().read_text() != APP_DATA,
    "mkdir_in_app": lambda env: (env.app / "newdir").exists(),
    "rename_app_file": lambda env: (env.app / "moved.txt").exists(),
    "link_app_file": lambda env: (env.app / "hardlink.txt").exists(),
    "symlink_in_app": lambda env: (env.app / "symlink").is_symlink(),
    "chmod_app_file": lambda env: stat.S_IMODE(env.data_file().stat().st_mode) == 0o777,
    "utime_app_file": lambda env: env.data_file().stat().st_mtime == 0,
    "tcp4_connect": lambda env: _accepts(env.tcp4),
    "tcp6_connect": lambda env: env.tcp6 is not None and _accepts(env.tcp6),
    "udp4_send": lambda env: _received(env.udp4),
    "unix_path_connect": lambda env: _accepts(env.unix),
    "unix_abstract_connect": lambda env: _accepts(env.abstract),
    "os_system": lambda env: os.path.exists(env.marker),
    "ctypes_system": lambda env: os.path.exists(env.marker),
    "kill_victim": _victim_dead,
    "mount_tmpfs": lambda env: os.path.ismount(env.scratch),
    "renice_victim": lambda env: os.getpriority(os.PRIO_PROCESS, env.victim.pid) == 19,
    "sched_idle_victim": lambda env: os.sched_getscheduler(env.victim.pid) == os.SCHED_IDLE,
    "sched_setattr_victim": lambda env: os.sched_getscheduler(env.victim.pid) == os.SCHED_IDLE,
    "affinity_victim": lambda env: os.sched_getaffinity(env.victim.pid) == {0},
    "ioprio_victim": lambda env: _victim_ioprio_class(env) == 3,  # IOPRIO_CLASS_IDLE
    "datagram_socketpair_sendto": lambda env: _received(env.unix_dgram),
}


def _prepare(env: SandboxEnv, attempt: str, *, control: bool) -> tuple[dict[str, Any], list[int], list[int]]:
    """Extra parameters, inherited fds and fds to close afterwards, per attempt."""
    if attempt.startswith("tcp6") and env.tcp6 is None:
        pytest.skip("no IPv6 loopback on this machine")
    if attempt == "tiocsti":
        master, slave = pty.openpty()  # the master stays open until the child is done
        return {"tty_fd": slave}, [slave], [master, slave]
    if attempt == "ptrace_target" and control:
        # Prove ptrace works on a process we own; attaching to the test runner
        # itself is only ever tried (and refused) in the sandboxed run.
        return {"ptrace_pid": env.victim.pid}, [], []
    return {}, [], []


def _run(env: SandboxEnv, attempt: str, *, mode: bool) -> dict[str, Any]:
    params, inherited, to_close = _prepare(env, attempt, control=not mode)
    try:
        return env.run(attempt, mode=mode, params=params, pass_fds=inherited)
    finally:
        for fd in to_close:
            os.close(fd)


@pytest.mark.parametrize("attempt", list(EXPECTED))
def test_escape_attempt_fails(sandbox_env: SandboxEnv, attempt: str) -> None:
    result = _run(sandbox_env, attempt, mode=True)
    assert result["phase"] == "attempt", result
    assert result["report"]["missing"] == [], result["report"]
    assert not result["ok"], f"{attempt} got through the sandbox: {result}"
    assert (result["error"], result["errno"]) == EXPECTED[attempt], result
    effect = EFFECTS.get(attempt)
    if effect is not None:
        assert not effect(sandbox_env), f"{attempt} left a side effect"
    assert sandbox_env.victim.poll() is None, "the victim process must survive"


def _control_skip(env: SandboxEnv, attempt: str) -> str | None:
    root = env.user.effective_uid == 0
    as_nobody = env.user.uid is not None
    if attempt in {"open_dev_tty", "raise_fsize_limit"}:
        return "nothing to prove without a sandbox (no tty; limits are already unlimited)"
    if attempt == "mount_tmpfs":
        return "never mount on the host for a control run"
    if attempt in {"read_parent_environ", "kill_parent", "process_vm_read_parent"} and as_nobody:
        return "the parent belongs to root: refused by plain permissions"
    if attempt in {"bpf_map", "perf_event_open", "sched_fifo_self", "sched_setattr_fifo_self",
                   "interface_flags_ioctl", "setuid_root"} and not root:
        return "needs privileges an ordinary user lacks here"
    if attempt == "affinity_victim" and len(os.sched_getaffinity(0)) < 2:
        return "one CPU: pinning to CPU 0 changes nothing"
    if attempt == "tiocsti" and Path("/proc/sys/dev/tty/legacy_tiocsti").read_text().strip() != "1":
        return "TIOCSTI is disabled by the kernel (dev.tty.legacy_tiocsti=0)"
    return None


@pytest.mark.parametrize("attempt", list(EXPECTED))
def test_control_attempt_succeeds_without_sandbox(sandbox_env: SandboxEnv, attempt: str) -> None:
    reason = _control_skip(sandbox_env, attempt)
    if reason:
        pytest.skip(reason)
    result = _run(sandbox_env, attempt, mode=False)
    assert result["phase"] == "attempt", result
    assert result["ok"], f"control for {attempt} failed, so its sandbox check proves nothing: {result}"
    effect = EFFECTS.get(attempt)
    if effect is not None:
        assert effect(sandbox_env), f"control for {attempt} succeeded without its effect"
