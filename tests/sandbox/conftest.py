"""Fixtures for the sandbox tests: who the child runs as, and its environment.

Every sandboxed check runs in a fresh child (``python -I _child.py``), because
lockdown is irreversible.  When the tests run as root, the ``sandbox_user``
fixture also runs each check as ``nobody`` (the child drops its uid right after
fork, before exec), so the suite proves the sandbox both for a privileged and
an ordinary user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _sandbox_support import NOBODY, SandboxEnv, SandboxUser, chown_tree, listener, make_app, tcp6_listener


@pytest.fixture(params=["invoking-user", "nobody"])

def sandbox_user(request: pytest.FixtureRequest) -> SandboxUser:
    if request.param == "nobody":
        if os.geteuid() != 0:
            pytest.skip("dropping to nobody needs root; this run already is an unprivileged user")
        return SandboxUser("nobody", NOBODY, NOBODY)
    return SandboxUser("invoking-user")


@pytest.fixture
def sandbox_env(sandbox_user: SandboxUser) -> Iterator[SandboxEnv]:
    # Not pytest's tmp_path: its base folder is private to the invoking user,
    # and the nobody variant must reach the app folder.
    root = Path(tempfile.mkdtemp(prefix="tke-sandbox-"))
    root.chmod(0o755)
    app = make_app(root)
    scratch = root / "scratch"
    scratch.mkdir()
    if sandbox_user.uid is not None:
        # Give nobody the app so that, without the sandbox, it could write
        # there: a refusal must then come from the sandbox, not from DAC.
        chown_tree(app, sandbox_user.uid, sandbox_user.gid or sandbox_user.uid)
        chown_tree(scratch, sandbox_user.uid, sandbox_user.gid or sandbox_user.uid)
    unix_path = str(root / "listener.sock")
    unix = listener(socket.AF_UNIX, unix_path)
    os.chmod(unix_path, 0o777)
    abstract_name = f"tkelectron-sandbox-test-{uuid.uuid4().hex}"
    # A pathname datagram socket, like journald's or syslog's.
    unix_dgram_path = str(root / "datagram.sock")
    unix_dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    unix_dgram.bind(unix_dgram_path)
    unix_dgram.setblocking(False)
    os.chmod(unix_dgram_path, 0o777)
    udp4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp4.bind(("127.0.0.1", 0))
    udp4.setblocking(False)
    drop: dict[str, Any] = {}
    if sandbox_user.uid is not None:
        drop = {"user": sandbox_user.uid, "group": sandbox_user.gid, "extra_groups": []}
    victim = subprocess.Popen(["/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, **drop)
    env = SandboxEnv(
        root=root,
        app=app,
        scratch=scratch,
        tmp_name=f"/tmp/tke-sandbox-escape-{uuid.uuid4().hex}.txt",
        marker=str(scratch / "marker.txt"),
        user=sandbox_user,
        tcp4=listener(socket.AF_INET, ("127.0.0.1", 0)),
        tcp6=tcp6_listener(),
        udp4=udp4,
        unix=unix,
        unix_path=unix_path,
        unix_dgram=unix_dgram,
        unix_dgram_path=unix_dgram_path,
        mq_name=f"/tke-sandbox-test-{uuid.uuid4().hex}",
        abstract=listener(socket.AF_UNIX, "\0" + abstract_name),
        abstract_name=abstract_name,
        victim=victim,
    )
    try:
        yield env
    finally:
        victim.kill()
        victim.communicate()
        for sock in (env.tcp4, env.tcp6, env.udp4, env.unix, env.unix_dgram, env.abstract):
            if sock is not None:
                sock.close()
        shutil.rmtree(root, ignore_errors=True)
        if os.path.exists(env.tmp_name):
            os.unlink(env.tmp_name)
