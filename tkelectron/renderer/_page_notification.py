"""The page's ``Notification`` (the Web Notifications API), shown by main.

A page script writes what Electron's renderer-process example writes::

    n = Notification("Title", {"body": "Hello"})      # or window.Notification(...)
    n.onclick = lambda event: console.log("clicked")

and, in the Electron main-process style, ``Notification({"title": ..., "body": ...})``.
Nothing is shown by the renderer: main asks its permission handler
(``session.default_session.set_permission_request_handler``; without one,
notifications are granted, as in Electron) and shows a real desktop
notification. Its fate comes back as events on the page's object: ``show``,
``click``, ``close`` and ``error`` (denied, or no notification server), each
both as ``add_event_listener(type, fn)`` listeners and as the ``on<type>``
attribute, called with an ``Event``. ``n.close()`` withdraws it.

``Notification.permission`` is ``"default"`` until main answered once, then
``"granted"`` or ``"denied"``; ``await Notification.request_permission()``
asks main now (a callback argument is called with the answer too).

Options: ``body`` (str), ``silent`` (bool), ``require_interaction`` (or
``requireInteraction``: it stays on screen until the user acts); the Web API's others (``icon``,
``tag``, ``data``...) are accepted and kept on the object, but main shows no
icon a page names (it would read what the page names). Title and body are
limited to 4096 characters each, and a page has at most 32 notifications on
screen at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..common._emitter import EventEmitter
from ._dom_events import Event, EventTarget, _call

if TYPE_CHECKING:
    from ._dom import Document
    from ._page import Window

__all__ = ["Notification", "install_notification"]

EVENT_CHANNEL = "tke:notification.event"
MAX_TEXT = 4096
MAX_LIVE = 32  # main's _page_notifications.MAX_LIVE
_KNOWN = ("body", "silent", "icon", "tag", "data", "lang", "dir", "badge", "image", "renotify",
          "require_interaction", "requireInteraction", "vibrate", "timestamp", "actions")


class _Backend:
    """The page's notifications waiting for main's events, by id."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.live: dict[int, Notification] = {}
        self.document: Document | None = None
        self.subscribed = False

    def runtime(self) -> Any:
        from ._ipc_renderer import ipc_renderer

        return ipc_renderer._rt

    def show(self, notification: Notification) -> None:
        rt = self.runtime()
        nid = notification._id
        self.live[nid] = notification
        options: dict[str, Any] = {"body": notification.body}
        if notification.silent:
            options["silent"] = True
        if notification.require_interaction:
            options["require_interaction"] = True
        if rt is None:
            self._event(nid, "error", "notifications need a renderer process")
            return

        async def ask() -> None:
            try:
                answer = await rt.calls.invoke("tke:notification.show", [nid, notification.title, options])
            except Exception as exc:  # noqa: BLE001 - main's refusal, or main gone: the page's error event
                self._event(nid, "error", str(exc))
                return
            if answer == "limit":
                self._event(nid, "error", f"this page has {MAX_LIVE} notifications on screen already (close one first)")
                return
            Notification.permission = answer
            if answer != "granted":
                self._event(nid, "error", "permission to show notifications was denied")

        rt.spawn(ask)

    def close(self, notification: Notification) -> None:
        rt = self.runtime()
        if rt is None or notification._id not in self.live:
            return

        async def close() -> None:
            await rt.calls.invoke("tke:notification.close", [notification._id])

        rt.spawn(close)

    def from_main(self, _event: Any, nid: Any, kind: Any, detail: Any = "") -> None:
        if isinstance(nid, int) and kind in ("show", "click", "close", "error"):
            self._event(nid, kind, detail if isinstance(detail, str) else "")

    def _event(self, nid: int, kind: str, detail: str) -> None:
        notification = self.live.get(nid)
        if notification is None:
            return
        if kind in ("close", "error"):
            del self.live[nid]
        notification._fire(kind, detail)


_backend = _Backend()


class Notification(EventTarget):
    """``Notification(title, options)``: a desktop notification main shows for the page."""

    __slots__ = (
        "__weakref__",
        "_document",
        "_id",
        "body",
        "data",
        "icon",
        "onclick",
        "onclose",
        "onerror",
        "onshow",
        "require_interaction",
        "silent",
        "tag",
        "title",
    )

    #: ``"default"`` (not asked yet), ``"granted"`` or ``"denied"``: main's last answer.
    permission = "default"

    def __init__(self, title: str | Mapping[str, Any] = "", options: Mapping[str, Any] | None = None,
                 **fields: Any) -> None:
        super().__init__()
        if isinstance(title, Mapping):  # Electron's main-process style: one dict with the title in it
            options, title = {**title, **(options or {})}, title.get("title", "")
        merged = {**(options or {}), **fields}
        merged.pop("title", None)
        unknown = sorted(set(merged) - set(_KNOWN))
        if unknown:
            raise TypeError(f"unknown notification option(s): {', '.join(map(str, unknown))}")
        self.title = _text(title, "title")
        self.body = _text(merged.get("body", ""), "body")
        silent = merged.get("silent", False)
        if not isinstance(silent, bool):
            raise TypeError(f"silent must be a bool, not {type(silent).__name__}")
        self.silent = silent
        require = merged.get("require_interaction", merged.get("requireInteraction", False))
        if not isinstance(require, bool):
            raise TypeError(f"require_interaction must be a bool, not {type(require).__name__}")
        self.require_interaction = require
        self.icon = merged.get("icon")
        self.tag = merged.get("tag", "")
        self.data = merged.get("data")
        self.onclick: Any = None
        self.onclose: Any = None
        self.onshow: Any = None
        self.onerror: Any = None
        self._document = _backend.document
        if self._document is None:
            raise RuntimeError("Notification is only usable in a page")
        self._id = next(_backend.ids)
        _backend.show(self)

    def _event_document(self) -> Document:
        assert self._document is not None
        return self._document

    def close(self) -> None:
        """Withdraw the notification; ``close`` follows once it is gone."""
        _backend.close(self)

    @staticmethod
    async def request_permission(callback: Any = None) -> str:
        """Ask main whether this page may notify: ``"granted"`` or ``"denied"``."""
        rt = _backend.runtime()
        answer = "denied" if rt is None else await rt.calls.invoke("tke:notification.permission", [])
        Notification.permission = answer
        if callback is not None:
            callback(answer)
        return answer

    requestPermission = request_permission

    addEventListener = EventTarget.add_event_listener
    removeEventListener = EventTarget.remove_event_listener

    def _fire(self, kind: str, detail: str) -> None:
        event = Event(kind, bubbles=False, cancelable=False, detail=detail or None)
        self.dispatch_event(event)
        handler = getattr(self, f"on{kind}", None)
        if callable(handler):
            assert self._document is not None
            _call(handler, event, self._document)

    def __repr__(self) -> str:
        return f"<Notification {self.title!r}>"


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"the notification {name} must be a str, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"the notification {name} is {len(value)} characters long; at most {MAX_TEXT} are shown")
    if "\0" in value:
        raise ValueError(f"the notification {name} contains a NUL character")
    return value


def install_notification(window: Window, document: Document, scope: dict[str, Any]) -> None:
    """``Notification`` for a page about to run (in its globals and on ``window``)."""
    from ._ipc_renderer import ipc_renderer

    _backend.document = document
    if not _backend.subscribed and ipc_renderer._rt is not None:
        # A framework channel: user code cannot listen on it (ipc_renderer.on refuses).
        EventEmitter.on(ipc_renderer, EVENT_CHANNEL, _backend.from_main)
        _backend.subscribed = True
    scope["Notification"] = Notification
    try:
        window._expose("Notification", Notification)
    except ValueError:
        pass  # the preload exposed its own window.Notification: the page sees that one
