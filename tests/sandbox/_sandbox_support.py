"""Helpers for the sandbox tests: the child runner and the per-test environment.

Every sandboxed check runs in a fresh child (``python -I _child.py``) because
lockdown is irreversible; :class:`SandboxEnv` starts it (optionally as another
user), passes it the endpoints to attack and parses its one JSON line.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("_child.py")
NOBODY = 65534
CHILD_TIMEOUT = 60  # a safety net for a hung child, not a wait


@dataclass(frozen=True)
class SandboxUser:
    """Who the child runs as: the invoking user, or nobody (root only)."""

    name: str
    uid: int | None = None
    gid: int | None = None

    @property
    def effective_uid(self) -> int:
        return os.geteuid() if self.uid is None else self.uid


@dataclass
class SandboxEnv:
    """One test's folders and the listening endpoints a child may attack."""

    root: Path
    app: Path
    scratch: Path
    tmp_name: str
    marker: str
    user: SandboxUser
    tcp4: socket.socket
    tcp6: socket.socket | None
    udp4: socket.socket
    unix: socket.socket
    unix_path: str
    unix_dgram: socket.socket
    unix_dgram_path: str
    mq_name: str
    abstract: socket.socket
    abstract_name: str
    victim: subprocess.Popen[bytes]

    def params(self) -> dict[str, Any]:
        return {
            "scratch": str(self.scratch),
            "tmp_name": self.tmp_name,
            "marker": self.marker,
            "tcp4": self.tcp4.getsockname()[1],
            "tcp6": self.tcp6.getsockname()[1] if self.tcp6 else None,
            "udp4": self.udp4.getsockname()[1],
            "unix_path": self.unix_path,
            "unix_dgram": self.unix_dgram_path,
            "mq_name": self.mq_name,
            "abstract": self.abstract_name,
            "victim": self.victim.pid,
        }

    def start(
        self,
        attempt: str,
        *,
        mode: bool | str = True,
        disable: Sequence[str] = (),
        params: dict[str, Any] | None = None,
        pass_fds: Sequence[int] = (),
        platform: str | None = None,
        lean: bool = True,
        limits: dict[str, int | None] | None = None,
        interpreter: str | None = None,
        prefix: Sequence[str] = (),
    ) -> subprocess.Popen[bytes]:
        """Start the child for ``attempt``; collect its result with :meth:`finish`.

        ``platform`` makes the child pretend to be another OS (``sys.platform``)
        before it calls lock_down.  ``lean=False`` imports the whole tkelectron
        package first, as a real renderer does.  ``interpreter`` runs the
        child with another Python and only that Python's own import path;
        ``prefix`` runs it through a command (e.g. ``unshare``).
        """
        config = {
            "repo": str(REPO),
            "app": str(self.app),
            "attempt": attempt,
            "mode": mode,
            "disable": list(disable),
            "lean": lean,
            "limits": limits,
            "params": self.params() | (params or {}),
        }
        drop: dict[str, Any] = {}
        python = sys.executable
        if self.user.uid is not None:
            drop = {"user": self.user.uid, "group": self.user.gid, "extra_groups": []}
            python = interpreter_for(self.user)
        # `-I` ignores PYTHONPATH: hand the child our import path explicitly.
        config["extra_path"] = [entry for entry in sys.path if entry and os.path.isdir(entry)]
        if interpreter is not None:  # e.g. the system's: only its own path, readable by anyone
            python = interpreter
            config["extra_path"] = []
        if platform is not None:
            config["platform"] = platform
        return subprocess.Popen(
            [*prefix, python, "-I", str(CHILD), json.dumps(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,  # a pipe: RLIMIT_FSIZE=0 forbids writing a file
            stderr=subprocess.PIPE,
            cwd=self.app,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            start_new_session=True,
            pass_fds=tuple(pass_fds),
            **drop,
        )

    def finish(self, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
        """Wait for the child and return its JSON result (``phase="died"`` if it printed none)."""
        out, err = proc.communicate(timeout=CHILD_TIMEOUT)
        lines = out.decode().strip().splitlines()
        if not lines:  # killed (e.g. by seccomp's SIGSYS) or crashed before reporting
            return {"phase": "died", "ok": False, "returncode": proc.returncode, "stderr": err.decode()}
        result: dict[str, Any] = json.loads(lines[-1])
        result["stderr"] = err.decode()
        return result

    def run(self, attempt: str, **kwargs: Any) -> dict[str, Any]:
        """Run ``attempt`` in a child (sandboxed unless ``mode=False``); return its result."""
        return self.finish(self.start(attempt, **kwargs))

    def data_file(self) -> Path:
        return self.app / "data.txt"


@functools.cache
def interpreter_for(user: SandboxUser) -> str:
    """Return a Python executable ``user`` can run.

    The test interpreter may live where another user cannot reach it (here: a
    venv whose interpreter is under /root).  Then the system interpreter of the
    same version runs the child; the import path handed to every child
    supplies the packages.
    """
    drop = {"user": user.uid, "group": user.gid, "extra_groups": []}
    if _can_exec(sys.executable, drop):
        return sys.executable
    fallback = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    if not _can_exec(fallback, drop):
        raise RuntimeError(f"no Python runnable as uid {user.uid}")
    return fallback


def _can_exec(path: str, drop: dict[str, Any]) -> bool:
    try:
        subprocess.run([path, "-I", "-c", "pass"], capture_output=True, check=True, **drop)
    except (OSError, subprocess.CalledProcessError):
        return False
    return True


APP_DATA = "app data\n"


def make_app(root: Path) -> Path:
    app = root / "app"
    (app / "apppkg").mkdir(parents=True)
    (app / "appmod.py").write_text("VALUE = 'from appmod'\n")
    (app / "apppkg" / "__init__.py").write_text("")
    (app / "apppkg" / "sub.py").write_text("VALUE = 'from apppkg.sub'\n")
    (app / "data.txt").write_text(APP_DATA)
    return app


def chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for base, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(base, name), uid, gid)


def listener(family: int, address: Any) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.bind(address)
    sock.listen(16)
    return sock


def tcp6_listener() -> socket.socket | None:
    try:
        return listener(socket.AF_INET6, ("::1", 0))
    except OSError:
        return None  # no IPv6 loopback here: the v6 attempts skip
