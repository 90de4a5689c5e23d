"""Escape attempts on processes, programs and the kernel, run inside a child.

Same contract as ``_escape_attempts``.  Attempts that would exec a program
exec ``echo`` printing the success line, so a successful exec reports itself.
"""

from __future__ import annotations

import ctypes
import errno
import mmap
import os
import signal
from collections.abc import Callable
from typing import Any

from _raw import EXEC_SUCCESS, libc, syscall

Params = dict[str, Any]


# --- new programs and processes ---------------------------------------------


def os_system(p: Params) -> Any:
    rc = os.system(f"echo escaped > {p['marker']}")
    if rc != 0:
        raise ChildProcessError(f"os.system returned {rc}")
    return rc


def subprocess_run(p: Params) -> Any:
    import subprocess

    return subprocess.run(["/bin/echo", "escaped"], capture_output=True, check=True).stdout.decode()


def os_fork(p: Params) -> Any:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return os.waitpid(pid, 0)[1]


def ctypes_system(p: Params) -> Any:
    rc = libc.system(f"echo escaped > {p['marker']}".encode())
    if rc != 0:
        raise ChildProcessError(f"libc system() returned {rc} (errno {ctypes.get_errno()})")
    return rc


def setup_memfd(p: Params) -> int:
    """Before lockdown: a memfd holding /bin/echo (RLIMIT_FSIZE=0 forbids filling it later)."""
    fd = os.memfd_create("payload", 0)
    with open("/bin/echo", "rb") as f:
        os.write(fd, f.read())
    return fd


def memfd_fexecve(p: Params) -> Any:
    os.execve(p["state"], ["echo", EXEC_SUCCESS], {})  # fexecve: execveat(fd, "", AT_EMPTY_PATH)


def execveat(p: Params) -> Any:
    argv = (ctypes.c_char_p * 3)(b"echo", EXEC_SUCCESS.encode(), None)
    envp = (ctypes.c_char_p * 1)(None)
    return syscall("execveat", -100, b"/bin/echo", argv, envp, 0)  # AT_FDCWD


def clone3(p: Params) -> Any:
    """clone3 with no arguments: EINVAL from the kernel, ENOSYS from our filter."""
    return syscall("clone3", None, 0)


def io_uring_setup(p: Params) -> Any:
    params = ctypes.create_string_buffer(120)  # struct io_uring_params, zeroed
    fd = syscall("io_uring_setup", 4, params)
    os.close(fd)
    return "ring"


def sysv_shm(p: Params) -> Any:
    shmid = syscall("shmget", 0, 4096, 0o1600)  # IPC_PRIVATE, IPC_CREAT|0600
    libc.shmctl(shmid, 0, None)  # IPC_RMID: a control run leaves nothing behind
    return shmid


# --- other processes and the kernel -----------------------------------------


def ptrace_target(p: Params) -> Any:
    # PTRACE_SEIZE attaches without stopping the target, so a control run
    # leaves it running; our exit detaches.
    return syscall("ptrace", 0x4206, p.get("ptrace_pid") or os.getppid(), 0, 0)


def process_vm_read_parent(p: Params) -> Any:
    local = ctypes.create_string_buffer(8)
    iov = (ctypes.c_void_p * 2)(ctypes.addressof(local), 8)
    remote = (ctypes.c_void_p * 2)(0x10000, 8)
    rc = libc.process_vm_readv(os.getppid(), iov, 1, remote, 1, 0)
    if rc < 0 and ctypes.get_errno() != errno.EFAULT:  # EFAULT: allowed, bad address
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return rc


def kill_parent(p: Params) -> Any:
    os.kill(os.getppid(), signal.SIGURG)  # ignored by default: harmless if it got through
    return "signalled"


def kill_victim(p: Params) -> Any:
    os.kill(p["victim"], signal.SIGKILL)
    return "killed"


def kill_process_group(p: Params) -> Any:
    os.kill(0, 0)  # signal 0: checks permission, delivers nothing
    return "allowed"


def kill_everyone(p: Params) -> Any:
    os.kill(-1, 0)
    return "allowed"


def unshare_user(p: Params) -> Any:
    return syscall("unshare", 0x10000000)  # CLONE_NEWUSER


def mount_tmpfs(p: Params) -> Any:
    return syscall("mount", b"none", p["scratch"].encode(), b"tmpfs", 0, None)


def bpf_map(p: Params) -> Any:
    attr = (ctypes.c_uint32 * 8)(2, 4, 4, 1)  # BPF_MAP_TYPE_ARRAY, key 4, value 4, 1 entry
    return syscall("bpf", 0, attr, ctypes.sizeof(attr))  # BPF_MAP_CREATE


def perf_event_open(p: Params) -> Any:
    attr = (ctypes.c_uint32 * 32)(1, 128, 0)  # PERF_TYPE_SOFTWARE, size, CPU_CLOCK
    return syscall("perf_event_open", attr, 0, -1, -1, 0)


def userfaultfd(p: Params) -> Any:
    return syscall("userfaultfd", 0o2000000 | 1)  # O_CLOEXEC | UFFD_USER_MODE_ONLY


def add_key(p: Params) -> Any:
    return syscall("add_key", b"user", b"tke-sandbox-test", b"secret", 6, -2)  # process keyring


def i386_getpid(p: Params) -> Any:
    """Make a 32-bit syscall (int 0x80) from this 64-bit process: getpid's i386 number."""
    code = bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3])  # mov eax, 20; int 0x80; ret
    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    function = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
    return function()


def x32_getpid(p: Params) -> Any:
    """getpid through the x32 ABI (syscall number with bit 30 set)."""
    rc = libc.syscall(ctypes.c_long(0x40000000 | 39))
    if rc < 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return rc


def setup_tty(p: Params) -> int:
    """Before lockdown: make the pty passed by the parent our controlling terminal."""
    import fcntl
    import termios

    fd: int = p["tty_fd"]
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
    return fd


def tiocsti(p: Params) -> Any:
    import fcntl
    import termios

    fcntl.ioctl(p["state"], termios.TIOCSTI, b"x")
    return "injected"


ESCAPES: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        os_system, subprocess_run, os_fork, ctypes_system, memfd_fexecve, execveat, clone3,
        io_uring_setup, sysv_shm, ptrace_target, process_vm_read_parent, kill_parent,
        kill_victim, kill_process_group, kill_everyone, unshare_user, mount_tmpfs, bpf_map,
        perf_event_open, userfaultfd, add_key, tiocsti, i386_getpid, x32_getpid,
    )
}  # fmt: skip
SETUPS: dict[str, Callable[[Params], Any]] = {"memfd_fexecve": setup_memfd, "tiocsti": setup_tty}
