"""The demo launcher: itself a tkelectron app.

Lists every demo with its title, the Electron pattern it shows and a short
description; Run starts the demo in its own process and the list shows
whether it is running or how it ended; View source shows its files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import trio

from tkelectron import BrowserWindow, app, hookimpl, ipc_main
from tkelectron.demos.catalog import DEMOS_DIR, discover

HERE = Path(__file__).parent

#: name -> the running demo process.
running: dict[str, trio.Process] = {}
_window: list[BrowserWindow] = []


def _status(name: str, state: str) -> None:
    for window in _window:
        if not window.is_destroyed():
            window.web_contents.send("launcher:status", name, state)


async def _run(name: str) -> None:
    demo = next(d for d in discover() if d.name == name)
    process = await trio.lowlevel.open_process(
        [sys.executable, "-m", "tkelectron.cli", "run", demo.folder],
        stdin=subprocess.DEVNULL,
        cwd=str(DEMOS_DIR.parent),
    )
    running[name] = process
    _status(name, "running")
    try:
        code = await process.wait()
    finally:
        running.pop(name, None)
        if process.returncode is None:
            process.kill()
            with trio.CancelScope(shield=True):
                await process.wait()  # reap it: no zombie left behind
    _status(name, f"exited with code {code}" if code >= 0 else f"killed by signal {-code}")


def list_demos(event) -> list[dict[str, str]]:
    return [demo.as_dict() for demo in discover()]


def run_demo(event, name: str) -> str:
    if name in running:
        return "already running"
    if name not in {d.name for d in discover()}:
        raise LookupError(f"no demo named {name!r}")
    app.start_soon(_run, name)
    return "starting"


def demo_source(event, name: str) -> dict[str, str]:
    demo = next((d for d in discover() if d.name == name), None)
    if demo is None:
        raise LookupError(f"no demo named {name!r}")
    return demo.sources()


def _stop_all(*_args) -> None:
    for process in list(running.values()):
        if process.returncode is None:
            process.terminate()


@hookimpl
def tkelectron_ready(app) -> None:
    _window.clear()
    ipc_main.handle("launcher:list", list_demos)
    ipc_main.handle("launcher:run", run_demo)
    ipc_main.handle("launcher:source", demo_source)
    app.on("will-quit", _stop_all)
    window = BrowserWindow(width=760, height=560, title="tkelectron demos", web_preferences={"preload": HERE / "preload.py"})
    _window.append(window)
    window.load_file(HERE / "index.html")


if __name__ == "__main__":
    app.register_plugin(sys.modules[__name__])
    sys.exit(app.run())
