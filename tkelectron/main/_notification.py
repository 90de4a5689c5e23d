"""``Notification``: Electron's desktop notifications over org.freedesktop.Notifications.

``Notification(title=..., body=..., icon=, urgency=, silent=, timeout_type=,
timeout=, actions=)`` (or one dict of Electron's option names) describes a
notification; ``show()`` sends it to the desktop's notification server
(the Desktop Notifications Specification: ``Notify`` on
``/org/freedesktop/Notifications``) and ``close()`` withdraws it. Events, as
in Electron: ``show`` once the server took it, ``click`` when the user
clicks it (the spec's ``default`` action), ``action`` with the index of the
button pressed, ``close`` when it is gone (``event.reason`` is ``expired``,
``dismissed``, ``closed`` or ``undefined``), ``failed`` with the error text
when there is no session bus or no server, or the server refused it.

Signals are taken only from the connection that answered our ``Notify``:
another program on the bus cannot fake a click. A notification stays
reachable (and so its listeners alive) until the server says it closed.

``await Notification.is_supported()`` asks the bus whether a server answers
(Electron's is synchronous; here it is a D-Bus round trip, and main never
blocks on one).
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import trio
from jeepney import DBusAddress, HeaderFields, MatchRule

from ..common._emitter import PreventableEvent
from ._context import current_session
from ._dbus import DesktopEmitter, DesktopServiceError, SessionBus, check_text, session_bus
from ._launcher_entry import desktop_entry_id

__all__ = ["Notification"]

log = logging.getLogger("tkelectron.notification")

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
_ADDRESS = DBusAddress(PATH, SERVICE, INTERFACE)

URGENCIES = {"low": 0, "normal": 1, "critical": 2}
TIMEOUT_TYPES = ("default", "never")
CLOSE_REASONS = {1: "expired", 2: "dismissed", 3: "closed", 4: "undefined"}
_OPTIONS = ("title", "body", "icon", "urgency", "silent", "timeout_type", "timeout", "actions")
_ELECTRON_NAMES = {"timeoutType": "timeout_type"}
#: Signals for ids we do not know yet are kept this long (a server may click
#: faster than our task learns the id its Notify call returned).
_EARLY_SIGNALS = 32
#: The spec's expire_timeout is a signed 32-bit count of milliseconds.
_MAX_TIMEOUT = (2**31 - 1) // 1000


class Notification(DesktopEmitter):
    """A desktop notification (Electron's ``new Notification(options)``)."""

    def __init__(self, options: Mapping[str, Any] | None = None, **fields: Any) -> None:
        super().__init__()
        merged = {_ELECTRON_NAMES.get(k, k): v for k, v in {**(options or {}), **fields}.items()}
        unknown = sorted(set(merged) - set(_OPTIONS))
        if unknown:
            raise ValueError(f"unknown notification option(s): {', '.join(unknown)}")
        self.title: str = _text(merged.get("title", ""), "title")
        self.body: str = _text(merged.get("body", ""), "body")
        icon = merged.get("icon")
        if icon is not None and not isinstance(icon, (str, Path)):
            raise TypeError(f"icon must be a file path or an icon-theme name, not {type(icon).__name__}")
        self.icon: str | Path | None = icon
        self.urgency: str = merged.get("urgency", "normal")
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}, not {self.urgency!r}")
        self.silent: bool = bool(merged.get("silent", False))
        self.timeout_type: str = merged.get("timeout_type", "default")
        if self.timeout_type not in TIMEOUT_TYPES:
            raise ValueError(f"timeout_type must be 'default' or 'never', not {self.timeout_type!r}")
        timeout = merged.get("timeout")
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                    or not 0 <= timeout <= _MAX_TIMEOUT):
            raise ValueError(f"timeout must be a number of seconds in 0..{_MAX_TIMEOUT}, not {timeout!r}")
        self.timeout: float | None = timeout
        self.actions: list[dict[str, str]] = [_action(a) for a in merged.get("actions", ())]
        #: The server's id for this notification once shown (None before).
        self.id: int | None = None
        self._server: str | None = None  # the unique bus name that answered Notify
        self._close_requested = False

    # -- Electron's API ---------------------------------------------------------------

    @staticmethod
    async def is_supported() -> bool:
        """True when a notification server answers on the session bus."""
        try:
            bus = await session_bus()
            await bus.call(_ADDRESS, "GetCapabilities")
        except DesktopServiceError:
            return False
        return True

    def show(self) -> None:
        """Show it now (again: replaces the one shown before). Events tell what happened."""
        session = current_session()
        self._close_requested = False
        session.start_soon(self._show)

    def close(self) -> None:
        """Withdraw it; ``close`` follows (reason ``closed``) once the server did."""
        session = current_session()
        self._close_requested = True
        if self.id is not None:
            session.start_soon(self._close)

    # -- the D-Bus side ------------------------------------------------------------

    async def _show(self) -> None:
        try:
            bus = await session_bus()
            dispatcher = await bus.watcher(__name__, _Dispatcher)
            (capabilities,) = await bus.call(_ADDRESS, "GetCapabilities")
            reply = await bus.call_message(_ADDRESS, "Notify", "susssasa{sv}i", self._notify_args(capabilities))
        except (DesktopServiceError, ValueError) as exc:  # ValueError: a field changed to text D-Bus cannot carry
            self.emit("failed", PreventableEvent(), str(exc))
            return
        previous = self.id
        (self.id,) = reply.body
        self._server = reply.header.fields.get(HeaderFields.sender)
        dispatcher.adopt(self, previous)
        self.emit("show", PreventableEvent())
        if self._close_requested:  # close() came while Notify was on its way
            await self._close()

    def _notify_args(self, capabilities: Sequence[str]) -> tuple[Any, ...]:
        session = current_session()
        actions: list[str] = []
        if "actions" in capabilities:
            actions = ["default", ""]
            for index, action in enumerate(self.actions):
                actions += [str(index), action["text"]]
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", URGENCIES[self.urgency]),
            "desktop-entry": ("s", desktop_entry_id().removesuffix(".desktop")),
        }
        if self.silent:
            hints["suppress-sound"] = ("b", True)
        if self.timeout is not None:
            expire = int(self.timeout * 1000)
        else:
            expire = 0 if self.timeout_type == "never" else -1
        return (session.require_app().get_name(), self.id or 0, _icon(self.icon), self.title, self.body, actions, hints, expire)

    async def _close(self) -> None:
        if self.id is None:
            return
        try:
            bus = await session_bus()
            await bus.call(_ADDRESS, "CloseNotification", "u", (self.id,))
        except DesktopServiceError as exc:
            log.info("closing notification %s: %s", self.id, exc)  # already gone: nothing to withdraw

    def _signal(self, member: str, body: tuple[Any, ...]) -> None:
        if member == "ActionInvoked":
            key = body[1]
            if key == "default":
                self.emit("click", PreventableEvent())
            elif key.isdigit() and int(key) < len(self.actions):
                self.emit("action", PreventableEvent(), int(key))
        elif member == "NotificationClosed":
            self.emit("close", PreventableEvent(reason=CLOSE_REASONS.get(body[1], "undefined")))

    def __repr__(self) -> str:
        return f"<Notification id={self.id} title={self.title!r}>"


class _Dispatcher:
    """Routes the server's signals to the notifications they are about (one per run)."""

    def __init__(self) -> None:
        self.live: dict[int, Notification] = {}
        self.early: collections.deque[tuple[str, str, tuple[Any, ...]]] = collections.deque(maxlen=_EARLY_SIGNALS)

    def adopt(self, notification: Notification, previous: int | None) -> None:
        if previous is not None and self.live.get(previous) is notification:
            del self.live[previous]
        assert notification.id is not None
        self.live[notification.id] = notification
        waiting = [entry for entry in self.early if entry[2][0] == notification.id]
        for entry in waiting:
            self.early.remove(entry)
            self._deliver(*entry)

    async def run(self, bus: SessionBus, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        rule = MatchRule(type="signal", interface=INTERFACE, path=PATH)
        async with bus.filter(rule) as signals:
            await bus.add_match(rule)
            task_status.started()
            async for msg in signals:
                member = msg.header.fields.get(HeaderFields.member, "")
                signature = msg.header.fields.get(HeaderFields.signature, "")
                expected = {"ActionInvoked": "us", "NotificationClosed": "uu"}.get(member)
                if expected is None or signature != expected:
                    continue
                sender = msg.header.fields.get(HeaderFields.sender, "")
                if msg.body[0] in self.live:
                    self._deliver(sender, member, msg.body)
                else:
                    self.early.append((sender, member, msg.body))

    def _deliver(self, sender: str, member: str, body: tuple[Any, ...]) -> None:
        notification = self.live.get(body[0])
        if notification is None or sender != notification._server:
            return  # not from the server that showed it
        if member == "NotificationClosed":
            del self.live[body[0]]
        notification._signal(member, body)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return check_text(value, f"the notification {name}")


def _action(action: Any) -> dict[str, str]:
    if not isinstance(action, Mapping) or not isinstance(action.get("text"), str):
        raise TypeError(f"an action is {{'type': 'button', 'text': str}}, not {action!r}")
    check_text(action["text"], "an action's text")
    if action.get("type", "button") != "button":
        raise ValueError(f"action type must be 'button', not {action.get('type')!r}")
    return {"type": "button", "text": action["text"]}


def _icon(icon: str | Path | None) -> str:
    """The spec's ``app_icon``: a file:// URI for a file, else an icon-theme name."""
    if icon is None:
        return ""
    text = str(icon)
    if isinstance(icon, Path) or "/" in text:
        return Path(text).expanduser().resolve().as_uri()
    return text
