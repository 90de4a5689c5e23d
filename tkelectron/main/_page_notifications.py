"""The page's ``window.Notification``, answered by main.

A page's ``Notification(title, {"body": ...})`` becomes, in main, a permission
request (``session.default_session``'s handler, permission
``notifications``) and, when granted, a real :class:`~._notification.Notification`
on the desktop's notification server. What happens to it there comes back to
the page as events on the framework channel ``tke:notification.event``
(``[id, type, detail]``, type ``show``, ``click``, ``close`` or ``error``), so
the page's ``onclick``/``onclose`` run when the user clicks or dismisses
main's notification. Events go only to the renderer that asked: after a
reload, the old page's notifications stay on the desktop but tell nobody.

Main trusts nothing of it: the page may send a title and a body (at most
:data:`MAX_TEXT` characters each), ``silent`` and ``require_interaction``
(the notification stays until the user acts: ``timeout_type="never"``), never an icon (a path or
URL would make main, or the notification server, read what the page names);
at most :data:`MAX_LIVE` of a renderer's notifications are on screen, or
waiting on the permission handler, at once (the next fails with an
``error`` event). A malformed request is an
ipc-violation.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING, Any

from ..common._messages import Message
from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation
from ._notification import Notification
from ._session import default_session

if TYPE_CHECKING:
    from ._renderer_process import RendererProcess
    from ._web_contents import WebContents

__all__ = ["CHANNELS", "EVENT_CHANNEL", "MAX_LIVE", "MAX_TEXT"]

log = logging.getLogger("tkelectron.notification")

EVENT_CHANNEL = "tke:notification.event"
#: The most characters a page's notification title, or body, may have.
MAX_TEXT = 4096
#: The most notifications one renderer may have on screen at once.
MAX_LIVE = 32
#: Ids the page side hands out (a positive int32).
_MAX_ID = 2**31 - 1
_OPTIONS = {"body": str, "silent": bool, "require_interaction": bool}

# Each renderer's notifications on screen, by the page's id.
_live: weakref.WeakKeyDictionary[RendererProcess, dict[int, Notification]] = weakref.WeakKeyDictionary()
# How many of each renderer's requests wait on the permission handler.
_asking: weakref.WeakKeyDictionary[RendererProcess, int] = weakref.WeakKeyDictionary()


def _violation(what: str) -> IpcViolation:
    return IpcViolation(f"malformed page notification request: {what}")


def _check_id(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= _MAX_ID:
        raise _violation(f"the id must be an int in 1..{_MAX_ID}, not {value!r:.80}")
    return value


def _check_text(value: Any, what: str) -> str:
    if type(value) is not str or len(value) > MAX_TEXT:
        raise _violation(f"{what} must be a str of at most {MAX_TEXT} characters")
    return value


def _check_permission(wc: WebContents, args: list[Any]) -> None:
    if args:
        raise _violation("the permission request takes no arguments")


def _check_show(wc: WebContents, args: list[Any]) -> None:
    if len(args) != 3:
        raise _violation("show takes [id, title, options]")
    nid = _check_id(args[0])
    if wc._renderer is not None and nid in _live.get(wc._renderer, {}):
        raise _violation(f"id {nid} is already on screen")
    _check_text(args[1], "the title")
    options = args[2]
    if type(options) is not dict:
        raise _violation("the options must be a dict")
    for key, value in options.items():
        kind = _OPTIONS.get(key) if type(key) is str else None
        if kind is None:
            raise _violation(f"unknown option {key!r:.80}")
        if kind is str:
            _check_text(value, f"option {key!r}")
        elif type(value) is not kind:
            raise _violation(f"option {key!r} must be a {kind.__name__}")


def _check_close(wc: WebContents, args: list[Any]) -> None:
    if len(args) != 1:
        raise _violation("close takes [id]")
    _check_id(args[0])


async def _permission(event: Any) -> str:
    granted = await default_session._request(event.sender, "notifications", {})
    return "granted" if granted else "denied"


async def _show(event: Any, nid: int, title: str, options: dict[str, Any]) -> str:
    """Ask the session, then show the real notification: "granted", "denied" or "limit" (MAX_LIVE on screen)."""
    wc: WebContents = event.sender
    proc = wc._renderer
    if proc is None:
        return "denied"
    live = _live.setdefault(proc, {})
    if nid in live:  # a second request for the same id raced the first: refuse it
        raise RuntimeError(f"page notification id {nid} is already on screen")
    asking = _asking.get(proc, 0)
    if len(live) + asking >= MAX_LIVE:  # requests waiting on the handler count too
        return "limit"
    body = options.get("body", "")
    _asking[proc] = asking + 1
    try:
        granted = await default_session._request(wc, "notifications", {"title": title, "body": body})
    finally:
        _asking[proc] -= 1
    if not granted:
        return "denied"
    if len(live) >= MAX_LIVE:
        return "limit"  # the page's error event says so; nothing for main's log
    notification = Notification(title=title, body=body, silent=options.get("silent", False),
                                timeout_type="never" if options.get("require_interaction") else "default")
    live[nid] = notification
    _forward(wc, proc, nid, notification)
    notification.show()
    return "granted"


def _forward(wc: WebContents, proc: RendererProcess, nid: int, notification: Notification) -> None:
    """Tell the page what happens to ``notification``, for as long as ``proc`` is its renderer."""

    def tell(kind: str, detail: str = "") -> None:
        if kind in ("close", "error"):
            _live.get(proc, {}).pop(nid, None)
        if wc._renderer is proc:
            wc._send_to_renderer(Message(EVENT_CHANNEL, [nid, kind, detail]))

    notification.on("show", lambda _event: tell("show"))
    notification.on("click", lambda _event: tell("click"))
    notification.on("close", lambda event: tell("close", getattr(event, "reason", "")))
    notification.on("failed", lambda _event, error: tell("error", str(error)))


def _close(event: Any, nid: int) -> None:
    proc = event.sender._renderer
    notification = _live.get(proc, {}).get(nid) if proc is not None else None
    if notification is not None:
        notification.close()


CHANNELS = {
    "tke:notification.permission": InternalChannel(_check_permission, _permission),
    "tke:notification.show": InternalChannel(_check_show, _show),
    "tke:notification.close": InternalChannel(_check_close, _close),
}
