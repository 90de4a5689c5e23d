"""Escape attempts on files, metadata and the network, run inside a child.

Each attempt takes the parameter dict from the test (``app``, ``scratch``,
``tmp_name``, ports, socket names, ``victim`` pid, ``state`` from its setup)
and either returns a JSON-able value (the attempt succeeded) or raises (it
failed; the test checks the exception type and errno).  Each one is a real
attempt that succeeds without the sandbox; the control tests prove that.
"""

from __future__ import annotations

import ctypes
import os
import socket
from collections.abc import Callable
from typing import Any

from _raw import libc

Params = dict[str, Any]


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
    if libc.setrlimit(1, ctypes.byref(Rlimit(unlimited, unlimited))) != 0:  # RLIMIT_FSIZE
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


ESCAPES: dict[str, Callable[[Params], Any]] = {
    fn.__name__: fn
    for fn in (
        read_passwd, list_root, create_in_app, create_in_tmp, write_app_file,
        truncate_app_file, mkdir_in_app, rename_app_file, link_app_file, symlink_in_app,
        read_parent_environ, open_dev_tty, chmod_app_file, utime_app_file,
        raise_fsize_limit, tcp4_connect, tcp6_connect, tcp4_bind, tcp6_bind, udp4_send,
        unix_path_connect, unix_abstract_connect, netlink_socket,
    )
}  # fmt: skip
