"""``tkelectron run --watch``: page edits reload the window in place, main edits restart the app.

Each test runs the real command on a copy of ``apps/watched`` (headless
compositor) and follows its output: the app prints ``ready version=V pid=P``
when it starts and ``loaded TITLE pid=P`` whenever its page finishes loading;
the watcher prints what it does.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tkelectron.tools._watch_files import changed, snapshot

REPO = Path(__file__).resolve().parents[2]
APP = Path(__file__).resolve().parent / "apps" / "watched"
DEADLINE = 30.0


class Watcher:
    """``tkelectron run --watch`` as a subprocess whose output lines can be awaited."""

    def __init__(self, app: Path) -> None:
        path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tkelectron.cli", "run", "--watch", str(app), "--compositor", "headless"],
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=path),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, pattern: str, timeout: float = DEADLINE) -> tuple[re.Match[str], list[str]]:
        """The first new line matching ``pattern``, and the lines before it."""
        before: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no line matching {pattern!r} within {timeout:g} s; output:\n" + "\n".join(self.seen)
                ) from None
            if line is None:
                raise AssertionError(f"the watcher ended before {pattern!r}; output:\n" + "\n".join(self.seen))
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found, before
            before.append(line)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(DEADLINE)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def processes_using(folder: Path) -> list[str]:
    """Command lines of live processes that mention ``folder`` (the app and its renderers)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid() and alive(int(proc.name)):
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(folder) in cmdline:
                found.append(f"{proc.name}: {cmdline}")
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "watched"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    yield copy
    assert processes_using(copy) == []


def test_page_edits_reload_main_edits_restart_and_errors_wait_for_a_fix(app: Path) -> None:
    watcher = Watcher(app)
    try:
        first, _ = watcher.expect(r"ready version=1 pid=(\d+)")
        pid = int(first.group(1))
        watcher.expect(rf"loaded first pid={pid}")

        # A page edit: the window reloads, the app process stays.
        edit(app / "index.html", "<title>first</title>", "<title>second</title>")
        _, between = watcher.expect(rf"loaded second pid={pid}")
        assert any("index.html changed: reloading window" in line for line in between)
        assert not any(line.startswith("ready") for line in between)

        # A preload edit: the same.
        (app / "preload.py").write_text((app / "preload.py").read_text() + "# edited\n")
        _, between = watcher.expect(rf"loaded second pid={pid}")
        assert any("preload.py changed: reloading window" in line for line in between)

        # An edit to main.py: a new app process, running the new code.
        edit(app / "main.py", 'VERSION = "1"', 'VERSION = "2"')
        second, between = watcher.expect(r"ready version=2 pid=(\d+)")
        assert any("main.py changed: restarting the app" in line for line in between)
        assert int(second.group(1)) != pid
        assert not alive(pid)

        # Breaking main.py: the error is shown, then the watcher waits...
        edit(app / "main.py", 'VERSION = "2"', 'VERSION = "3" +')
        _, between = watcher.expect(r"waiting for a change to restart")
        assert any("SyntaxError" in line for line in between), between
        assert any(str(app / "main.py") in line for line in between), between
        assert not any("tkelectron/main/_plugins.py" in line for line in between), "framework frames shown"
        # ...and the fix starts the app again.
        edit(app / "main.py", 'VERSION = "3" +', 'VERSION = "3"')
        watcher.expect(r"main.py changed: starting the app")
        third, _ = watcher.expect(r"ready version=3 pid=(\d+)")
        watcher.expect(rf"loaded second pid={third.group(1)}")
    finally:
        code = watcher.stop()
    assert code == 130
    assert watcher.expect("stopped")
    assert not alive(int(third.group(1)))


def test_a_crashed_app_restarts_on_the_next_change(app: Path) -> None:
    watcher = Watcher(app)
    try:
        first, _ = watcher.expect(r"ready version=1 pid=(\d+)")
        watcher.expect(r"loaded first")
        os.kill(int(first.group(1)), signal.SIGKILL)
        watcher.expect(r"the app was killed by SIGKILL; waiting for a change to restart")
        (app / "renderer.py").write_text((app / "renderer.py").read_text() + "\n# edited\n")
        watcher.expect(r"renderer.py changed: starting the app")
        watcher.expect(r"ready version=1 pid=(\d+)")
    finally:
        assert watcher.stop() == 130


def test_a_file_edit_outside_the_pages_and_main_changes_nothing(app: Path) -> None:
    (app / "data").mkdir()
    (app / "data" / "notes.txt").write_text("one")
    watcher = Watcher(app)
    try:
        watcher.expect(r"loaded first")
        (app / "data" / "notes.txt").write_text("two")  # in the page's folder tree: a reload
        watcher.expect(r"data/notes.txt changed: reloading window")
        # Editor droppings are not edits: the next line is the one the real edit causes.
        (app / ".main.py.swp").write_text("x")
        (app / "main.py~").write_text("x")
        edit(app / "main.py", 'VERSION = "1"', 'VERSION = "2"')
        _, between = watcher.expect(r"ready version=2")
        assert [line for line in between if "changed" in line] == ["tkelectron watch: main.py changed: restarting the app"]
    finally:
        assert watcher.stop() == 130


def test_snapshots_ignore_caches_dotfiles_and_editor_temp_files(tmp_path: Path) -> None:
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "pkg").mkdir()
    for name in ("main.py", "pkg/page.html", "__pycache__/main.cpython-311.pyc", ".git/HEAD", ".hidden",
                 "main.py~", ".main.py.swp", "#main.py#", "4913"):
        (tmp_path / name).write_text("x")
    before = snapshot([tmp_path])
    assert sorted(str(p.relative_to(tmp_path)) for p in before) == ["main.py", "pkg/page.html"]
    (tmp_path / "pkg" / "page.html").write_text("changed")
    (tmp_path / "main.py").unlink()
    (tmp_path / "new.css").write_text("")
    assert changed(before, snapshot([tmp_path])) == {tmp_path / "pkg/page.html", tmp_path / "main.py", tmp_path / "new.css"}
