"""``session``: who decides what a page may ask for (Electron's permission handlers).

A page asks main for a permission it needs (today: ``notifications``, for
the page's ``window.Notification``); main asks the app's handler, set with
``session.default_session.set_permission_request_handler(handler)`` (also
reachable as ``win.web_contents.session``), exactly Electron's shape::

    def handler(web_contents, permission, callback, details):
        callback(permission == "notifications" and details["requesting_url"].endswith("index.html"))

The handler may also just return ``True``/``False`` (or be ``async`` and
return it); otherwise main waits for ``callback``. A handler that raises
denies. ``details`` holds ``requesting_url`` (the page's ``file:`` URL) and,
for notifications, the page's ``title`` and ``body``.

Without a handler, ``notifications`` is granted, as Electron does: a
tkelectron window only ever shows the app's own local pages (no remote
content), and what a page's notification carries is checked and bounded by
main (see SECURITY.md, checklist item 5). ``set_permission_request_handler(None)``
restores that default. Every other permission name is denied.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import trio

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["PERMISSIONS", "Session", "default_session", "session"]

log = logging.getLogger("tkelectron.session")

#: The permissions a page can ask for, and whether each is granted without a handler.
PERMISSIONS = {"notifications": True}

PermissionRequestHandler = Callable[["WebContents", str, Callable[[bool], None], dict[str, Any]], Any]


class Session:
    """The permission decisions of the windows that use it (one default session)."""

    def __init__(self) -> None:
        self._request_handler: PermissionRequestHandler | None = None

    def set_permission_request_handler(self, handler: PermissionRequestHandler | None) -> None:
        """``handler(web_contents, permission, callback, details)`` decides; None: the defaults."""
        if handler is not None and not callable(handler):
            raise TypeError(f"the permission request handler must be callable or None, not {type(handler).__name__}")
        self._request_handler = handler

    setPermissionRequestHandler = set_permission_request_handler

    async def _request(self, web_contents: WebContents, permission: str, details: dict[str, Any]) -> bool:
        """Whether ``web_contents`` gets ``permission`` now (the handler's answer, or the default)."""
        if permission not in PERMISSIONS:
            return False
        handler = self._request_handler
        if handler is None:
            return PERMISSIONS[permission]
        details = {"requesting_url": web_contents.get_url(), **details}
        answered = trio.Event()
        answer: list[bool] = []

        def callback(granted: bool) -> None:
            if not answered.is_set():
                answer.append(granted is True)
                answered.set()

        try:
            result = handler(web_contents, permission, callback, details)
            if inspect.isawaitable(result):
                result = await result
        except Exception:
            log.exception("the permission request handler raised for %r: denied", permission)
            return False
        if isinstance(result, bool):
            return result
        await answered.wait()
        return answer[0]


#: The session every window uses.
default_session = Session()


class _SessionModule:
    """``tkelectron.session``: Electron's ``session`` module (``default_session``)."""

    default_session = default_session
    defaultSession = default_session

    def __repr__(self) -> str:
        return "<tkelectron.session>"


session = _SessionModule()
