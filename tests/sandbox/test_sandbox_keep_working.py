"""What a sandboxed renderer needs keeps working after lockdown.

Imports of modules not loaded before lockdown (C extensions included: the
dynamic loader maps them without Landlock's EXECUTE right), the app's own
modules, sqlite in memory, threads, ctypes callbacks, signals to itself, and
the two ways resources reach a renderer: its IPC socketpair and file
descriptors passed over it (SCM_RIGHTS).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

import pytest
from _sandbox_support import APP_DATA, CHILD_TIMEOUT, SandboxEnv

from tkelectron.common._sandbox_policy import probe

pytestmark = pytest.mark.skipif(
    bool(probe()["missing"]), reason=f"this machine lacks sandbox layers: {probe()['missing']}"
)

# Stdlib modules backed by C extensions that link system libraries
# (libsqlite3, libmpdec, liblzma, libssl, libbz2, libncursesw, libuuid, libexpat).
FRESH_IMPORTS = ["sqlite3", "decimal", "lzma", "ssl", "bz2", "curses", "uuid", "xml.etree.ElementTree"]

CHECKS: dict[str, Callable[[Any], bool]] = {
    "import_app_module": lambda v: v == ["from appmod", "from apppkg.sub"],
    "sqlite_in_memory": lambda v: v == 6,
    "threads": lambda v: v == [n * n for n in range(8)],
    "ctypes_callback": lambda v: v == [1, 2, 3, 4, 5],
    "read_app_file": lambda v: v == APP_DATA,
    "socketpair_after": lambda v: v == "ping",
    "signal_self": lambda v: v == 2,
    "zoneinfo_lookup": lambda v: v == "Europe/Paris",
}


def _assert_sandboxed_ok(result: dict[str, Any]) -> Any:
    assert result["phase"] == "attempt", result
    assert result["report"]["missing"] == [], result["report"]
    assert result["ok"], result
    return result["value"]


@pytest.mark.parametrize("attempt", list(CHECKS))
def test_keeps_working_after_lockdown(sandbox_env: SandboxEnv, attempt: str) -> None:
    if attempt == "zoneinfo_lookup" and not os.path.exists("/usr/share/zoneinfo/Europe/Paris"):
        pytest.skip("no system time zone database here")
    value = _assert_sandboxed_ok(sandbox_env.run(attempt))
    assert CHECKS[attempt](value), f"{attempt} returned {value!r}"


@pytest.mark.parametrize("module", FRESH_IMPORTS)
def test_importing_a_new_stdlib_module_after_lockdown(sandbox_env: SandboxEnv, module: str) -> None:
    result = sandbox_env.run("fresh_import", params={"module": module})
    if result.get("error") == "AlreadyImported":
        pytest.skip(result["message"])
    if result.get("error") == "ModuleNotFoundError":
        pytest.skip(f"{module} is not built into this Python")
    value = _assert_sandboxed_ok(result)
    assert value["name"] == module


def test_a_new_c_extension_loads_after_lockdown(sandbox_env: SandboxEnv) -> None:
    # Whatever the framework preloads, at least one of these must be a fresh
    # C extension load, or the tests above prove nothing about the loader.
    fresh = []
    for module in FRESH_IMPORTS:
        result = sandbox_env.run("fresh_import", params={"module": module})
        if result["ok"]:
            fresh += result["value"]["extensions"]
    assert fresh, "no C extension was loaded for the first time after lockdown"


def test_a_real_renderer_import_then_trio_works_after_lockdown(sandbox_env: SandboxEnv) -> None:
    # The whole framework imported before lockdown, then trio's loop (epoll,
    # its wakeup socketpair, a worker thread) inside the sandbox.
    value = _assert_sandboxed_ok(sandbox_env.run("trio_loop", lean=False))
    assert value == [0, 10, 20]


def _pair() -> tuple[socket.socket, socket.socket]:
    ours, theirs = socket.socketpair()
    ours.settimeout(CHILD_TIMEOUT)  # a safety net: every recv below awaits a real event
    return ours, theirs


def test_ipc_socketpair_created_before_lockdown_keeps_working(sandbox_env: SandboxEnv) -> None:
    ours, theirs = _pair()
    with ours:
        proc = sandbox_env.start("ipc_socketpair", params={"ipc_fd": theirs.fileno()}, pass_fds=[theirs.fileno()])
        theirs.close()
        assert ours.recv(5) == b"ready"  # sent after lockdown
        ours.sendall(b"hello renderer")
        assert ours.recv(100) == b"hello renderer"[::-1]
        result = sandbox_env.finish(proc)
    assert _assert_sandboxed_ok(result) == "hello renderer"


def test_fd_passed_over_scm_rights_after_lockdown_is_usable(sandbox_env: SandboxEnv) -> None:
    # A file outside the allow-list: the child cannot open it, but may read it
    # once the parent grants it (how ports and granted files reach a renderer).
    secret_dir = sandbox_env.root / "private"
    secret_dir.mkdir()
    secret = secret_dir / "granted.txt"
    secret.write_text("granted by main")
    ours, theirs = _pair()
    with ours, open(secret) as granted:
        proc = sandbox_env.start(
            "scm_rights",
            params={"ipc_fd": theirs.fileno(), "secret": str(secret)},
            pass_fds=[theirs.fileno()],
        )
        theirs.close()
        assert ours.recv(5) == b"ready"
        socket.send_fds(ours, [b"fd"], [granted.fileno()])
        result = sandbox_env.finish(proc)
    value = _assert_sandboxed_ok(result)
    assert value == {"content": "granted by main", "direct": "PermissionError:13"}


MIB = 1024**2


def test_threads_run_up_to_the_limit_and_no_further(sandbox_env: SandboxEnv) -> None:
    limits = {"max_threads": 16}
    result = sandbox_env.run("threads_until_refused", params={"at_most": 40}, limits=limits)
    value = _assert_sandboxed_ok(result)
    rlimits = result["report"]["layers"]["rlimits"]
    if not result["report"]["layers"]["privileges"]["own_uid"]:
        # Neither its own uid nor its own user namespace: RLIMIT_NPROC would
        # count all of that user's processes, so there is no thread limit.
        assert rlimits["threads"] is None and "own user namespace" in rlimits["threads_unlimited_because"]
        assert value == {"started": 40, "refused": None}
        return
    assert rlimits["threads"] == 16
    assert value["started"] == 15, value  # the main thread is the sixteenth
    assert "can't start new thread" in value["refused"]
    control = sandbox_env.run("threads_until_refused", params={"at_most": 40}, mode=False)
    assert control["ok"] and control["value"] == {"started": 40, "refused": None}, control


def test_memory_up_to_the_limit_and_no_further(sandbox_env: SandboxEnv) -> None:
    limits = {"max_memory": 512 * MIB}
    within = sandbox_env.run("allocate", params={"bytes": 128 * MIB}, limits=limits)
    assert _assert_sandboxed_ok(within) == 128 * MIB
    assert within["report"]["layers"]["rlimits"]["address_space"] == 512 * MIB
    beyond = sandbox_env.run("allocate", params={"bytes": 640 * MIB}, limits=limits)
    assert beyond["phase"] == "attempt" and beyond["error"] == "MemoryError", beyond
    control = sandbox_env.run("allocate", params={"bytes": 640 * MIB}, mode=False)
    assert control["ok"] and control["value"] == 640 * MIB, control


def test_a_real_renderer_with_its_default_limits_runs_trio_and_its_worker_threads(sandbox_env: SandboxEnv) -> None:
    # trio's to_thread allows 40 workers at once by default: the default thread
    # limit leaves room for all of them.
    result = sandbox_env.run("threads_until_refused", params={"at_most": 41}, lean=False)
    assert _assert_sandboxed_ok(result) == {"started": 41, "refused": None}


def test_the_thread_limit_counts_only_the_renderer_s_own_threads(sandbox_env: SandboxEnv) -> None:
    # Twenty other processes of the same user: a plain RLIMIT_NPROC of 16
    # would refuse the first thread; the renderer's own uid (root) or own user
    # namespace (an ordinary user) counts only its tasks.
    import subprocess

    drop = {}
    if sandbox_env.user.uid is not None:
        drop = {"user": sandbox_env.user.uid, "group": sandbox_env.user.gid, "extra_groups": []}
    others = [subprocess.Popen(["sleep", "60"], **drop) for _ in range(20)]
    try:
        result = sandbox_env.run("threads_until_refused", params={"at_most": 40}, limits={"max_threads": 16})
    finally:
        for other in others:
            other.kill()
            other.wait()
    value = _assert_sandboxed_ok(result)
    if not result["report"]["layers"]["privileges"]["own_uid"]:
        pytest.skip(f"no way to count apart here: {result['report']['layers']['rlimits']}")
    assert value["started"] == 15, value
