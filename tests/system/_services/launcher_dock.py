"""A dock that reads com.canonical.Unity.LauncherEntry (as Dash to Dock and KDE's task manager do), for tests."""

from __future__ import annotations

from typing import Any

from jeepney import MatchRule

from ._base import TestService

INTERFACE = "com.canonical.Unity.LauncherEntry"


class LauncherDock(TestService):
    bus_name = "com.canonical.Unity"
    path = "/"

    def methods(self) -> dict[tuple[str, str], Any]:
        return {}

    def signal_rules(self) -> list[MatchRule]:
        return [MatchRule(type="signal", interface=INTERFACE, member="Update")]

    def updates(self, app_uri: str) -> list[dict[str, Any]]:
        """Every Update for ``app_uri``, as plain {property: value} dicts, oldest first."""
        return [{k: v for k, (_sig, v) in props.items()} for uri, props in self.signals_named("Update")
                if uri == app_uri]

    async def wait_for_state(self, app_uri: str, **expected: Any) -> dict[str, Any]:
        def match() -> dict[str, Any] | None:
            latest = self.updates(app_uri)[-1:] or [None]
            state = latest[0]
            return state if state and all(state.get(k.replace("_", "-")) == v for k, v in expected.items()) else None

        return await self.wait_until(match, f"an Update for {app_uri} with {expected}")

    async def query(self, app_uri: str) -> tuple[str, dict[str, Any]]:
        """Ask the app for its state, as a dock that starts late does (Query at the Update's path)."""
        sender, path = next((s, p) for (m, body, s), p in zip(self.signals, self.signal_paths, strict=True)
                            if m == "Update" and body[0] == app_uri)
        uri, props = await self.call(sender, path, INTERFACE, "Query")
        return uri, {k: v for k, (_sig, v) in props.items()}

    def on_signal(self, msg: Any) -> None:
        self.signal_paths.append(msg.header.fields.get(1, ""))

    def __init__(self) -> None:
        super().__init__()
        self.signal_paths: list[str] = []
