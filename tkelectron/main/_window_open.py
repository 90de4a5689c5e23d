"""A page's ``window.open(url, target, features)``, decided by main.

The page's ``window.open`` (renderer side: ``renderer/_window_open.py``)
asks main on the framework channel ``tke:window.open`` with
``[url, frame_name, features]``, the URL already made absolute against the
page's folder. Main never lets the renderer decide:

1. The request is checked first, as it arrived (three strings of bounded
   length: :data:`MAX_OPEN_URL`, :data:`MAX_FRAME_NAME`,
   :data:`MAX_FEATURES`); anything else is an ``ipc-violation``.
2. Bounds that an honest page in a loop reaches too are refusals, not
   violations: at most :data:`MAX_OPEN_WINDOWS` windows opened from one web
   contents are open at once, and at most :data:`RATE_COUNT` requests are
   taken in :data:`RATE_SECONDS`, of which at most :data:`MAX_WAITING` wait on
   an async handler at once (the rest are denied and logged once per
   period, so a loop costs main a counter, never a window or a log line each).
3. The app's handler (``web_contents.set_window_open_handler(fn)``) is called
   with Electron's details in snake_case — ``url``, ``frame_name``,
   ``features``, ``disposition``, ``referrer`` (``{"url", "policy"}``),
   ``post_body`` (None) — which are the page's words: treat them as
   untrusted. It returns ``{"action": "deny"}`` or ``{"action": "allow"}``
   with, optionally, ``override_browser_window_options`` (BrowserWindow
   keyword options) and ``outlives_opener``; camelCase keys are accepted,
   as in an Electron port. It may be ``async def``. A handler that raises or
   answers something else is the app's bug: logged, and the window is not
   opened.
4. Without a handler the default is Electron's, *allow*, for what
   ``load_url`` loads (local pages inside the app, ``data:text/html``,
   ``about:blank``): the page can only open the app's own pages. Any other
   URL (``https:``...) is denied and logged; a handler that wants to send it
   to the user's browser calls ``shell.open_external`` and denies.
5. A ``target`` naming a window this page opened before, still open, loads
   the URL there (no handler is asked and no window is created, as in
   Electron). Otherwise, on allow, main opens a new BrowserWindow: the features string's
   ``width``, ``height``, ``left``/``top`` (``x``/``y``) and the flags
   ``resizable``, ``movable``, ``minimizable``, ``maximizable`` (other
   features are ignored, as browsers do), then the handler's options on top.
   Its web preferences are the opener's (its preload, sandbox, channel
   allowlist and limits), with the handler's ``web_preferences`` on top. It
   loads the URL with ``load_url``; the opener's web contents emits
   ``did-create-window`` ``(window, details)`` (details: the ones above plus
   ``options``). Unless ``outlives_opener`` is true, it closes when the
   opener's window closes.

The page gets ``None`` back from ``window.open`` (as with ``noopener``): it
cannot reach the new window's page; the two talk through main or a
``MessagePort``.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
import math
import time
import weakref
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..common._data_url import is_data_url
from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation
from ._load_url import check_url, remote_refusal

if TYPE_CHECKING:
    from ._browser_window import BrowserWindow
    from ._web_contents import WebContents

__all__ = [
    "CHANNEL", "CHANNELS", "MAX_FEATURES", "MAX_FRAME_NAME", "MAX_OPEN_URL", "MAX_OPEN_WINDOWS",
    "RATE_COUNT", "RATE_SECONDS", "WindowOpenHandler", "parse_features", "set_window_open_handler",
]

log = logging.getLogger("tkelectron")

CHANNEL = "tke:window.open"
#: The longest URL, frame name and features string a page may send.
MAX_OPEN_URL = 64 * 1024
MAX_FRAME_NAME = 256
MAX_FEATURES = 4096
#: Windows opened from one web contents that may be open at once.
MAX_OPEN_WINDOWS = 16
#: Requests one web contents may make per period (the rest are denied).
RATE_COUNT = 10
RATE_SECONDS = 10.0
#: Requests that may wait on an async handler at once, per web contents.
MAX_WAITING = 4

_SIZES = {"width": "width", "height": "height", "left": "x", "top": "y", "x": "x", "y": "y"}
_FLAGS = ("resizable", "movable", "minimizable", "maximizable")
_OVERRIDE_KEYS = {"override_browser_window_options": "override", "overrideBrowserWindowOptions": "override",
                  "outlives_opener": "outlives", "outlivesOpener": "outlives", "action": "action"}

#: A window open handler: ``handler(details)`` returns the decision (or an awaitable of it).
WindowOpenHandler = Callable[[dict[str, Any]], Any]


class _Opener:
    """What main keeps per opener: its handler, its windows, its recent requests."""

    def __init__(self) -> None:
        self.handler: WindowOpenHandler | None = None
        self.windows: list[weakref.ref[BrowserWindow]] = []
        self.recent: deque[float] = deque()
        #: The windows it opened under a name (``window.open(url, name)``), which that name reuses.
        self.named: dict[str, weakref.ref[BrowserWindow]] = {}
        self.waiting = 0
        self.warned_until = 0.0

    def open_windows(self) -> int:
        self.windows = [ref for ref in self.windows if (w := ref()) is not None and not w.is_destroyed()]
        return len(self.windows)


_openers: weakref.WeakKeyDictionary[WebContents, _Opener] = weakref.WeakKeyDictionary()


def _opener(wc: WebContents) -> _Opener:
    state = _openers.get(wc)
    if state is None:
        state = _openers[wc] = _Opener()
    return state


def set_window_open_handler(wc: WebContents, handler: WindowOpenHandler | None) -> None:
    """Electron's ``setWindowOpenHandler``: ``handler(details)`` decides (None: the default)."""
    if handler is not None and not callable(handler):
        raise TypeError(f"set_window_open_handler takes a function (or None), not {handler!r}")
    _opener(wc).handler = handler


def parse_features(features: str) -> dict[str, Any]:
    """BrowserWindow options from a ``window.open`` features string (what is not understood is left out)."""
    options: dict[str, Any] = {}
    for part in features.replace(" ", ",").split(","):
        name, _, value = part.partition("=")
        name, value = name.strip().lower(), value.strip().lower()
        if name in _SIZES:
            try:
                number = float(value)
            except ValueError:
                continue
            if math.isfinite(number):  # held to what X allows; a window at least 100 pixels wide (Chromium's)
                low = 100 if name in ("width", "height") else -32767
                options[_SIZES[name]] = int(min(max(number, low), 32767))
        elif name in _FLAGS:
            options[name] = value in ("", "yes", "1", "true")
    return options


def _check(wc: WebContents, args: list[Any]) -> None:
    """Synchronous check of the request as it arrived: malformed is an ipc-violation."""
    if len(args) != 3:
        raise IpcViolation("malformed window.open request: it takes [url, frame_name, features]")
    for value, what, limit in zip(args, ("url", "frame_name", "features"), (MAX_OPEN_URL, MAX_FRAME_NAME, MAX_FEATURES),
                                  strict=True):
        if type(value) is not str or len(value) > limit:
            raise IpcViolation(f"malformed window.open request: {what} must be a str of at most {limit} characters")


def _admit(wc: WebContents, state: _Opener) -> str | None:
    """Why this request is over a bound (and logged once a period), or None."""
    now = time.monotonic()
    while state.recent and state.recent[0] <= now - RATE_SECONDS:
        state.recent.popleft()
    why = None
    if len(state.recent) >= RATE_COUNT:
        why = f"more than {RATE_COUNT} window.open requests in {RATE_SECONDS:g} s"
    elif state.waiting >= MAX_WAITING:
        why = f"{MAX_WAITING} window.open requests wait on the window open handler already"
    elif state.open_windows() + state.waiting >= MAX_OPEN_WINDOWS:
        why = f"{MAX_OPEN_WINDOWS} windows it opened are open already"
    else:
        state.recent.append(now)
        return None
    if now >= state.warned_until:
        state.warned_until = now + RATE_SECONDS
        log.warning("window %d: window.open refused: %s (further refusals for %g s are not logged)",
                    wc._window.id, why, RATE_SECONDS)
    return why


def _roots(wc: WebContents) -> list[str]:
    roots = [wc._window._session.require_app().get_app_path()]  # the app of the window's run
    if wc._page is not None and not is_data_url(wc._page):
        roots.append(str(Path(wc._page).parent))
    return roots


def _decision(answer: Any) -> tuple[bool, dict[str, Any], bool]:
    """(allow, BrowserWindow options, outlives_opener) from a handler's answer; ValueError when malformed."""
    if not isinstance(answer, Mapping):
        raise ValueError(f"the window open handler must return a dict with 'action', not {answer!r}")
    known = {_OVERRIDE_KEYS.get(key): value for key, value in answer.items()}
    unknown = [key for key in answer if key not in _OVERRIDE_KEYS]
    if unknown:
        raise ValueError(f"the window open handler returned unknown key(s) {', '.join(map(repr, unknown))}")
    action = known.get("action")
    if action not in ("allow", "deny"):
        raise ValueError(f"the window open handler's 'action' must be 'allow' or 'deny', not {action!r}")
    override = known.get("override") or {}
    if not isinstance(override, Mapping):
        raise ValueError("override_browser_window_options must be a dict of BrowserWindow options")
    return action == "allow", dict(override), bool(known.get("outlives", False))


def _options(wc: WebContents, features: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    prefs = {f.name: getattr(wc._prefs, f.name) for f in dataclasses.fields(wc._prefs)}
    prefs["channels"] = {d: list(p) for d, p in prefs["channels"].items()} if prefs["channels"] is not None else None
    given_prefs = override.pop("web_preferences", None) or override.pop("webPreferences", None) or {}
    return {**features, **override, "web_preferences": {**prefs, **dict(given_prefs)}}


async def _open(event: Any, url: str, frame_name: str, features: str) -> str:
    """The request's answer to the page: ``"allow"``, ``"deny"`` or ``"limit"``."""
    wc: WebContents = event.sender
    state = _opener(wc)
    if _admit(wc, state) is not None:
        return "limit"
    named = state.named.get(frame_name) if frame_name else None
    target = named() if named is not None else None
    if target is not None and not target.is_destroyed():
        return _load_in(wc, target, url)
    details: dict[str, Any] = {
        "url": url, "frame_name": frame_name, "features": features,
        "disposition": "new-window" if features else "foreground-tab",
        "referrer": {"url": wc.get_url(), "policy": "strict-origin-when-cross-origin"}, "post_body": None,
    }
    try:
        page_refusal = None
        check_url(url, _roots(wc))
    except (TypeError, ValueError) as exc:
        page_refusal = str(exc)
    override: dict[str, Any] = {}
    allow, outlives = page_refusal is None, False
    if state.handler is not None:
        state.waiting += 1
        try:
            answer = state.handler(dict(details))
            if inspect.isawaitable(answer):
                answer = await answer
            allow, override, outlives = _decision(answer)
        except Exception:
            log.exception("window %d: the window open handler failed: the window is not opened", wc._window.id)
            return "deny"
        finally:
            state.waiting -= 1
    if page_refusal is not None and (allow or state.handler is None):
        # The default refuses what load_url would refuse; an allowing handler cannot widen it.
        shown = url if len(url) <= 200 else url[:200] + "..."
        why = remote_refusal(url) if urlsplit(url).scheme.lower() not in ("file", "data", "about") else page_refusal
        log.warning("window %d: window.open(%r) is not opened: %s", wc._window.id, shown, why)
        return "deny"
    if not allow:
        return "deny"
    if wc.is_destroyed() or wc._window.is_destroyed():
        return "deny"
    options = _options(wc, parse_features(features), override)
    try:
        # A window of the opener's class (BrowserWindow): no import of it here,
        # which would close an import cycle through web contents.
        child = type(wc._window)(**options)
    except (TypeError, ValueError) as exc:
        log.error("window %d: window.open: the new window's options are wrong: %s", wc._window.id, exc)  # noqa: TRY400 - the app's options, not main's bug: no traceback
        return "deny"
    try:
        child.load_url(url)
    except (TypeError, ValueError) as exc:
        log.warning("window %d: window.open(%r) is not opened: %s", wc._window.id, url[:200], exc)
        child.destroy()
        return "deny"
    state.windows.append(weakref.ref(child))
    if frame_name:
        state.named[frame_name] = weakref.ref(child)
    if not outlives:
        _close_with_opener(wc._window, child)
    wc.emit("did-create-window", child, {**details, "options": options})
    return "allow"


def _load_in(wc: WebContents, target: BrowserWindow, url: str) -> str:
    """A named window this page opened is open: the URL loads there (no handler, as in Electron)."""
    try:
        check_url(url, _roots(wc))  # the opener's folder counts, as for a new window
        target.load_url(url)
    except (TypeError, ValueError) as exc:
        log.warning("window %d: window.open(%r) into window %d is not loaded: %s",
                    wc._window.id, url[:200], target.id, exc)
        return "deny"
    return "allow"


def _close_with_opener(opener: BrowserWindow, child: BrowserWindow) -> None:
    ref = weakref.ref(child)

    def close(*_args: Any) -> None:
        window = ref()
        if window is not None and not window.is_destroyed():
            window.close()

    opener.once("closed", close)


CHANNELS = {CHANNEL: InternalChannel(_check, _open)}
