"""The Tk reader's test app: main records, in order, what each window's renderer
sent (one-way sends, invokes, commits), and has async handlers and listeners
for the tests that check trio is woken by messages handled in a Tk callback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main
from tkelectron.common._messages import SetTitle

HERE = Path(__file__).parent

#: What main saw, in order: ("send", x), ("invoke", x), ("commit", title).
seen: list[tuple[str, Any]] = []
#: Values the async listener of "later" got, after awaiting.
later: list[Any] = []
#: Flood messages main handled, per window id.
flooded: dict[int, int] = {}


def open_probe(**prefs: Any) -> BrowserWindow:
    prefs.setdefault("preload", HERE / "preload.py")
    window = BrowserWindow(web_preferences=prefs)
    window.web_contents.on("dom-commit", lambda ops: seen.extend(("commit", op.title) for op in ops if isinstance(op, SetTitle)))
    window.load_file(HERE / "index.html")
    return window


def _order_invoke(event: Any, value: Any) -> Any:
    seen.append(("invoke", value))
    return value


async def _async_echo(event: Any, value: Any) -> Any:
    await trio.lowlevel.checkpoint()
    await trio.lowlevel.checkpoint()
    return ["async", value]


async def _later(event: Any, value: Any) -> None:
    await trio.lowlevel.checkpoint()
    later.append(value)


def _flood(event: Any, n: int) -> None:
    wid = event.sender.id
    flooded[wid] = flooded.get(wid, 0) + 1


@hookimpl
def tkelectron_ready(app: Any) -> None:
    seen.clear()
    later.clear()
    flooded.clear()
    ipc_main.on("order", lambda event, value: seen.append(("send", value)))
    ipc_main.handle("order-invoke", _order_invoke)
    ipc_main.handle("echo", lambda event, value: value)
    ipc_main.handle("async-echo", _async_echo)
    ipc_main.on("later", _later)
    ipc_main.on("flood", _flood)
