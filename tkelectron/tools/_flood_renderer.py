"""Renderer-side flood: what a compromised renderer sends to swamp main.

Imported by the flood bench's preload and by the security suite's
compromised app. It writes raw frames, skipping every renderer-side check:
small text commits, a larger insert and its removal now and then, console
messages with escape sequences, and stderr without newlines — as fast as main
reads them (the connection is flushed after each round, so the renderer's own
buffer stays small and the pressure is on main).
"""

from __future__ import annotations

import os
import time
from typing import Any

import trio
import trio.lowlevel

from tkelectron.common._messages import Commit, Console, Insert, Remove, SetText
from tkelectron.renderer import ipc_renderer

__all__ = ["flood"]

_ROUND = 200  # commits (and console messages) per round
_BIG = 500  # elements in the occasional larger commit
_FIRST_ID = 10_000_000  # far above the page's own node ids


async def flood(event: Any, seconds: float, node: int, parent: int | None = None) -> dict[str, int]:
    """Flood main for ``seconds``: text commits to ``node``; inserts into ``parent``.

    Returns what was sent.
    """
    rt = ipc_renderer._runtime()
    conn = rt.conn
    sent = {"commits": 0, "console": 0, "stderr_bytes": 0}
    end = time.monotonic() + seconds
    next_id = _FIRST_ID
    blob = b"x" * 65536
    os.set_blocking(2, False)
    try:
        while time.monotonic() < end:
            for i in range(_ROUND):
                conn.send(Commit([SetText(node, f"flood {sent['commits'] + i}")]))
                conn.send(Console("log", f"flood \x1b[2J\x1b]52;c;Zmxvb2Q=\x07 {sent['console'] + i}"))
            sent["commits"] += _ROUND
            sent["console"] += _ROUND
            if parent is not None:
                top = next_id
                items = "".join(f'<li data-tke-id="{top + 2 + k}">item {k}</li>' for k in range(_BIG))
                html = f'<li data-tke-id="{top}"><ul data-tke-id="{top + 1}">{items}</ul></li>'
                conn.send(Commit([Insert(parent, html, None)]))
                conn.send(Commit([Remove(top)]))
                next_id += _BIG + 2
                sent["commits"] += 2
            try:
                sent["stderr_bytes"] += os.write(2, blob)
            except BlockingIOError:
                pass
            conn.flush_blocking(time.monotonic() + 30)  # as fast as main reads, no faster
            await trio.lowlevel.checkpoint()
    finally:
        os.set_blocking(2, True)
    return sent
