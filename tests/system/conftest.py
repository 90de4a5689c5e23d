"""A real session ``dbus-daemon`` for the system-integration tests.

One daemon serves the whole test session (started on first use, killed at the
end); each test that asks for ``session_bus_address`` sees it as its
``DBUS_SESSION_BUS_ADDRESS``. The daemon runs from its own configuration: no
service directories, so nothing on this machine is ever activated on it, and
every desktop service a test talks to is one of the spec-following test
services in ``_services`` that the test itself started.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextlib.contextmanager
def running_daemon(folder: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A ``dbus-daemon`` listening in ``folder``: (address, process); killed on exit."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.fail("dbus-daemon is not installed (scripts/setup.sh installs the 'dbus' package)", pytrace=False)
    config = folder / "session.conf"
    config.write_text(_CONFIG.format(dir=folder))
    proc = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        if not address:
            pytest.fail(f"dbus-daemon did not start (exit code {proc.wait(5)})", pytrace=False)
        yield address, proc
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture(scope="session")
def dbus_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``dbus-daemon`` and yield its address; it is killed after the session."""
    with running_daemon(tmp_path_factory.mktemp("dbus")) as (address, _proc):
        yield address


@pytest.fixture
def private_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[str]]:
    """A bus of this test's own, as its session bus: the test may kill the daemon."""
    with running_daemon(tmp_path) as (address, proc):
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield proc


@pytest.fixture
def session_bus_address(dbus_daemon: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """This test's session bus: the test daemon, as ``DBUS_SESSION_BUS_ADDRESS``."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dbus_daemon)
    return dbus_daemon


@pytest.fixture
def no_session_bus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A session with no bus at all: no address, no $XDG_RUNTIME_DIR/bus."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))


@pytest.fixture(autouse=True)
def _app_identity() -> Iterator[None]:
    """Each test starts from the app's default name and desktop entry (tests here set them)."""
    from tkelectron import app

    saved = app.name, getattr(app, "desktop_name", None)
    yield
    app.name, app.desktop_name = saved
