"""Escape attempts, run inside a renderer (preload or page) after lockdown.

An app module on purpose: importing it after lockdown is itself one of the
things that must keep working. Each attempt takes the parameters main sent
(``app``, ``scratch``, ``main_pid``, ports, socket names) and either returns a
value (it got through) or raises (the test checks the exception's type and
errno). :func:`run` turns each into an outcome dict that can cross IPC.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
from collections.abc import Callable
from typing import Any

Params = dict[str, Any]

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
_NR = {  # x86_64, aarch64
    "execveat": (322, 281), "io_uring_setup": (425, 425), "ptrace": (101, 117), "unshare": (272, 97),
}  # fmt: skip
_ARCH = 1 if os.uname().machine in ("aarch64", "arm64") else 0


def _syscall(name: str, *args: Any) -> int:
    converted = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
    rc = libc.syscall(ctypes.c_long(_NR[name][_ARCH]), *converted)
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{name}: {os.strerror(err)}")
    return int(rc)


# --- files (Landlock) -------------------------------------------------------


def read_passwd(p: Params) -> Any:
    with open("/etc/passwd") as f:
        return f.read(10)


def list_root(p: Params) -> Any:
    return sorted(os.listdir("/"))[:3]


def create_in_app(p: Params) -> Any:
    with open(os.path.join(p["app"], "created.txt"), "x") as f:
        f.write("x")
    return "created"


def create_in_scratch(p: Params) -> Any:
    with open(os.path.join(p["scratch"], "created.txt"), "x") as f:
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


def read_main_environ(p: Params) -> Any:
    with open(f"/proc/{p['main_pid']}/environ", "rb") as f:
        return len(f.read())


# --- network (seccomp refuses socket(); Landlock also refuses TCP) -----------


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


# --- programs and processes (seccomp) -----------------------------------------


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
        raise ChildProcessError(f"libc system() returned {rc}")
    return rc


def memfd_fexecve(p: Params) -> Any:
    fd = os.memfd_create("payload", 0)
    try:
        try:  # fill it with a program; RLIMIT_FSIZE=0 and Landlock stop this in the sandbox
            with open("/bin/echo", "rb") as f:
                os.write(fd, f.read())
        except OSError:
            pass  # exec the (empty) memfd anyway: the exec itself must be refused
        os.execve(fd, ["echo", "escaped"], {})  # fexecve: execveat(fd, "", AT_EMPTY_PATH)
    finally:
        os.close(fd)


def execveat(p: Params) -> Any:
    argv = (ctypes.c_char_p * 3)(b"echo", b"escaped", None)
    envp = (ctypes.c_char_p * 1)(None)
    return _syscall("execveat", -100, b"/bin/echo", argv, envp, 0)  # AT_FDCWD


def io_uring_setup(p: Params) -> Any:
    params = ctypes.create_string_buffer(120)  # struct io_uring_params, zeroed
    fd = _syscall("io_uring_setup", 4, params)
    os.close(fd)
    return "ring"


def ptrace_main(p: Params) -> Any:
    return _syscall("ptrace", 0x4206, p["main_pid"], 0, 0)  # PTRACE_SEIZE


def kill_main(p: Params) -> Any:
    os.kill(p["main_pid"], signal.SIGTERM)
    return "signalled"


def unshare_user(p: Params) -> Any:
    return _syscall("unshare", 0x10000000)  # CLONE_NEWUSER


ATTEMPTS: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        read_passwd, list_root, create_in_app, create_in_scratch, write_app_file, truncate_app_file,
        mkdir_in_app, read_main_environ, tcp4_connect, tcp6_connect, tcp4_bind, tcp6_bind, udp4_send,
        unix_path_connect, unix_abstract_connect, netlink_socket, os_system, subprocess_run, os_fork,
        ctypes_system, memfd_fexecve, execveat, io_uring_setup, ptrace_main, kill_main, unshare_user,
    )
}  # fmt: skip


def outcome(fn: Callable[[Params], Any], params: Params) -> dict[str, Any]:
    """Run one attempt: ``{"ok": True, "value"}`` or ``{"ok": False, "error", "errno", "message"}``."""
    try:
        value = fn(params)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__, "errno": getattr(exc, "errno", None), "message": str(exc)}
    return {"ok": True, "value": repr(value)}


def run(params: Params, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Run the named attempts (all by default), in order, and report each."""
    chosen = names if names is not None else list(ATTEMPTS)
    return {name: outcome(ATTEMPTS[name], params) for name in chosen}
