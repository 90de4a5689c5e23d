"""Escape attempts from app code in real, sandboxed renderer windows.

The unit suite (tests/sandbox) locks bare children down; this one proves the
default an app gets: a BrowserWindow with default web preferences, its
renderer started by main, the attempts run by the app's preload and by its
page scripts after lockdown, each outcome reported back over IPC. Every
attempt must fail with the sandbox's error (Landlock: EACCES; seccomp: EPERM),
leave no side effect, and main must survive; what apps need must keep working
in the same renderer. A control run with ``sandbox=False`` shows that the
attempts are real.
"""

from __future__ import annotations

import errno
import os

import pytest
from _security_support import APP_DATA, ProbeApp, Targets, needs_full_sandbox, opened

from tkelectron.testing import launch

LANDLOCK = ("PermissionError", errno.EACCES)
SECCOMP = ("PermissionError", errno.EPERM)
NO_SHELL = ("ChildProcessError", None)  # system() returned -1: the shell never started

EXPECTED: dict[str, tuple[str, int | None]] = {
    "read_passwd": LANDLOCK,
    "list_root": LANDLOCK,
    "create_in_app": LANDLOCK,
    "create_in_scratch": LANDLOCK,
    "write_app_file": LANDLOCK,
    "truncate_app_file": LANDLOCK,
    "mkdir_in_app": LANDLOCK,
    "read_main_environ": LANDLOCK,
    "tcp4_connect": SECCOMP,
    "tcp6_connect": SECCOMP,
    "tcp4_bind": SECCOMP,
    "tcp6_bind": SECCOMP,
    "udp4_send": SECCOMP,
    "unix_path_connect": SECCOMP,
    "unix_abstract_connect": SECCOMP,
    "netlink_socket": SECCOMP,
    "os_system": NO_SHELL,
    "subprocess_run": SECCOMP,
    "os_fork": SECCOMP,
    "ctypes_system": NO_SHELL,
    "memfd_fexecve": SECCOMP,
    "execveat": SECCOMP,
    "io_uring_setup": SECCOMP,
    "ptrace_main": SECCOMP,
    "kill_main": SECCOMP,
    "unshare_user": SECCOMP,
}
PAGE_ATTEMPTS = ["read_passwd", "create_in_app", "tcp4_connect", "os_fork", "subprocess_run", "ctypes_system"]
# Safe to let through in a control run (none replaces the renderer or touches main).
CONTROL = [
    "read_passwd", "list_root", "create_in_app", "create_in_scratch", "write_app_file", "mkdir_in_app",
    "read_main_environ", "tcp4_connect", "tcp4_bind", "udp4_send", "unix_path_connect",
    "unix_abstract_connect", "netlink_socket", "os_system", "subprocess_run", "os_fork", "ctypes_system",
]  # fmt: skip


def _no_side_effects(app: ProbeApp, t: Targets) -> None:
    assert not (t.app / "created.txt").exists()
    assert not (t.scratch / "created.txt").exists()
    assert not (t.app / "newdir").exists()
    assert app.data() == APP_DATA
    assert not os.path.exists(t.marker)
    for sock in (t.tcp4, t.tcp6, t.unix, t.abstract):
        assert not t.accepted(sock)
    assert not t.datagram()


def _check_refused(results: dict[str, dict], expected: dict[str, tuple[str, int | None]]) -> None:
    wrong = {
        name: results[name]
        for name, kind in expected.items()
        if results[name]["ok"] or (results[name]["error"], results[name]["errno"]) != kind
    }
    assert not wrong, f"attempts that did not fail with the sandbox's error: {wrong}"


@needs_full_sandbox
@pytest.mark.tkelectron
async def test_every_escape_fails_in_a_default_window_and_main_survives(compositor, probe_app, targets):
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        report = wc.get_sandbox_report()
        assert report["sandboxed"] is True and report["missing"] == []
        layers = report["layers"]
        assert layers["pdeathsig"] and layers["rlimits"] and layers["no_new_privs"] and layers["seccomp"]
        assert layers["landlock"]["fs"] is True and layers["landlock"]["net"] is True

        params = targets.params()
        expected = dict(EXPECTED)
        if params["tcp6"] is None:
            expected = {k: v for k, v in expected.items() if not k.startswith("tcp6")}
        results = await wc.invoke("run-escapes", params, list(expected))
        _check_refused(results, expected)
        _no_side_effects(probe_app, targets)

        # The same renderer still does everything an app needs, and so does main.
        kept = await wc.invoke("keep-working")
        assert {name: r["ok"] for name, r in kept.items()} == dict.fromkeys(kept, True), kept
        assert kept["sqlite_in_memory"]["value"] == "6" and kept["ctypes_callback"]["value"] == "[1, 2, 3, 4]"
        assert kept["ipc_socket"]["value"] == "['over the socket']"
        assert not wc.is_crashed() and app.gone == []
        assert (await win.text_content("#status")).strip() == "ready"


@needs_full_sandbox
@pytest.mark.tkelectron("headless")
async def test_page_scripts_are_confined_too(compositor, probe_app, targets):
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await app.first_window()
        results = await win.web_contents.invoke("ask-page", targets.params(), PAGE_ATTEMPTS)
        _check_refused(results, {name: EXPECTED[name] for name in PAGE_ATTEMPTS})
        _no_side_effects(probe_app, targets)


@pytest.mark.tkelectron("headless")
async def test_control_without_the_sandbox_the_attempts_get_through(compositor, probe_app, targets):
    """Each check above could fail: unsandboxed, the same attempts succeed."""
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        window = probe_app.module.open_probe(sandbox=False)
        await opened(app, window)
        assert window.web_contents.get_sandbox_report()["sandboxed"] is False
        results = await window.web_contents.invoke("run-escapes", targets.params(), CONTROL)
        failed = {name: r for name, r in results.items() if not r["ok"]}
        assert not failed, failed
        assert (targets.app / "created.txt").exists() and (targets.scratch / "created.txt").exists()
        assert probe_app.data() != APP_DATA and os.path.exists(targets.marker)
        assert targets.accepted(targets.tcp4) and targets.accepted(targets.unix) and targets.accepted(targets.abstract)
        assert targets.datagram()
