"""``sandbox="required"`` refuses to open a window without every layer;
``sandbox=True`` opens it, says what is missing and warns.

``TKELECTRON_SANDBOX_DISABLE=landlock`` (the testing knob) makes this machine
look like one whose kernel has no Landlock.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from _security_support import ProbeApp, needs_full_sandbox, opened

from tkelectron import BrowserWindow, SandboxUnavailableError
from tkelectron.testing import launch


def _children() -> set[int]:
    """The pids of this process's children (any thread's)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            pass  # the thread ended while we looked
    return found


@pytest.mark.tkelectron("headless")
async def test_required_refuses_before_any_renderer_starts(compositor, probe_app: ProbeApp, monkeypatch):
    monkeypatch.setenv("TKELECTRON_SANDBOX_DISABLE", "landlock")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        before = _children()
        with pytest.raises(SandboxUnavailableError, match="landlock") as info:
            BrowserWindow(web_preferences={"sandbox": "required", "preload": probe_app.folder / "preload.py"})
        assert "tkelectron doctor" in str(info.value)
        assert BrowserWindow.get_all_windows() == []
        assert not app.app._renderers
        assert _children() == before  # no renderer process was started


@needs_full_sandbox
@pytest.mark.tkelectron("headless")
async def test_best_effort_opens_reports_the_missing_layer_and_warns(
    compositor, probe_app: ProbeApp, monkeypatch, caplog
):
    monkeypatch.setenv("TKELECTRON_SANDBOX_DISABLE", "landlock")
    caplog.set_level(logging.WARNING, logger="tkelectron")
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await app.first_window()
        report = win.web_contents.get_sandbox_report()
        assert report["missing"] == ["landlock"]
        assert report["layers"]["landlock"] is False and report["layers"]["seccomp"] is True
        assert report["sandboxed"] is True  # seccomp still confines it
        assert f"window {win.window.id}: renderer sandbox is missing: landlock" in caplog.text
        # The knob really switched Landlock off, and only Landlock.
        params = {"app": str(probe_app.folder), "tcp4": 9}
        results = await win.web_contents.invoke("run-escapes", params, ["read_passwd", "tcp4_connect", "os_fork"])
        assert results["read_passwd"]["ok"] is True
        assert (results["tcp4_connect"]["error"], results["os_fork"]["error"]) == ("PermissionError",) * 2


@needs_full_sandbox
@pytest.mark.tkelectron("headless")
async def test_required_opens_when_every_layer_is_there(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe(sandbox="required")
        await opened(app, window)
        assert window.web_contents.get_sandbox_report()["missing"] == []
        assert "sandbox is missing" not in caplog.text
