"""Fixtures for the security suite (helpers live in _security_support)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _security_support import ProbeApp, Targets, listener, make_probe_app, tcp6_listener


@pytest.fixture
def probe_app(tmp_path: Path) -> ProbeApp:
    return make_probe_app(tmp_path)


@pytest.fixture
def targets(probe_app: ProbeApp, tmp_path: Path) -> Iterator[Targets]:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    udp4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp4.bind(("127.0.0.1", 0))
    udp4.setblocking(False)
    unix_path = str(tmp_path / "listener.sock")
    abstract_name = f"tkelectron-security-test-{uuid.uuid4().hex}"
    found = Targets(
        app=probe_app.folder,
        scratch=scratch,
        tcp4=listener(socket.AF_INET, ("127.0.0.1", 0)),
        tcp6=tcp6_listener(),
        udp4=udp4,
        unix=listener(socket.AF_UNIX, unix_path),
        unix_path=unix_path,
        abstract=listener(socket.AF_UNIX, "\0" + abstract_name),
        abstract_name=abstract_name,
    )
    try:
        yield found
    finally:
        found.close()
