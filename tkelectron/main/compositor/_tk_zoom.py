"""Ctrl and the mouse wheel on a Tkhtml page: the user asking main to zoom.

X reports the wheel as buttons 4 (up, towards the user's "zoom in") and 5
(down); with Control held, the surface reports a zoom request, which main
turns into Electron's ``zoom-changed`` ``(event, "in" | "out")`` on the web
contents. Nothing zooms by itself, as in Electron: the app's listener
decides (``web_contents.set_zoom_level``). The binding sits on a bind tag of
its own, so the page still gets its ``wheel`` event (with ``ctrl_key``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bind_zoom_wheel"]

_DIRECTIONS = {"4": "in", "5": "out"}


def bind_zoom_wheel(html: Any, report: Callable[[str], None]) -> None:
    """Report Ctrl+wheel on ``html`` (a Tkhtml widget) as ``report("in" | "out")``."""
    tag = f"tke-zoom{html}"
    for button, direction in _DIRECTIONS.items():
        html.bind_class(tag, f"<Control-ButtonPress-{button}>", lambda _event, d=direction: report(d))
    html.bindtags((*html.bindtags(), tag))
