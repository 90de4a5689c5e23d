"""`tkelectron run` tells a user what went wrong in their terms, in a real subprocess.

Each test writes a small app into a temporary folder, runs ``tkelectron run``
on it from that folder (so paths read ``app/main.py``, as the user typed
them) and asserts what the terminal shows: one line naming the user's file
and line instead of a traceback through trio, pluggy and outcome; the full
traceback with ``--verbose`` or ``TKELECTRON_DEBUG=1``; main's log of a
failing handler; the page's console errors at the page's own line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HOOK_RAISES = '''\
from tkelectron import hookimpl


@hookimpl
def tkelectron_ready(app):
    raise ValueError("the app could not start")  # HOOK
'''

MISSING_PAGE = '''\
from tkelectron import BrowserWindow, hookimpl


@hookimpl
def tkelectron_ready(app):
    window = BrowserWindow(title="x", show=False)
    window.load_file("nothere.html")  # LOAD
'''

IMPORT_FAILS = '''\
import os

import no_such_dependency_here  # IMPORT
'''

QUITS = '''\
from tkelectron import hookimpl


@hookimpl
def tkelectron_ready(app):
    app.quit()
'''

# An app whose page drives every IPC mistake, then asks main to quit.
IPC_MAIN = '''\
from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent


def greet(event, name):
    return f"hello {name}"


def boom(event, what):
    raise ValueError(f"bad thing: {what}")  # HANDLER


@hookimpl
def tkelectron_ready(app):
    ipc_main.handle("greet", greet)
    ipc_main.handle("boom", boom)
    ipc_main.handle("done", lambda event: app.quit())
    window = BrowserWindow(title="errors", show=False, web_preferences={"preload": str(HERE / "preload.py")})
    window.load_file("index.html")
'''

IPC_PRELOAD = '''\
from tkelectron.renderer import context_bridge, ipc_renderer


def fail():
    raise KeyError("from the preload")


context_bridge.expose_in_main_world("api", {
    "invoke": lambda channel, *args: ipc_renderer.invoke(channel, *args),
    "send": lambda channel, *args: ipc_renderer.send(channel, *args),
    "fail": fail,
})
'''

IPC_PAGE_HTML = """\
<!DOCTYPE html>
<html><head><title>errors</title></head>
<body><p id="p">errors</p><script src="renderer.py"></script></body></html>
"""

IPC_PAGE = '''\
def crash(event):
    window.api.fail()  # CALLBACK


async def go(event):
    try:
        await window.api.invoke("boom", 1)
    except Exception as exc:
        console.log(f"page: boom: {exc}")
    try:
        await window.api.invoke("gret", "x")
    except Exception as exc:
        console.log(f"page: gret: {exc}")
    try:
        window.api.send("note", lambda: None)
    except Exception as exc:
        console.log(f"page: send: {exc}")
    await window.api.invoke("done")


window.add_event_listener("load", crash)
window.add_event_listener("load", go)
'''


def line_of(source: str, marker: str) -> int:
    """The 1-based line of ``source`` that carries ``# marker``."""
    return next(n for n, line in enumerate(source.splitlines(), 1) if f"# {marker}" in line)


def make_app(folder: Path, main: str, **files: str) -> Path:
    """``folder/app`` with ``main.py`` and the other files (``index_html=`` is index.html)."""
    app = folder / "app"
    app.mkdir()
    (app / "main.py").write_text(main)
    for name, text in files.items():
        stem, ext = name.rsplit("_", 1)
        (app / f"{stem}.{ext}").write_text(text)
    return app


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "TKELECTRON_DEBUG"}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tkelectron.cli", "run", *args],
        cwd=cwd, capture_output=True, text=True, timeout=90, env=environ, check=False,
    )


def error_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr without the start line."""
    return [line for line in done.stderr.splitlines() if not line.startswith("tkelectron run: started ")]


def test_an_exception_in_a_hook_is_one_line_naming_the_users_file_and_line(tmp_path: Path) -> None:
    make_app(tmp_path, HOOK_RAISES)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 1
    where = f"app/main.py:{line_of(HOOK_RAISES, 'HOOK')}"
    assert error_lines(done) == [
        f"tkelectron run: {where}: ValueError: the app could not start (--verbose for the traceback)"
    ]


def test_a_missing_page_names_the_line_that_loads_it(tmp_path: Path) -> None:
    app = make_app(tmp_path, MISSING_PAGE)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 1
    where = f"app/main.py:{line_of(MISSING_PAGE, 'LOAD')}"
    page = (app / "nothere.html").resolve()
    assert error_lines(done) == [
        f"tkelectron run: {where}: FileNotFoundError: no page at {page} (--verbose for the traceback)"
    ]


def test_a_main_py_that_fails_on_import_names_its_line(tmp_path: Path) -> None:
    make_app(tmp_path, IMPORT_FAILS)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 1
    where = f"app/main.py:{line_of(IMPORT_FAILS, 'IMPORT')}"
    assert error_lines(done) == [
        (f"tkelectron run: {where}: ModuleNotFoundError: No module named 'no_such_dependency_here'"
         " (--verbose for the traceback)")
    ]


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    make_app(tmp_path, "import os\n\ndef broken(:\n    pass\n")
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 1
    assert error_lines(done) == ["tkelectron run: app/main.py:3: SyntaxError: invalid syntax (--verbose for the traceback)"]


@pytest.mark.parametrize("how", ["--verbose", "-v", "TKELECTRON_DEBUG=1"])
def test_verbose_or_debug_shows_the_full_traceback(tmp_path: Path, how: str) -> None:
    make_app(tmp_path, HOOK_RAISES)
    flags, env = ([], {"TKELECTRON_DEBUG": "1"}) if "=" in how else ([how], {})
    done = run(tmp_path, "app", "--compositor", "headless", *flags, env=env)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "pluggy" in done.stderr  # the framework's frames are shown too
    assert f'app/main.py", line {line_of(HOOK_RAISES, "HOOK")}, in tkelectron_ready' in done.stderr
    assert "(--verbose for the traceback)" not in done.stderr


def test_a_folder_without_main_py_is_no_app(tmp_path: Path) -> None:
    (tmp_path / "nomain").mkdir()
    (tmp_path / "nomain" / "index.html").write_text("<p>no main.py here</p>")
    done = run(tmp_path, "nomain")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tkelectron run: no app at nomain: the folder has no main.py (a folder with main.py, a .py file, or a module name)"
    ]


def test_a_bare_name_that_is_no_module_is_no_app(tmp_path: Path) -> None:
    done = run(tmp_path, "nosuchapp")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tkelectron run: no app at nosuchapp (a folder with main.py, a .py file, or a module name)"
    ]


def test_the_start_line_names_app_compositor_and_sandbox_unless_quiet(tmp_path: Path) -> None:
    make_app(tmp_path, QUITS)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 0, done.stderr
    starts = [line for line in done.stderr.splitlines() if line.startswith("tkelectron run: started ")]
    assert len(starts) == 1
    assert starts[0].startswith("tkelectron run: started app: compositor headless, renderer sandbox ")
    if sys.platform.startswith("linux"):
        assert "no_new_privs" in starts[0]
    quiet = run(tmp_path, "app", "--compositor", "headless", "--quiet")
    assert quiet.returncode == 0
    assert quiet.stderr == ""


def test_the_start_line_on_tkhtml(tmp_path: Path, display: str) -> None:
    make_app(tmp_path, QUITS)
    done = run(tmp_path, "app", env={"DISPLAY": display})
    assert done.returncode == 0, done.stderr
    assert "tkelectron run: started app: compositor tkhtml, renderer sandbox " in done.stderr


def test_ipc_mistakes_are_told_where_they_were_made(tmp_path: Path) -> None:
    app = make_app(tmp_path, IPC_MAIN, preload_py=IPC_PRELOAD, index_html=IPC_PAGE_HTML, renderer_py=IPC_PAGE)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()

    # A main-side handler that raised is logged in main: window, channel, the
    # user's line, and a traceback of the user's frames only.
    handler_line = line_of(IPC_MAIN, "HANDLER")
    assert (
        f"ERROR tkelectron.ipc: window 1: the handler of 'boom' raised app/main.py:{handler_line}: "
        "ValueError: bad thing: 1"
    ) in done.stderr.splitlines()
    assert f'File "{(app / "main.py").resolve()}", line {handler_line}, in boom' in done.stderr
    assert "trio" not in done.stderr and "pluggy" not in done.stderr
    # ...and the page got the error too.
    assert "[window 1] log: page: boom: bad thing: 1" in out

    # An unknown channel suggests the one that exists.
    assert "[window 1] log: page: gret: NoHandlerError: No handler registered for 'gret' (did you mean 'greet'?)" in out

    # A page's function that cannot cross is named as the user wrote it.
    assert "[window 1] log: page: send: DataCloneError: args[0]: function is not cloneable" in out

    # The console error of a page callback points at the page's line, not the bridge's.
    page = (app / "renderer.py").resolve()
    errors = [line for line in out if line.startswith("[window 1] error: Uncaught ")]
    assert len(errors) == 1, out
    tail = next(line.strip() for line in out if line.strip().startswith("KeyError: 'from the preload'"))
    assert tail.endswith(f"({page}:{line_of(IPC_PAGE, 'CALLBACK')})")
    assert "_context_bridge" not in done.stdout


# Listeners of one-way messages that raise: in ipc_main and in a window's
# scope, sync and async. The async one quits the app on its last message,
# which it gets after its failing one (one FIFO per sender and channel).
LISTENERS_MAIN = '''\
from pathlib import Path

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent


def note(event, what):
    raise ValueError(f"sync listener: {what}")  # SYNC


async def later(event, what):
    if what == "last":
        app_.quit()
        return
    raise KeyError(f"async listener: {what}")  # ASYNC


def scoped(event, what):
    raise TypeError(f"window listener: {what}")  # SCOPED


@hookimpl
def tkelectron_ready(app):
    global app_
    app_ = app
    ipc_main.on("note", note)
    ipc_main.on("later", later)
    window = BrowserWindow(title="listeners", show=False, web_preferences={"preload": str(HERE / "preload.py")})
    window.web_contents.ipc.on("scoped", scoped)
    window.load_file("index.html")
'''

LISTENERS_PAGE = '''\
def go(event):
    window.api.send("note", 1)
    window.api.send("scoped", 2)
    window.api.send("later", 3)
    window.api.send("later", "last")


window.add_event_listener("load", go)
'''


def test_a_raising_send_listener_is_logged_with_window_channel_and_the_users_line(tmp_path: Path) -> None:
    app = make_app(tmp_path, LISTENERS_MAIN, preload_py=IPC_PRELOAD, index_html=IPC_PAGE_HTML,
                   renderer_py=LISTENERS_PAGE)
    done = run(tmp_path, "app", "--compositor", "headless")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    main_py = (app / "main.py").resolve()
    for channel, marker, error in [
        ("note", "SYNC", "ValueError: sync listener: 1"),
        ("scoped", "SCOPED", "TypeError: window listener: 2"),
        ("later", "ASYNC", "KeyError: 'async listener: 3'"),
    ]:
        line = line_of(LISTENERS_MAIN, marker)
        assert (
            f"ERROR tkelectron.ipc: window 1: a listener of {channel!r} raised app/main.py:{line}: {error}"
        ) in lines, done.stderr
        assert f'File "{main_py}", line {line}, in ' in done.stderr
    assert "an event listener raised" not in done.stderr
    assert "trio" not in done.stderr and "_listeners.py" not in done.stderr
