"""Helpers for the security suite: a private copy of the probe app, and
listening endpoints for a sandboxed renderer to attack.

The app is copied into the test's own folder so that an escape that got
through would damage only the copy (and be seen there), never the repo.
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _app_copy import load_private_copy

from tkelectron.common._sandbox_policy import probe

PROBE_APP = Path(__file__).resolve().parents[1] / "apps" / "security_probe"
SANDBOX_TESTS = Path(__file__).resolve().parents[1] / "sandbox"
SHARED_ATTEMPTS = ("_escape_attempts.py", "_escape_processes.py", "_raw.py")
APP_DATA = "app data, must stay as it is\n"

#: Skip marker for tests that need every sandbox layer on this machine.
needs_full_sandbox = pytest.mark.skipif(
    bool(probe()["missing"]), reason=f"this machine lacks sandbox layers: {probe()['missing']}"
)


@dataclass
class ProbeApp:
    """A private copy of tests/apps/security_probe and its loaded main module."""

    folder: Path
    module: ModuleType

    def data(self) -> str:
        return (self.folder / "data.txt").read_text()


def make_probe_app(root: Path) -> ProbeApp:
    folder = root / "app"

    def prepare(copy: Path) -> None:
        for shared in SHARED_ATTEMPTS:  # one list of escape attempts for both suites
            shutil.copy(SANDBOX_TESTS / shared, copy / shared)
        (copy / "data.txt").write_text(APP_DATA)

    return ProbeApp(folder, load_private_copy(PROBE_APP, folder, prepare))


def listener(family: int, address: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.bind(address)
    sock.listen()
    sock.setblocking(False)
    return sock


def tcp6_listener() -> socket.socket | None:
    try:
        return listener(socket.AF_INET6, ("::1", 0))
    except OSError:
        return None  # no IPv6 loopback here


@dataclass
class Targets:
    """What a renderer may try to reach; ``params()`` is what it is told."""

    app: Path
    scratch: Path
    tcp4: socket.socket
    tcp6: socket.socket | None
    udp4: socket.socket
    unix: socket.socket
    unix_path: str
    abstract: socket.socket
    abstract_name: str
    marker: str = field(init=False)

    def __post_init__(self) -> None:
        self.marker = str(self.scratch / "marker.txt")

    def params(self) -> dict[str, Any]:
        return {
            "app": str(self.app),
            "scratch": str(self.scratch),
            "marker": self.marker,
            "main_pid": os.getpid(),
            "tcp4": self.tcp4.getsockname()[1],
            "tcp6": self.tcp6.getsockname()[1] if self.tcp6 else None,
            "udp4": self.udp4.getsockname()[1],
            "unix_path": self.unix_path,
            "abstract": self.abstract_name,
        }

    def accepted(self, sock: socket.socket | None) -> bool:
        """True if someone connected to ``sock`` (consumes the connection)."""
        if sock is None:
            return False
        try:
            sock.accept()[0].close()
        except BlockingIOError:
            return False
        return True

    def datagram(self) -> bool:
        try:
            self.udp4.recv(100)
        except BlockingIOError:
            return False
        return True

    def close(self) -> None:
        for sock in (self.tcp4, self.tcp6, self.udp4, self.unix, self.abstract):
            if sock is not None:
                sock.close()


async def opened(app: Any, window: Any) -> Any:
    """Wait until ``window`` (a BrowserWindow) has loaded; return its harness."""
    return await app.wait_for_window(lambda harness: harness.window is window)
