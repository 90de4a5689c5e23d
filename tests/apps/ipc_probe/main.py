"""A test app: main-side channels that exercise IPC's edge cases."""

from __future__ import annotations

from pathlib import Path

import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: What main heard, for assertions.
heard: list[tuple[str, tuple]] = []
#: Set by the test to release the "block" handler.
state: dict[str, object] = {}


def echo(event, *args):
    return args


def boom(event, what):
    raise ValueError(f"bad thing: {what}")


def missing(event):
    open("/definitely/not/here.txt")  # noqa: SIM115 - it raises FileNotFoundError: the point


async def block(event):
    state["blocked"] = True
    await trio.sleep_forever()


def note(event, *args):
    heard.append((event.channel, args))


def set_return(event, value):
    event.return_value = value


def forget_return(event, value):
    heard.append(("forgot", (value,)))


@hookimpl
def tkelectron_ready(app):
    heard.clear()
    state.clear()
    ipc_main.handle("echo", echo)
    ipc_main.handle("boom", boom)
    ipc_main.handle("missing", missing)
    ipc_main.handle("block", block)
    ipc_main.on("note", note)
    ipc_main.on("sync-set", set_return)
    ipc_main.on("sync-forget", forget_return)
    window = BrowserWindow(web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
