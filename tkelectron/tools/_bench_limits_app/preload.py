"""The limits bench's renderer: stalls its loop, or floods main, on request."""

from __future__ import annotations

import time
from typing import Any

from tkelectron.renderer import ipc_renderer


def stall(event: Any, seconds: float) -> str:
    time.sleep(seconds)  # a busy page: this renderer reads nothing meanwhile
    return "awake"


def flood(event: Any, n: int) -> int:
    for i in range(n):
        ipc_renderer.send("flood", i)
    return n


ipc_renderer.handle("stall", stall)
ipc_renderer.handle("flood", flood)
ipc_renderer.handle("echo", lambda event, *args: list(args))
# When this renderer answered (CLOCK_MONOTONIC is the same clock in main): main
# can tell its own delay in reading an answer from the renderer's in making it.
ipc_renderer.handle("stamp", lambda event: time.monotonic())
ipc_renderer.on("sink", lambda event, *args: None)
