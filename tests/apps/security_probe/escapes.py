"""Escape attempts, run inside a renderer (preload or page) after lockdown.

An app module on purpose: importing it (and the attempt modules it shares
with tests/sandbox) after lockdown is itself one of the things that must keep
working. Each attempt takes the parameters main sent
(``app``, ``scratch``, ``main_pid``, ports, socket names) and either returns a
value (it got through) or raises (the test checks the exception's type and
errno). :func:`run` turns each into an outcome dict that can cross IPC.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable
from typing import Any

# The attempts the sandbox suite already has, run here inside a real renderer:
# tests/security copies tests/sandbox's attempt modules into the app's folder
# (see _security_support.make_probe_app), so both suites try the same thing.
from _escape_attempts import (
    create_in_app,
    list_root,
    mkdir_in_app,
    netlink_socket,
    read_passwd,
    tcp4_bind,
    tcp4_connect,
    tcp6_bind,
    tcp6_connect,
    truncate_app_file,
    udp4_send,
    unix_abstract_connect,
    unix_path_connect,
    write_app_file,
)  # fmt: skip
from _escape_processes import ctypes_system, io_uring_setup, os_fork, os_system, subprocess_run, unshare_user
from _raw import libc, syscall  # noqa: F401 (libc: the preload calls back through it)

Params = dict[str, Any]


# --- files (Landlock), named by what main sent --------------------------------


def create_in_scratch(p: Params) -> Any:
    with open(os.path.join(p["scratch"], "created.txt"), "x") as f:
        f.write("x")
    return "created"


def read_main_environ(p: Params) -> Any:
    with open(f"/proc/{p['main_pid']}/environ", "rb") as f:
        return len(f.read())


# --- programs and processes (seccomp), aimed at main or telling success apart ---


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
    return syscall("execveat", -100, b"/bin/echo", argv, envp, 0)  # AT_FDCWD


def ptrace_main(p: Params) -> Any:
    return syscall("ptrace", 0x4206, p["main_pid"], 0, 0)  # PTRACE_SEIZE


def kill_main(p: Params) -> Any:
    os.kill(p["main_pid"], signal.SIGTERM)
    return "signalled"


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
