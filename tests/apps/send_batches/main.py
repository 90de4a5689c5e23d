"""A test app for coalesced sends: main records, in arrival order, every send,
invoke and DOM commit its window's renderer produces, and the ports that come
with the sends."""

from __future__ import annotations

import select
from pathlib import Path
from typing import Any

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: What main saw, in order: ("a", i), ("b", i), ("mark", i), ("commit", text), ("sink", size).
seen: list[tuple[str, Any]] = []
#: Ports that arrived with "port" sends: (index, the MessagePortMain).
ports: list[tuple[int, Any]] = []
#: What came back over those ports: (index, data).
over_ports: list[tuple[int, Any]] = []


def _record(channel: str) -> Any:
    return lambda event, value: seen.append((channel, value))


def _port(event: Any, index: int) -> None:
    seen.append(("port", index))
    for port in event.ports:
        ports.append((index, port))
        port.on("message", lambda e, index=index: over_ports.append((index, e.data)))
        port.start()


#: A port a page handed over before filling its send buffer, and whether main
#: was let go (the page, refused, said so on it) rather than timing out.
holds: list[Any] = []
released: list[bool] = []


def _hold(event: Any, _: Any) -> None:
    holds.append(event.ports[0])


def _hold_main(event: Any, value: Any) -> None:
    """On the first "sink" after a "hold": main stops reading — this listener
    holds its thread — until the page writes on the port it handed over."""
    if holds:
        port = holds.pop()
        readable, _, _ = select.select([port._conn.sock], [], [], 30)
        released.append(bool(readable))


def _commit(ops: list[Any]) -> None:
    for op in ops:
        text = getattr(op, "text", None)
        if text is not None:
            seen.append(("commit", text))


def open_window(**prefs: Any) -> BrowserWindow:
    window = BrowserWindow(show=False, web_preferences={"preload": str(HERE / "preload.py"), **prefs})
    window.web_contents.on("dom-commit", _commit)
    window.load_file(HERE / "index.html")
    return window


@hookimpl
def tkelectron_ready(app: Any) -> None:
    seen.clear()
    ports.clear()
    over_ports.clear()
    holds.clear()
    released.clear()
    for channel in ("a", "b", "sink", "m"):
        ipc_main.on(channel, _record(channel))
    ipc_main.on("sink", _hold_main)
    ipc_main.on("hold", _hold)
    ipc_main.on("port", _port)
    ipc_main.handle("mark", lambda event, value: seen.append(("mark", value)))
    open_window()
