"""The page's ``window.open(url, target, features)``: a request main decides.

Nothing opens in the renderer: the URL is made absolute against the page's
folder (``child.html`` becomes a ``file:`` URI; ``""`` is ``about:blank``;
``data:`` and other schemes stay as written) and main is asked on the
framework channel ``tke:window.open``; main's window open handler, or its
default, decides and opens the BrowserWindow (``main/_window_open.py``).
``window.open`` returns None at once, as with ``noopener``: the new page is
another renderer's. A request main refuses for a bound (too many windows or
requests) is a console warning; one the app denies is silent, as a blocked
popup is in a browser.

The page side checks what an honest page passes (strings, of bounded
length: a ``TypeError`` or ``ValueError`` at the call); main checks again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ._csp import link_target

__all__ = ["install_window_open", "open_window"]

CHANNEL = "tke:window.open"
#: main/_window_open.py's bounds.
MAX_OPEN_URL = 64 * 1024
MAX_FRAME_NAME = 256
MAX_FEATURES = 4096


class _Backend:
    """The loaded page's path and folder (``load_page`` sets them)."""

    page_path: str | None = None
    page_dir: str = ""

    def runtime(self) -> Any:
        from ._ipc_renderer import ipc_renderer

        return ipc_renderer._rt


_backend = _Backend()


def install_window_open(page_path: str | None, page_dir: str) -> None:
    """Relative URLs of the page's ``window.open`` start at ``page_dir``."""
    _backend.page_path = page_path
    _backend.page_dir = page_dir


def _absolute(url: str) -> str | None:
    if not url.strip():
        return "about:blank"
    if url.strip().startswith("#"):  # this page again, in a new window
        return Path(_backend.page_path).as_uri() if _backend.page_path else None
    return link_target(url, _backend.page_dir or os.getcwd())


def open_window(url: Any = "", target: Any = "_blank", features: Any = "") -> None:
    """Ask main to open ``url`` in a new window; returns None."""
    for value, what, limit in ((url, "url", MAX_OPEN_URL), (target, "target", MAX_FRAME_NAME),
                               (features, "features", MAX_FEATURES)):
        if not isinstance(value, str):
            raise TypeError(f"window.open: {what} must be a str, not {type(value).__name__}")
        if len(value) > limit:
            raise ValueError(f"window.open: {what} is {len(value)} characters long (at most {limit})")
    rt = _backend.runtime()
    absolute = _absolute(url)
    if rt is None:
        return
    if absolute is None or len(absolute) > MAX_OPEN_URL:
        rt.console_message("warning", f"window.open({url[:200]!r}) opens nothing")
        return
    frame_name = "" if target in ("_blank", "_self", "_parent", "_top") else target

    async def ask() -> None:
        try:
            answer = await rt.calls.invoke(CHANNEL, [absolute, frame_name, features])
        except Exception:  # noqa: BLE001 - main went away (or refused): nothing opens, as for a blocked popup
            return
        if answer == "limit":
            rt.console_message("warning", "window.open was refused: this page opened too many windows, "
                                          "or too many at once")

    # The framework's request, not the page's work: the click that called
    # window.open has settled once its listeners ran, whatever main's handler takes.
    rt.nursery.start_soon(ask)
