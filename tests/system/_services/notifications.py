"""A notification server (Desktop Notifications Specification 1.2), for tests.

It records every notification it was asked to show (``notifications``, by
id), closes them on request with reason 3 and can play the user: ``click``
(the default action), ``invoke_action`` and ``dismiss`` emit the spec's
``ActionInvoked`` and ``NotificationClosed`` signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._base import ServiceError, TestService

PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"


@dataclass
class Shown:
    id: int
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, tuple[str, Any]]
    expire_timeout: int
    closed: bool = False

    def hint(self, name: str) -> Any:
        value = self.hints.get(name)
        return None if value is None else value[1]

    def action_pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.actions[::2], self.actions[1::2], strict=False))


class NotificationServer(TestService):
    bus_name = "org.freedesktop.Notifications"
    path = PATH

    def __init__(self, capabilities: tuple[str, ...] = ("actions", "body", "icon-static", "sound")) -> None:
        super().__init__()
        self.capabilities = list(capabilities)
        self.notifications: dict[int, Shown] = {}
        self._next_id = 1

    def methods(self) -> dict[tuple[str, str], Any]:
        return {
            (INTERFACE, "Notify"): self._notify,
            (INTERFACE, "CloseNotification"): self._close,
            (INTERFACE, "GetCapabilities"): lambda msg: ("as", (self.capabilities,)),
            (INTERFACE, "GetServerInformation"): lambda msg: ("ssss", ("test-server", "tkelectron-tests", "1", "1.2")),
        }

    def _notify(self, msg: Any) -> tuple[str, tuple[Any, ...]]:
        app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout = msg.body
        if replaces_id and replaces_id in self.notifications:
            notification_id = replaces_id
        else:
            notification_id = self._next_id
            self._next_id += 1
        self.notifications[notification_id] = Shown(
            notification_id, app_name, replaces_id, app_icon, summary, body, list(actions), dict(hints), expire_timeout
        )
        return "u", (notification_id,)

    def _close(self, msg: Any) -> tuple[str | None, tuple[Any, ...]]:
        (notification_id,) = msg.body
        shown = self.notifications.get(notification_id)
        if shown is None or shown.closed:
            raise ServiceError("org.freedesktop.Notifications.Error.NotFound", "no such notification")
        shown.closed = True
        # The spec: the server emits NotificationClosed with reason 3 after CloseNotification.
        self.pending_signals.append((PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 3)))
        return None, ()

    # -- the user -----------------------------------------------------------------

    async def invoke_action(self, notification_id: int, key: str) -> None:
        await self.emit(PATH, INTERFACE, "ActionInvoked", "us", (notification_id, key))

    async def click(self, notification_id: int) -> None:
        await self.invoke_action(notification_id, "default")

    async def dismiss(self, notification_id: int, reason: int = 2) -> None:
        self.notifications[notification_id].closed = True
        await self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, reason))

    async def wait_for_notification(self, count: int = 1) -> Shown:
        await self.wait_until(lambda: len(self.calls_to("Notify")) >= count, f"{count} Notify call(s)")
        return self.notifications[max(self.notifications)]

    async def dismiss_unknown(self, notification_id: int) -> None:
        """Emit NotificationClosed without owning the notification (an impostor's signal)."""
        await self.emit(PATH, INTERFACE, "NotificationClosed", "uu", (notification_id, 2))
