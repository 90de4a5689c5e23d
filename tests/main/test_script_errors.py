"""A plain script's failure is one line naming the user's file and line, in a real subprocess.

A script that calls ``app.run()`` itself (``python main.py``, or a ``.py``
file given to ``tkelectron run``) fails in a hook, in its async ``main`` or
on a missing page: the terminal shows one line — ``tkelectron: main.py:6:
ValueError: …`` — not the exception group trio, pluggy and outcome wrap it
in, and ``TKELECTRON_DEBUG=1`` shows the full traceback. ``tkelectron run
--watch`` tells the same line and waits for a fix.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

MAIN_RAISES = '''\
from tkelectron import BrowserWindow, app


async def main():
    await app.when_ready()
    BrowserWindow(title="x", show=False)
    raise ValueError("main could not start")  # MAIN


app.run(main)
'''

MISSING_PAGE = '''\
import sys

from tkelectron import BrowserWindow, app


async def main():
    window = BrowserWindow(title="x")
    await window.load_file("nothere.html")  # LOAD


sys.exit(app.run(main))
'''

HOOK_RAISES = '''\
import sys

from tkelectron import app, hookimpl


@hookimpl
def tkelectron_ready(app):
    raise RuntimeError("the hook failed")  # HOOK


app.register_plugin(sys.modules[__name__])
sys.exit(app.run())
'''

# The script catches the app's failure and raises its own: Python's traceback, untouched.
CAUGHT = '''\
from tkelectron import app


async def main():
    raise ValueError("inner")


try:
    app.run(main)
except Exception:
    raise LookupError("the script's own error")  # OWN
'''


def line_of(source: str, marker: str) -> int:
    """The 1-based line of ``source`` that carries ``# marker``."""
    return next(n for n, line in enumerate(source.splitlines(), 1) if f"# {marker}" in line)


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TKELECTRON_DEBUG", "TKELECTRON_COMPOSITOR")}
    env.update(extra)
    return env


def python(cwd: Path, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python main.py`` (the script written to ``cwd/main.py``) with ``env`` added."""
    (cwd / "main.py").write_text(script)
    return subprocess.run(
        [sys.executable, "main.py"], cwd=cwd, capture_output=True, text=True, timeout=90,
        env=environ(**env), check=False,
    )


def error(where: str, message: str, tail: str = " (TKELECTRON_DEBUG=1 for the traceback)") -> str:
    return f"tkelectron: {where}: {message}{tail}"


def assert_full_traceback(text: str, frame: str, library: str, hint: str) -> None:
    """``text`` is the full traceback: the user's ``frame``, a ``library``'s frames, no one-line ``hint``."""
    assert "Traceback (most recent call last)" in text
    assert library in text  # the framework's frames are shown too
    assert frame in text
    assert hint not in text


def test_python_main_py_whose_main_raises_is_one_line(tmp_path: Path) -> None:
    done = python(tmp_path, MAIN_RAISES, TKELECTRON_COMPOSITOR="headless")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        error(f"main.py:{line_of(MAIN_RAISES, 'MAIN')}", "ValueError: main could not start")
    ]


def test_python_main_py_with_a_missing_page_names_the_line_on_tk(tmp_path: Path, display: str) -> None:
    done = python(tmp_path, MISSING_PAGE, DISPLAY=display)
    assert done.returncode == 1
    page = (tmp_path / "nothere.html").resolve()
    assert done.stderr.splitlines() == [
        error(f"main.py:{line_of(MISSING_PAGE, 'LOAD')}", f"FileNotFoundError: no page at {page}")
    ]


def test_python_main_py_whose_hook_raises_is_one_line_on_tk(tmp_path: Path, display: str) -> None:
    done = python(tmp_path, HOOK_RAISES, DISPLAY=display)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        error(f"main.py:{line_of(HOOK_RAISES, 'HOOK')}", "RuntimeError: the hook failed")
    ]


def test_debug_shows_the_full_traceback_of_a_plain_script(tmp_path: Path) -> None:
    done = python(tmp_path, MAIN_RAISES, TKELECTRON_COMPOSITOR="headless", TKELECTRON_DEBUG="1")
    assert done.returncode == 1
    frame = f'main.py", line {line_of(MAIN_RAISES, "MAIN")}, in main'
    assert_full_traceback(done.stderr, frame, "trio", "TKELECTRON_DEBUG=1 for the traceback")


def test_an_error_the_script_raises_itself_keeps_pythons_traceback(tmp_path: Path) -> None:
    done = python(tmp_path, CAUGHT, TKELECTRON_COMPOSITOR="headless")
    assert done.returncode == 1
    assert f'main.py", line {line_of(CAUGHT, "OWN")}, in <module>' in done.stderr
    assert done.stderr.rstrip().endswith("LookupError: the script's own error")
    assert not done.stderr.startswith("tkelectron: ")


def test_tkelectron_run_of_a_plain_script_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(MAIN_RAISES)
    done = subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", "main.py", "--compositor", "headless", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=90, env=environ(), check=False,
    )
    assert done.returncode == 1
    where = f"main.py:{line_of(MAIN_RAISES, 'MAIN')}"
    assert done.stderr.splitlines() == [
        f"tkelectron run: {where}: ValueError: main could not start (--verbose for the traceback)"
    ]


# A page's preload sends twice; main's listener raises on the first and quits on the second.
LISTENER_RAISES = '''\
import sys
from pathlib import Path

from tkelectron import BrowserWindow, app, ipc_main


def note(event, what):
    if what == "last":
        app.quit()
        return
    raise ValueError(f"the listener failed: {what}")  # LISTENER


async def main():
    ipc_main.on("note", note)
    window = BrowserWindow(title="x", show=False, web_preferences={"preload": str(Path(__file__).parent / "preload.py")})
    await window.load_file("index.html")


sys.exit(app.run(main))
'''

SENDING_PRELOAD = '''\
from tkelectron.renderer import ipc_renderer

ipc_renderer.send("note", 1)
ipc_renderer.send("note", "last")
'''


def test_python_main_py_logs_a_raising_listener_with_the_users_frames_only(tmp_path: Path) -> None:
    (tmp_path / "preload.py").write_text(SENDING_PRELOAD)
    (tmp_path / "index.html").write_text("<p>listener</p>")
    done = python(tmp_path, LISTENER_RAISES, TKELECTRON_COMPOSITOR="headless")
    assert done.returncode == 0, done.stderr
    line = line_of(LISTENER_RAISES, "LISTENER")
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"ERROR tkelectron.ipc: window 1: a listener of 'note' raised main.py:{line}: ValueError: the listener failed: 1"
    ), done.stderr
    assert lines[1] == "Traceback (most recent call last; tkelectron's frames hidden):"
    assert f'File "{(tmp_path / "main.py").resolve()}", line {line}, in note' in done.stderr
    assert lines[-1] == "ValueError: the listener failed: 1"
    assert "tkelectron/" not in done.stderr and "trio" not in done.stderr


WATCHED_HOOK = '''\
from tkelectron import hookimpl


@hookimpl
def tkelectron_ready(app):
    raise ValueError("the watched app failed")  # HOOK
'''


@pytest.mark.parametrize("debug", [False, True], ids=["one-line", "debug"])
def test_watch_tells_the_childs_failure_in_one_line(tmp_path: Path, debug: bool) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(WATCHED_HOOK)
    env = environ(TKELECTRON_DEBUG="1") if debug else environ()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tkelectron.cli", "run", "--watch", "app", "--compositor", "headless",
         *([] if debug else ["--quiet"])],
        cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while not any("waiting for a change" in line for line in seen):
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, seen
            seen.append(line)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    # The watcher's own lines aside (and, when not --quiet, the app's start line).
    told = [line for line in seen if not line.startswith("tkelectron watch: ")]
    where = f"app/main.py:{line_of(WATCHED_HOOK, 'HOOK')}"
    if debug:
        assert told[0].startswith("tkelectron run: started app: compositor headless")
        frame = f'File "{(app / "main.py").resolve()}", line {line_of(WATCHED_HOOK, "HOOK")}, in tkelectron_ready'
        assert_full_traceback("\n".join(told), frame, "pluggy", "(--verbose for the traceback)")
    else:
        assert told == [f"tkelectron run: {where}: ValueError: the watched app failed (--verbose for the traceback)"]
    assert seen[-1] == "tkelectron watch: the app failed with exit code 1; waiting for a change to restart (Ctrl+C to stop)"
