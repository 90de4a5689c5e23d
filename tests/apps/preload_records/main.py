"""A test app whose preload defines records (dataclasses, a msgspec Struct) and sends them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: What main received on "records", in order.
received: list[Any] = []
arrived = trio.Event()


def _take(event: Any, *values: Any) -> None:
    received.extend(values)
    arrived.set()


@hookimpl
def tkelectron_ready(app: Any) -> None:
    ipc_main.on("records", _take)
    window = BrowserWindow(width=240, height=120, web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
