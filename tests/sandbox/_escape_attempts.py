"""Escape attempts run inside a (possibly) sandboxed child.

Each attempt takes the parameter dict from the test (``app``, ``scratch``,
``tmp_name``, ports, socket names, ``victim`` pid, ``state`` from its setup)
and either returns a JSON-able value (the attempt succeeded) or raises (it
failed; the test checks the exception type and errno).  Each one is a real
attempt that succeeds without the sandbox; the control tests prove that.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import signal
import socket
from collections.abc import Callable
from typing import Any

Params = dict[str, Any]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_NR = {  # x86_64, aarch64
    "execveat": (322, 281), "io_uring_setup": (425, 425), "ptrace": (101, 117),
    "unshare": (272, 97), "mount": (165, 40), "bpf": (321, 280),
    "perf_event_open": (298, 241), "userfaultfd": (323, 282), "add_key": (248, 217),
    "shmget": (29, 194), "clone3": (435, 435),
}  # fmt: skip
_ARCH_INDEX = 1 if os.uname().machine in ("aarch64", "arm64") else 0

#: What an exec'd ``echo`` prints when an exec attempt succeeds.
EXEC_SUCCESS = json.dumps({"phase": "attempt", "ok": True, "value": "exec"})


def syscall(name: str, *args: int | bytes | ctypes._CData | None) -> int:
    """Call a raw syscall by name; raise OSError with the errno on failure."""
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    rc = _libc.syscall(ctypes.c_long(_NR[name][_ARCH_INDEX]), *converted)
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")
    return int(rc)


# --- files (Landlock) -------------------------------------------------------


def read_passwd(p: Params) -> Any:
    with open("/etc/passwd") as f:
        return f.read(20)


def list_root(p: Params) -> Any:
    return sorted(os.listdir("/"))[:3]


def create_in_app(p: Params) -> Any:
    with open(os.path.join(p["app"], "created.txt"), "x") as f:
        f.write("x")
    return "created"


def create_in_tmp(p: Params) -> Any:
    with open(p["tmp_name"], "x") as f:
        f.write("x")
    return "created"


def write_app_file(p: Params) -> Any:
    with open(os.path.join(p["app"], "data.txt"), "a") as f:
        f.write("appended")
    return "written"


def truncate_app_file(p: Params) -> Any:
    os.truncate(os.path.join(p["app"], "data.txt"), 0)
    return "truncated"


def mkdir_in_app(p: Params) -> Any:
    os.mkdir(os.path.join(p["app"], "newdir"))
    return "made"


def rename_app_file(p: Params) -> Any:
    os.rename(os.path.join(p["app"], "data.txt"), os.path.join(p["app"], "moved.txt"))
    return "renamed"


def link_app_file(p: Params) -> Any:
    os.link(os.path.join(p["app"], "data.txt"), os.path.join(p["app"], "hardlink.txt"))
    return "linked"


def symlink_in_app(p: Params) -> Any:
    os.symlink("/etc/passwd", os.path.join(p["app"], "symlink"))
    return "symlinked"


def read_parent_environ(p: Params) -> Any:
    with open(f"/proc/{os.getppid()}/environ", "rb") as f:
        return len(f.read())


def open_dev_tty(p: Params) -> Any:
    os.close(os.open("/dev/tty", os.O_RDWR))
    return "opened"


# --- metadata Landlock does not police (seccomp) ----------------------------


def chmod_app_file(p: Params) -> Any:
    os.chmod(os.path.join(p["app"], "data.txt"), 0o777)
    return "chmodded"


def utime_app_file(p: Params) -> Any:
    os.utime(os.path.join(p["app"], "data.txt"), (0, 0))
    return "touched"


def raise_fsize_limit(p: Params) -> Any:
    # Through libc rather than resource.setrlimit, which turns EPERM into ValueError.
    class Rlimit(ctypes.Structure):
        _fields_ = [("cur", ctypes.c_ulong), ("max", ctypes.c_ulong)]

    unlimited = ctypes.c_ulong(-1).value
    if _libc.setrlimit(1, ctypes.byref(Rlimit(unlimited, unlimited))) != 0:  # RLIMIT_FSIZE
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return "raised"


# --- network ----------------------------------------------------------------


def _connect(family: int, kind: int, address: Any) -> Any:
    with socket.socket(family, kind) as s:
        s.connect(address)
        return "connected"


def tcp4_connect(p: Params) -> Any:
    return _connect(socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", p["tcp4"]))


def tcp6_connect(p: Params) -> Any:
    return _connect(socket.AF_INET6, socket.SOCK_STREAM, ("::1", p["tcp6"]))


def _bind(family: int, host: str) -> Any:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        s.listen()
        return s.getsockname()[1]


def tcp4_bind(p: Params) -> Any:
    return _bind(socket.AF_INET, "127.0.0.1")


def tcp6_bind(p: Params) -> Any:
    return _bind(socket.AF_INET6, "::1")


def udp4_send(p: Params) -> Any:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        return s.sendto(b"escaped", ("127.0.0.1", p["udp4"]))


def unix_path_connect(p: Params) -> Any:
    return _connect(socket.AF_UNIX, socket.SOCK_STREAM, p["unix_path"])


def unix_abstract_connect(p: Params) -> Any:
    return _connect(socket.AF_UNIX, socket.SOCK_STREAM, "\0" + p["abstract"])


def netlink_socket(p: Params) -> Any:
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0):  # NETLINK_ROUTE
        return "opened"


# --- new programs and processes ---------------------------------------------


def os_system(p: Params) -> Any:
    rc = os.system(f"echo escaped > {p['marker']}")
    if rc != 0:
        raise ChildProcessError(f"os.system returned {rc}")
    return rc


def subprocess_run(p: Params) -> Any:
    import subprocess  # noqa: PLC0415

    return subprocess.run(["/bin/echo", "escaped"], capture_output=True, check=True).stdout.decode()


def os_fork(p: Params) -> Any:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    return os.waitpid(pid, 0)[1]


def ctypes_system(p: Params) -> Any:
    rc = _libc.system(f"echo escaped > {p['marker']}".encode())
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
    _libc.shmctl(shmid, 0, None)  # IPC_RMID: a control run leaves nothing behind
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
    rc = _libc.process_vm_readv(os.getppid(), iov, 1, remote, 1, 0)
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


def setup_tty(p: Params) -> int:
    """Before lockdown: make the pty passed by the parent our controlling terminal."""
    import fcntl  # noqa: PLC0415
    import termios  # noqa: PLC0415

    fd: int = p["tty_fd"]
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)
    return fd


def tiocsti(p: Params) -> Any:
    import fcntl  # noqa: PLC0415
    import termios  # noqa: PLC0415

    fcntl.ioctl(p["state"], termios.TIOCSTI, b"x")
    return "injected"


ESCAPES: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        read_passwd, list_root, create_in_app, create_in_tmp, write_app_file, truncate_app_file,
        mkdir_in_app, rename_app_file, link_app_file, symlink_in_app, read_parent_environ,
        open_dev_tty, chmod_app_file, utime_app_file, raise_fsize_limit, tcp4_connect,
        tcp6_connect, tcp4_bind, tcp6_bind, udp4_send, unix_path_connect, unix_abstract_connect,
        netlink_socket, os_system, subprocess_run, os_fork, ctypes_system, memfd_fexecve,
        execveat, clone3, io_uring_setup, sysv_shm, ptrace_target, process_vm_read_parent, kill_parent,
        kill_victim, kill_process_group, kill_everyone, unshare_user, mount_tmpfs, bpf_map,
        perf_event_open, userfaultfd, add_key, tiocsti,
    )
}  # fmt: skip
SETUPS: dict[str, Callable[[Params], Any]] = {"memfd_fexecve": setup_memfd, "tiocsti": setup_tty}
