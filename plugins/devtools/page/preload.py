"""The devtools page's preload: main's reports reach the page through ``window.devtools``.

Main sends four kinds of report on ``devtools:<kind>`` channels: ``snapshot``
(everything so far, when the page loads), ``console`` (one message), ``ipc``
(a batch of log entries) and ``dom`` (the whole tree, as rows); the page registers one callback per kind
with ``window.devtools.on(kind, callback)``. The page never sends anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tkelectron.renderer import context_bridge, ipc_renderer

KINDS = ("snapshot", "console", "ipc", "dom")


def on(kind: str, callback: Callable[[Any], object]) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown devtools report {kind!r} (known: {', '.join(KINDS)})")
    ipc_renderer.on("devtools:" + kind, lambda _event, payload: callback(payload))


context_bridge.expose_in_main_world("devtools", {"on": on})
