"""The big-pages bench's renderer side: main asks the page to refill its list."""

from __future__ import annotations

from typing import Any

from tkelectron.renderer import context_bridge, ipc_renderer

_page: dict[str, Any] = {}


def fill(event: Any, rows: int, gen: int) -> int:
    """Replace the page's list with ``rows`` rows built with the DOM API."""
    _page["fill"](rows, gen)
    return rows


context_bridge.expose_in_main_world("pages", {"on_fill": lambda fn: _page.__setitem__("fill", fn)})
ipc_renderer.handle("pages:fill", fill)
