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


def _proc_fields(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]:
        name = line[:26].strip()
        fields[name] = line[26:47].strip()  # the soft limit column
    return fields


@needs_full_sandbox
@pytest.mark.tkelectron("headless")
async def test_a_window_renderer_runs_with_no_capabilities_and_its_configured_limits(compositor, probe_app: ProbeApp):
    from tkelectron.common._sandbox_policy import probe
    from tkelectron.renderer._privileges import RENDERER_UID_BASE

    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe(max_memory=1024**3, max_threads=32)
        await opened(app, window)
        report = window.web_contents.get_sandbox_report()
        layers = report["layers"]
        assert layers["privileges"]["capabilities"] == 0
        assert layers["rlimits"]["address_space"] == 1024**3
        found = probe()
        if not found["cgroup"]:
            assert layers["cgroup"] is False and report["skipped"]["cgroup"] == found["cgroup_status"]
        # Read back from the kernel, from main's side.
        seen = _proc_fields(window.web_contents.get_os_process_id())
        assert seen["CapEff"] == seen["CapPrm"] == seen["CapInh"] == seen["CapAmb"] == "0" * 16
        assert seen["Max address space"] == str(1024**3)
        assert seen["Max realtime priority"] == "0"
        if found["root"]:
            assert int(seen["CapBnd"], 16) == 0
            assert int(seen["Uid"].split()[0]) >= RENDERER_UID_BASE  # its own real uid
            assert layers["rlimits"]["threads"] == 32 and seen["Max processes"] == "32"
        # ...and it still does what an app needs.
        kept = await window.web_contents.invoke("keep-working")
        assert all(r["ok"] for r in kept.values()), kept
