"""The XDG desktop portal's Settings interface (version 2, or 1 with ``version=1``), for tests.

It serves ``org.freedesktop.appearance`` ``color-scheme`` and, when the test
changes it, emits ``SettingChanged`` as xdg-desktop-portal does.
"""

from __future__ import annotations

from typing import Any

from ._base import ServiceError, TestService

PATH = "/org/freedesktop/portal/desktop"
INTERFACE = "org.freedesktop.portal.Settings"


class SettingsPortal(TestService):
    bus_name = "org.freedesktop.portal.Desktop"
    path = PATH

    def __init__(self, color_scheme: int = 0, version: int = 2, contrast: int | None = None) -> None:
        super().__init__()
        appearance: dict[str, tuple[str, Any]] = {"color-scheme": ("u", color_scheme)}
        if contrast is not None:  # a portal from before the contrast key has none
            appearance["contrast"] = ("u", contrast)
        self.settings: dict[str, dict[str, tuple[str, Any]]] = {"org.freedesktop.appearance": appearance}
        self.version = version

    def methods(self) -> dict[tuple[str, str], Any]:
        table = {
            (INTERFACE, "Read"): self._read,
            (INTERFACE, "ReadAll"): lambda msg: ("a{sa{sv}}", (self.settings,)),
        }
        if self.version >= 2:
            table[(INTERFACE, "ReadOne")] = self._read_one
        return table

    def _lookup(self, msg: Any) -> tuple[str, Any]:
        namespace, key = msg.body
        try:
            return self.settings[namespace][key]
        except KeyError:
            raise ServiceError("org.freedesktop.portal.Error.NotFound", "Requested setting not found") from None

    def _read_one(self, msg: Any) -> tuple[str, tuple[Any, ...]]:
        return "v", (self._lookup(msg),)

    def _read(self, msg: Any) -> tuple[str, tuple[Any, ...]]:
        # The deprecated Read wraps the value in a second variant (the portal's documented quirk).
        return "v", (("v", self._lookup(msg)),)

    async def set_color_scheme(self, value: int) -> None:
        await self.set_appearance("color-scheme", value)

    async def set_appearance(self, key: str, value: int) -> None:
        self.settings["org.freedesktop.appearance"][key] = ("u", value)
        await self.emit(PATH, INTERFACE, "SettingChanged", "ssv", ("org.freedesktop.appearance", key, ("u", value)))
