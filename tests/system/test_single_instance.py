"""``app.request_single_instance_lock`` with two real ``tkelectron run`` processes.

Each instance is the probe app in its own process; what the first instance
received is read from the file it writes, not from our own bookkeeping.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tkelectron.main._single_instance import FrameEncoder, SingleInstanceLock, runtime_dir

PROBE = Path(__file__).resolve().parents[1] / "apps" / "single_instance_probe"


class Instances:
    def __init__(self, tmp_path: Path) -> None:
        self.out = tmp_path / "second-instances.jsonl"
        self.env = {**os.environ, "SI_PROBE_OUT": str(self.out), "SI_PROBE_NAME": f"si-{uuid.uuid4().hex}",
                    "XDG_CONFIG_HOME": str(tmp_path / "config")}
        self.procs: list[subprocess.Popen[str]] = []

    def start(self, *extra: str, cwd: Path | None = None, note: str = "") -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tkelectron", "run", "--quiet", "--compositor", "headless", str(PROBE), *extra],
            env={**self.env, "SI_PROBE_NOTE": note}, cwd=cwd, stdout=subprocess.PIPE, text=True,
        )
        self.procs.append(proc)
        return proc

    def received(self) -> list[dict]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text().splitlines()]

    def lock(self) -> SingleInstanceLock:
        return SingleInstanceLock(str(Path(self.env["XDG_CONFIG_HOME"]) / self.env["SI_PROBE_NAME"]))

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            assert proc.stdout is not None
            proc.stdout.close()


@pytest.fixture
def instances(tmp_path: Path) -> Iterator[Instances]:
    found = Instances(tmp_path)
    try:
        yield found
    finally:
        found.close()


def first_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    return proc.stdout.readline().strip()  # the probe prints as soon as it is ready


def test_the_second_instance_hands_its_argv_cwd_and_data_to_the_first(instances: Instances, tmp_path: Path) -> None:
    first = instances.start()
    assert first_line(first) == f"first {first.pid}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    second = instances.start(cwd=elsewhere, note="open report.txt")
    assert first_line(second) == "second"
    assert second.wait(timeout=20) == 0
    assert first_line(first) == "got second-instance"  # acknowledged before the second quit
    [message] = instances.received()
    assert message["cwd"] == str(elsewhere)
    assert message["data"] == {"from": second.pid, "note": "open report.txt"}
    assert message["argv"][-3:] == ["--compositor", "headless", str(PROBE)]
    assert first.poll() is None  # the first goes on


def test_a_crashed_first_instance_does_not_block_the_next(instances: Instances) -> None:
    first = instances.start()
    assert first_line(first).startswith("first ")
    lock = instances.lock()
    assert lock.socket_path.exists()
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert lock.socket_path.exists()  # the crash left its socket behind
    again = instances.start()
    assert first_line(again) == f"first {again.pid}"
    third = instances.start(note="after the crash")
    assert first_line(third) == "second"
    assert third.wait(timeout=20) == 0
    assert [m["data"]["note"] for m in instances.received()] == ["after the crash"]


def test_an_interrupted_first_instance_releases_the_lock(instances: Instances) -> None:
    first = instances.start()
    assert first_line(first).startswith("first ")
    first.send_signal(signal.SIGINT)  # quits; the lock goes with the process
    first.wait(timeout=20)
    nxt = instances.start()
    assert first_line(nxt) == f"first {nxt.pid}"


def test_garbage_on_the_socket_is_dropped_and_the_first_goes_on(instances: Instances) -> None:
    first = instances.start()
    assert first_line(first).startswith("first ")
    path = str(instances.lock().socket_path)
    attacks = [
        b"\xff\xff\xff\xff",                                  # a frame over the size limit
        b"\x05\x00\x00\x00hello",                             # not msgpack of the schema
        FrameEncoder().frame({"argv": "not a list", "cwd": 1}),
        FrameEncoder().frame({"argv": [], "cwd": "/", "extra": 1}),
        b"",                                                  # connect and hang up
    ]
    for attack in attacks:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(10)
            conn.connect(path)
            conn.sendall(attack)
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(1) == b""  # no acknowledgement: dropped
    second = instances.start(note="still works")
    assert first_line(second) == "second"
    assert second.wait(timeout=20) == 0
    assert [m["data"]["note"] for m in instances.received()] == ["still works"]
    assert first.poll() is None


def test_the_lock_lives_in_a_private_runtime_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    private = tmp_path / "run"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(private))
    assert runtime_dir() == private
    private.chmod(0o755)  # not private: the fallback in the temp dir
    fallback = runtime_dir()
    assert fallback.name == f"tkelectron-{os.getuid()}" and oct(fallback.stat().st_mode & 0o777) == "0o700"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    key = f"/some/userData/{uuid.uuid4().hex}"
    lock = SingleInstanceLock(key)
    assert lock.socket_path.parent == fallback
    assert lock.acquire()
    try:
        assert oct(lock.socket_path.stat().st_mode & 0o777) == "0o600"
        other = SingleInstanceLock(key)
        assert not other.acquire()
    finally:
        lock.release()
    assert not lock.socket_path.exists()


@pytest.mark.tkelectron("headless")
async def test_a_lock_taken_while_running_serves_at_once(compositor: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import trio

    from tkelectron import app
    from tkelectron.main._single_instance import SecondInstance
    from tkelectron.testing import launch

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    blank = Path(__file__).resolve().parents[1] / "apps" / "blank"
    async with launch(blank, compositor=compositor):
        got: list[tuple] = []
        arrived = trio.Event()
        app.on("second-instance", lambda event, argv, cwd, data: (got.append((argv, cwd, data)), arrived.set()))
        assert app.request_single_instance_lock()
        assert app.has_single_instance_lock() and app.request_single_instance_lock()
        other = SingleInstanceLock(app.get_path("userData"))
        assert not other.acquire()
        message = SecondInstance(argv=["x", "--flag"], cwd="/somewhere", data=[1, "two"])
        assert await trio.to_thread.run_sync(other.notify_first, message)
        with trio.fail_after(10):
            await arrived.wait()
        assert got == [(["x", "--flag"], "/somewhere", [1, "two"])]
        app.release_single_instance_lock()
        assert not app.has_single_instance_lock()
        assert other.acquire()
        other.release()
