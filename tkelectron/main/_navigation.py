"""Navigation a renderer asks for: main decides, the page never does.

A click on a link in the page arrives as a ``Navigate`` message. Main emits
``will-navigate`` (event, url) on the WebContents, Electron's name, and a
listener may ``event.prevent_default()`` (for instance to open a remote URL
in the system browser itself). Otherwise main loads the target in a fresh
renderer only if it is a local ``.html`` file inside the app's folder or the
current page's folder; every other URL (http, https, mailto, files elsewhere)
goes nowhere and is logged. The renderer is never trusted with the decision:
a tampered renderer can ask for anything, and main checks it here — a URL
main cannot even look at (a NUL byte, an over-long name, an undecodable
path) is refused with the reason in the log, never raised.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..common._data_url import is_data_url
from ..common._emitter import PreventableEvent

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["local_page", "navigate", "page_or_refusal"]

log = logging.getLogger("tkelectron")

#: The longest URL main looks at (Chromium refuses URLs over 2 MB; a local
#: page's file URI is far shorter than this).
MAX_URL = 8192
#: Longest file name (one path component) and whole path, in bytes (Linux's).
MAX_NAME = 255
MAX_PATH = 4096


def page_or_refusal(url: str, roots: list[str]) -> tuple[str | None, str]:
    """``(page, "")`` for a ``.html`` file inside one of ``roots``, else ``(None, why)``."""
    if len(url) > MAX_URL:
        return None, f"the URL is {len(url)} characters long (at most {MAX_URL})"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return None, f"not a URL ({exc})"
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None, "only local pages inside the app load"
    raw = unquote(parts.path, errors="replace")
    if "\0" in raw:
        return None, "the path contains a NUL byte"
    encoded = raw.encode("utf-8", "replace")
    if len(encoded) > MAX_PATH:
        return None, f"the path is {len(encoded)} bytes long (at most {MAX_PATH})"
    longest = max((len(part) for part in encoded.split(b"/")), default=0)
    if longest > MAX_NAME:
        return None, f"a name in the path is {longest} bytes long (at most {MAX_NAME})"
    try:
        path = Path(raw).resolve()
        if path.suffix.lower() not in (".html", ".htm") or not path.is_file():
            return None, "it is not an .html file"
        for root in roots:
            if path.is_relative_to(Path(root).resolve()):
                return str(path), ""
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return None, f"the path cannot be looked at ({type(exc).__name__}: {exc})"
    return None, "only local pages inside the app load"


def local_page(url: str, roots: list[str]) -> str | None:
    """The ``.html`` file ``url`` names if it lies inside one of ``roots``, else None."""
    return page_or_refusal(url, roots)[0]


def navigate(wc: WebContents, url: str) -> None:
    """Handle a renderer's request to follow a link to ``url``."""
    session = wc._window._session  # the run the window belongs to
    event = PreventableEvent(sender=wc)
    wc.emit("will-navigate", event, url)
    if event.default_prevented or wc.is_destroyed():
        return
    roots = [session.require_app().get_app_path()]
    if wc._page is not None and not is_data_url(wc._page):  # a data: page's links start at the app's folder
        roots.append(str(Path(wc._page).parent))
    page, why = page_or_refusal(url, roots)
    if page is None:
        shown = url if len(url) <= 200 else url[:200] + "..."
        log.warning("window %d: navigation to %r refused: %s", wc._window.id, shown, why)
        return
    session.start_soon(_load_when_settled, wc, page, wc._renderer)


async def _load_when_settled(wc: WebContents, page: str, asking: object) -> None:
    """Load ``page`` once the renderer has finished handling the click that
    asked for it (its Settled would be lost with the process otherwise), and
    only if that renderer is still the window's."""
    await wc.wait_settled()
    if not wc.is_destroyed() and wc._renderer is asking:
        try:  # as load_url: did-start-loading, did-start-navigation ... did-stop-loading
            wc.load_url(Path(page).as_uri())
        except ValueError as exc:  # the file went away meanwhile
            log.warning("window %d: navigation to %r refused: %s", wc._window.id, page, exc)
