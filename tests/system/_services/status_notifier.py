"""A StatusNotifierWatcher that also plays the status-area host, for tests.

As KDE's watcher does, it accepts a bus name or an object path in
``RegisterStatusNotifierItem``, announces ``StatusNotifierItemRegistered``,
and drops an item when its bus name loses its owner (``NameOwnerChanged``).
As a host (the panel that draws the icons), it reads an item's properties,
its dbusmenu layout, and sends the user's clicks back.
"""

from __future__ import annotations

from typing import Any

from jeepney import MatchRule

from ._base import TestService, sender_of

PATH = "/StatusNotifierWatcher"
INTERFACE = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"


class StatusNotifierWatcher(TestService):
    bus_name = "org.kde.StatusNotifierWatcher"
    path = PATH

    def __init__(self) -> None:
        super().__init__()
        #: Registered items as (bus name, object path), in order.
        self.items: list[tuple[str, str]] = []

    def methods(self) -> dict[tuple[str, str], Any]:
        return {
            (INTERFACE, "RegisterStatusNotifierItem"): self._register_item,
            (INTERFACE, "RegisterStatusNotifierHost"): lambda msg: (None, ()),
            (PROPS, "Get"): lambda msg: ("v", (self._properties()[msg.body[1]],)),
            (PROPS, "GetAll"): lambda msg: ("a{sv}", (self._properties(),)),
        }

    def _properties(self) -> dict[str, tuple[str, Any]]:
        return {
            "RegisteredStatusNotifierItems": ("as", [f"{name}{path}" for name, path in self.items]),
            "IsStatusNotifierHostRegistered": ("b", True),
            "ProtocolVersion": ("i", 0),
        }

    def _register_item(self, msg: Any) -> tuple[None, tuple[()]]:
        (service,) = msg.body
        if service.startswith("/"):
            entry = (sender_of(msg), service)
        else:
            entry = (service, "/StatusNotifierItem")
        if entry not in self.items:
            self.items.append(entry)
            self.pending_signals.append((PATH, INTERFACE, "StatusNotifierItemRegistered", "s", ("".join(entry),)))
        return None, ()

    def signal_rules(self) -> list[MatchRule]:
        return [
            MatchRule(type="signal", interface="org.freedesktop.DBus", member="NameOwnerChanged"),
            MatchRule(type="signal", interface=ITEM),
            MatchRule(type="signal", interface=MENU),
        ]

    def on_signal(self, msg: Any) -> None:
        if msg.header.fields.get(3) == "NameOwnerChanged":
            name, _old, new = msg.body
            if not new:
                self.items = [(n, p) for n, p in self.items if n != name]

    # -- the host ---------------------------------------------------------------------

    async def wait_for_item(self) -> tuple[str, str]:
        await self.wait_until(lambda: self.items, "an item to register")
        return self.items[-1]

    async def properties(self, item: tuple[str, str]) -> dict[str, Any]:
        name, path = item
        (props,) = await self.call(name, path, PROPS, "GetAll", "s", (ITEM,))
        return {key: value for key, (_sig, value) in props.items()}

    async def menu_path(self, item: tuple[str, str]) -> str:
        return (await self.properties(item))["Menu"]

    async def layout(self, item: tuple[str, str]) -> tuple[int, Any]:
        revision, layout = await self.call(item[0], await self.menu_path(item), MENU, "GetLayout", "iias",
                                           (0, -1, []))
        return revision, layout

    async def menu_event(self, item: tuple[str, str], item_id: int, event: str = "clicked") -> None:
        await self.call(item[0], await self.menu_path(item), MENU, "Event", "isvu", (item_id, event, ("i", 0), 0))

    async def press(self, item: tuple[str, str], method: str, x: int = 10, y: int = 20) -> None:
        await self.call(item[0], item[1], ITEM, method, "ii", (x, y))


def flatten(layout: Any) -> list[tuple[int, dict[str, Any], int]]:
    """A dbusmenu layout as (id, properties, depth) rows, depth first (the root left out)."""
    rows: list[tuple[int, dict[str, Any], int]] = []

    def walk(node: Any, depth: int) -> None:
        item_id, props, children = node
        if depth:
            rows.append((item_id, {k: v for k, (_s, v) in props.items()}, depth))
        for _sig, child in children:
            walk(child, depth + 1)

    walk(layout, 0)
    return rows
