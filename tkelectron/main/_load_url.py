"""``web_contents.load_url(url)``: Electron's ``loadURL`` for the URLs a page may come from.

Two kinds of URL load, each in a fresh renderer as ``load_file`` does:

- ``file:`` URLs of a local ``.html`` page inside the app's folder or the
  current page's folder — the rule link clicks follow (``_navigation``), so a
  ``file:`` URL anywhere else (``file:///etc/...``) is refused, as is one main
  cannot look at (a NUL byte, an over-long name). The page's folder becomes
  what the renderer may read, as with ``load_file``.
- ``data:text/html`` URLs (UTF-8, percent- or base64-encoded, at most
  :data:`~tkelectron.common._data_url.MAX_DATA_URL` characters), and
  ``about:blank`` (an empty page). A data: page's relative references (its
  ``<script src>``, stylesheets, links) resolve against the app's folder, as
  Electron's ``baseURLForDataURL`` would make them; its renderer reads only
  the app's folder.

Every other URL — ``http:``, ``https:``, ``ftp:``, ``javascript:``... — is a
``ValueError`` saying why: a page's code runs in its renderer, which the
sandbox keeps off the network, and main draws only what renderers commit, so
there is nothing that could fetch or run a remote page. Open remote URLs in
the user's browser with ``shell.open_external``. A refused URL is refused at
the call, before anything starts: the current page stays.

The load emits Electron's ``did-start-loading``, ``did-start-navigation``
``(event, url, is_in_place, is_main_frame)`` and ``did-navigate`` ``(event,
url, http_response_code, http_status_text)`` (-1 and "": no HTTP) at once, then, as for
``load_file``, ``did-finish-load`` (or ``did-fail-load``), then
``did-stop-loading``. ``options`` (Electron's ``httpReferrer``,
``userAgent``, ``extraHeaders``) are accepted and have nothing to act on — no
HTTP request is made; ``postData`` and ``baseURLForDataURL`` are refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..common._data_url import decode_html_data_url, is_data_url
from ..common._emitter import PreventableEvent
from ._menu_roles import spawn
from ._navigation import MAX_URL, page_or_refusal

if TYPE_CHECKING:
    from ._renderer_supervisor import LoadRequest
    from ._web_contents import WebContents

__all__ = ["begin_load", "check_url", "page_folder", "page_url", "remote_refusal", "watch_load"]

_BLANK = "data:text/html,"
_NO_HTTP_OPTIONS = frozenset({"http_referrer", "httpReferrer", "user_agent", "userAgent", "extra_headers",
                              "extraHeaders"})
_REFUSED_OPTIONS = frozenset({"post_data", "postData", "base_url_for_data_url", "baseURLForDataURL"})


def remote_refusal(url: str) -> str:
    """Why a URL of another scheme does not load (for errors and logs)."""
    scheme = urlsplit(url).scheme if ":" in url else ""
    return (f"tkelectron loads only file: and data: URLs, not {scheme + ':' if scheme else 'this'} one: "
            "a page's code runs in its sandboxed renderer, which has no network, and main draws only "
            "what renderers commit (open remote pages with shell.open_external)")


def page_folder(page: str, app_path: str) -> str:
    """The folder a page's relative references start from: its own, or the app's for a data: page."""
    return app_path if is_data_url(page) else str(Path(page).parent)


def page_url(page: str) -> str:
    """The URL of a loaded page (``get_url``): a file: URI, or the data: URL itself."""
    return page if is_data_url(page) else Path(page).as_uri()


def check_url(url: Any, roots: list[str]) -> str:
    """The page ``url`` loads (a file's path, or the data: URL), else a clear error."""
    if not isinstance(url, str):
        raise TypeError(f"load_url needs a URL string, not {url!r}")
    shown = url if len(url) <= 200 else url[:200] + "..."
    if url.strip().lower() == "about:blank":
        return _BLANK
    if is_data_url(url):
        try:
            decode_html_data_url(url)
        except ValueError as exc:
            raise ValueError(f"cannot load {shown!r}: {exc}") from None
        return url
    if len(url) > MAX_URL:
        raise ValueError(f"cannot load a URL of {len(url)} characters (at most {MAX_URL})")
    if urlsplit(url).scheme.lower() != "file":
        raise ValueError(f"cannot load {shown!r}: {remote_refusal(url)}")
    page, why = page_or_refusal(url, roots)
    if page is None:
        raise ValueError(f"cannot load {shown!r}: {why}")
    return page


def _check_options(options: Mapping[str, Any] | None) -> None:
    if options is None:
        return
    if not isinstance(options, Mapping):
        raise TypeError(f"load_url options must be a dict, not {options!r}")
    for key in options:
        if key in _REFUSED_OPTIONS:
            raise ValueError(f"load_url option {key!r} is not supported (no HTTP request is made)")
        if key not in _NO_HTTP_OPTIONS:
            raise ValueError(f"unknown load_url option {key!r}")


def begin_load(wc: WebContents, url: Any, options: Mapping[str, Any] | None = None) -> str:
    """Check ``url`` for ``wc`` and emit the start of its load; the page to start.

    The caller (``WebContents.load_url``) starts the renderer on it and hands
    the request to :func:`watch_load`.
    """
    _check_options(options)
    roots = [wc._window._session.require_app().get_app_path()]  # the app of the window's run
    if wc._page is not None and not is_data_url(wc._page):
        roots.append(str(Path(wc._page).parent))
    page = check_url(url, roots)
    shown = page_url(page)
    wc.emit("did-start-loading", PreventableEvent(sender=wc))
    wc.emit("did-start-navigation", PreventableEvent(sender=wc), shown, False, True)
    # Main decided: the navigation is committed now (no HTTP: no response code, Chromium's -1).
    wc.emit("did-navigate", PreventableEvent(sender=wc), shown, -1, "")
    return page


def watch_load(wc: WebContents, request: LoadRequest) -> LoadRequest:
    """Emit ``did-stop-loading`` once ``request`` ended (loaded, failed or replaced)."""

    async def stopped() -> None:
        try:
            await request.wait()
        except Exception:  # noqa: BLE001 - failed or replaced: did-fail-load said why; loading stopped all the same
            pass
        if not wc.is_destroyed():
            wc.emit("did-stop-loading", PreventableEvent(sender=wc))

    spawn(stopped, what="did-stop-loading")
    return request
