"""Navigation a renderer asks for: main decides, the page never does.

A click on a link in the page arrives as a ``Navigate`` message. Main emits
``will-navigate`` (event, url) on the WebContents, Electron's name, and a
listener may ``event.prevent_default()`` (for instance to open a remote URL
in the system browser itself). Otherwise main loads the target in a fresh
renderer only if it is a local ``.html`` file inside the app's folder or the
current page's folder; every other URL (http, https, mailto, files elsewhere)
goes nowhere and is logged. The renderer is never trusted with the decision:
a tampered renderer can ask for anything, and main checks it here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..common._emitter import PreventableEvent

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["local_page", "navigate"]

log = logging.getLogger("tkelectron")


def local_page(url: str, roots: list[str]) -> str | None:
    """The ``.html`` file ``url`` names if it lies inside one of ``roots``, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path.suffix.lower() not in (".html", ".htm") or not path.is_file():
        return None
    for root in roots:
        if path.is_relative_to(Path(root).resolve()):
            return str(path)
    return None


def navigate(wc: WebContents, url: str) -> None:
    """Handle a renderer's request to follow a link to ``url``."""
    from ._app import app

    event = PreventableEvent(sender=wc)
    wc.emit("will-navigate", event, url)
    if event.default_prevented or wc.is_destroyed():
        return
    roots = [app.get_app_path()]
    if wc._page is not None:
        roots.append(str(Path(wc._page).parent))
    page = local_page(url, roots)
    if page is None:
        log.warning("window %d: navigation to %r refused: only local pages inside the app load", wc._window.id, url)
        return
    app._spawn(_load_when_settled, wc, page, wc._renderer)


async def _load_when_settled(wc: WebContents, page: str, asking: object) -> None:
    """Load ``page`` once the renderer has finished handling the click that
    asked for it (its Settled would be lost with the process otherwise), and
    only if that renderer is still the window's."""
    await wc.wait_settled()
    if not wc.is_destroyed() and wc._renderer is asking:
        wc.load_file(page)
