"""``Tray``: Electron's tray icon as a StatusNotifierItem, its menu over com.canonical.dbusmenu.

``Tray(image)`` puts an icon in the desktop's status area: KDE Plasma, GNOME
with the AppIndicator extension, XFCE, Budgie, Cinnamon, sway's bars... all
host StatusNotifierItems. The tray owns the bus name
``org.kde.StatusNotifierItem-<pid>-<n>``, serves ``org.kde.StatusNotifierItem``
at ``/StatusNotifierItem`` under that name, and registers it with
``org.kde.StatusNotifierWatcher``. ``set_tool_tip``, ``set_title``,
``set_image`` change its properties and send the spec's ``New*`` signals;
``set_context_menu(menu)`` serves a tkelectron :class:`Menu` at ``/MenuBar``
over com.canonical.dbusmenu (the host draws it; a chosen item is clicked as
a user would, so checkboxes toggle and ``click`` handlers run); changing the
menu afterwards (labels, ``enabled``, ``checked``...) updates it on screen.
``destroy()`` releases the name, which removes the icon.

Events, from the host's method calls: ``click`` (``Activate``),
``right-click`` (``ContextMenu``; hosts that draw the menu themselves may
never call it),
``middle-click`` (``SecondaryActivate``), each ``(event, bounds)`` with the
pointer position in ``bounds`` as Electron gives it. ``failed`` ``(event,
error)`` when there is no session bus, or no StatusNotifierWatcher yet (the
desktop shows no status icons): the tray then registers as soon as a
watcher starts, and again whenever one restarts.

The icon is a file path or an icon-theme name. A file is offered the way
libappindicator offers one: its folder as ``IconThemePath`` and its stem as
``IconName`` (no pixels cross the bus).
"""

from __future__ import annotations

import itertools
import logging
import os
from pathlib import Path
from typing import Any

import trio
from jeepney import DBusAddress, MatchRule

from ..common._emitter import PreventableEvent
from ._context import current_session
from ._dbus import (
    DBusMethodError,
    DesktopEmitter,
    DesktopServiceError,
    ExportedObject,
    SessionBus,
    Variant,
    check_text,
    session_bus,
)
from ._launcher_entry import desktop_entry_id
from ._menu import Menu, MenuChange, MenuItem, split_mnemonic

__all__ = ["Tray"]

log = logging.getLogger("tkelectron.tray")

ITEM_INTERFACE = "org.kde.StatusNotifierItem"
ITEM_PATH = "/StatusNotifierItem"
MENU_INTERFACE = "com.canonical.dbusmenu"
MENU_PATH = "/MenuBar"
WATCHER = DBusAddress("/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher", "org.kde.StatusNotifierWatcher")
_numbers = itertools.count(1)


class Tray(DesktopEmitter):
    """A status-area icon (Electron's ``new Tray(image)``)."""

    def __init__(self, image: str | Path) -> None:
        super().__init__()
        session = current_session()
        if session.nursery is None:
            raise RuntimeError("Tray needs a running app (create it once the app is ready)")
        self._icon_name, self._icon_path = _icon(image)
        self._tooltip = ""
        self._title = ""
        self._menu: Menu | None = None
        self._menu_ids: dict[int, MenuItem] = {}
        self._revision = 1
        self._destroyed = False
        self.bus_name = f"org.kde.StatusNotifierItem-{os.getpid()}-{next(_numbers)}"
        self._bus: SessionBus | None = None
        self._objects: list[ExportedObject] = []
        session.start_soon(self._register)

    # -- Electron's API ---------------------------------------------------------------

    def set_image(self, image: str | Path) -> None:
        self._icon_name, self._icon_path = _icon(image)
        self._signal("NewIcon")

    def set_tool_tip(self, tooltip: str) -> None:
        self._tooltip = _text(tooltip, "tooltip")
        self._signal("NewToolTip")

    def set_title(self, title: str) -> None:
        self._title = _text(title, "title")
        self._signal("NewTitle")

    def get_title(self) -> str:
        return self._title

    def set_context_menu(self, menu: Menu | None) -> None:
        if menu is not None and not isinstance(menu, Menu):
            raise TypeError(f"the context menu must be a Menu (Menu.build_from_template), not {type(menu).__name__}")
        if self._menu is not None:
            self._menu.remove_listener(self._menu_changed)
        self._menu = menu
        if menu is not None:
            menu.add_listener(self._menu_changed)
        self._menu_changed(None)

    def destroy(self) -> None:
        """Remove the icon (the bus name goes, so the watcher drops the item)."""
        if self._destroyed:
            return
        self._destroyed = True
        if self._menu is not None:
            self._menu.remove_listener(self._menu_changed)
        bus, self._bus = self._bus, None
        if bus is not None:
            follower = bus.started_watcher(__name__)
            if follower is not None:
                follower.trays.discard(self)
            for obj in self._objects:
                bus.unexport(obj)
            session = current_session()
            if session.nursery is not None and not bus.closed:
                session.start_soon(_release, bus, self.bus_name)

    def is_destroyed(self) -> bool:
        return self._destroyed

    # -- registering ------------------------------------------------------------------

    async def _register(self) -> None:
        try:
            bus = await session_bus()
            if self._destroyed:
                return
            await bus.request_name(self.bus_name)
            self._objects = [
                ExportedObject(ITEM_PATH, self.bus_name, methods={ITEM_INTERFACE: self._item_methods()},
                               properties={ITEM_INTERFACE: self._item_properties}),
                ExportedObject(MENU_PATH, self.bus_name, methods={MENU_INTERFACE: self._menu_methods()},
                               properties={MENU_INTERFACE: _menu_properties}),
            ]
            for obj in self._objects:
                bus.export(obj)
            self._bus = bus
            follower = await bus.watcher(__name__, _WatcherFollower)
        except DesktopServiceError as exc:
            self.emit("failed", PreventableEvent(), f"the tray icon is not shown: {exc}")
            return
        if self._destroyed:  # destroyed while registering
            self._destroyed = False
            self.destroy()
            return
        follower.trays.add(self)
        await self._announce(bus)

    async def _announce(self, bus: SessionBus) -> None:
        """Register with the watcher; if there is none, the next one to start will hear from us."""
        try:
            await bus.call(WATCHER, "RegisterStatusNotifierItem", "s", (self.bus_name,))
        except DesktopServiceError as exc:
            if not self._destroyed:
                self.emit("failed", PreventableEvent(), f"the tray icon is not shown: {exc}")

    def _signal(self, member: str, signature: str | None = None, body: tuple[Any, ...] = (),
                path: str = ITEM_PATH, interface: str = ITEM_INTERFACE) -> None:
        session = current_session()
        if self._bus is not None and not self._destroyed and session.nursery is not None:
            session.start_soon(_emit, self._bus, path, interface, member, signature, body)

    # -- org.kde.StatusNotifierItem -----------------------------------------------------

    def _item_properties(self) -> dict[str, Variant]:
        session = current_session()
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", desktop_entry_id().removesuffix(".desktop")),
            "Title": ("s", self._title or session.require_app().get_name()),
            "Status": ("s", "Active"),
            "WindowId": ("i", 0),
            "IconName": ("s", self._icon_name),
            "IconThemePath": ("s", self._icon_path),
            "IconPixmap": ("a(iiay)", []),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", ""),
            "AttentionIconPixmap": ("a(iiay)", []),
            "AttentionMovieName": ("s", ""),
            "ToolTip": ("(sa(iiay)ss)", ("", [], self._tooltip, "")),
            "ItemIsMenu": ("b", False),
            # Always the menu's path, as libappindicator does: hosts read it
            # once, and a menu set later must still show (empty until then).
            "Menu": ("o", MENU_PATH),
        }

    def _item_methods(self) -> dict[str, tuple[str, Any]]:
        def pointer(event: str) -> Any:
            def handle(x: int, y: int) -> tuple[str, tuple[Any, ...]]:
                self.emit(event, PreventableEvent(), {"x": x, "y": y, "width": 0, "height": 0})
                return "", ()

            return handle

        return {
            "Activate": ("ii", pointer("click")),
            "ContextMenu": ("ii", pointer("right-click")),
            "SecondaryActivate": ("ii", pointer("middle-click")),
            "Scroll": ("is", lambda delta, orientation: ("", ())),
        }

    # -- com.canonical.dbusmenu ---------------------------------------------------------

    def _menu_changed(self, change: MenuChange | None) -> None:
        self._revision += 1
        self._menu_ids = {}
        if self._menu is not None:
            self._menu_ids = dict(enumerate(self._menu.walk(), start=1))
        self._signal("LayoutUpdated", "ui", (self._revision, 0), MENU_PATH, MENU_INTERFACE)

    def _menu_methods(self) -> dict[str, tuple[str, Any]]:
        return {
            "GetLayout": ("iias", self._get_layout),
            "GetGroupProperties": ("aias", self._get_group_properties),
            "GetProperty": ("is", self._get_property),
            "Event": ("isvu", self._event),
            "EventGroup": ("a(isvu)", self._event_group),
            "AboutToShow": ("i", lambda item_id: ("b", (False,))),
            "AboutToShowGroup": ("ai", lambda ids: ("aiai", ([], [i for i in ids if i and i not in self._menu_ids]))),
        }

    def _id_of(self, item: MenuItem) -> int:
        return next(i for i, known in self._menu_ids.items() if known is item)

    def _layout(self, item_id: int, depth: int, names: list[str]) -> tuple[int, dict[str, Variant], list[Variant]]:
        if item_id == 0:
            children = self._menu.items if self._menu is not None else []
            props: dict[str, Variant] = {"children-display": ("s", "submenu")}
        else:
            item = self._item(item_id)
            children = item.submenu.items if item.submenu is not None else []
            props = _item_properties(item)
        if names:
            props = {k: v for k, v in props.items() if k in names}
        kids: list[Variant] = []
        if depth != 0:
            for child in children:
                kids.append(("(ia{sv}av)", self._layout(self._id_of(child), depth - 1, names)))
        return item_id, props, kids

    def _get_layout(self, parent: int, depth: int, names: list[str]) -> tuple[str, tuple[Any, ...]]:
        return "u(ia{sv}av)", (self._revision, self._layout(parent, max(depth, -1), names))

    def _get_group_properties(self, ids: list[int], names: list[str]) -> tuple[str, tuple[Any, ...]]:
        found = []
        for item_id in ids or list(self._menu_ids):
            if item_id in self._menu_ids:
                props = _item_properties(self._menu_ids[item_id])
                found.append((item_id, {k: v for k, v in props.items() if not names or k in names}))
        return "a(ia{sv})", (found,)

    def _get_property(self, item_id: int, name: str) -> tuple[str, tuple[Any, ...]]:
        props = _item_properties(self._item(item_id))
        if name not in props:
            raise DBusMethodError("org.freedesktop.DBus.Error.InvalidArgs", f"item {item_id} has no property {name}")
        return "v", (props[name],)

    def _event(self, item_id: int, event_id: str, data: Any, timestamp: int) -> tuple[str, tuple[Any, ...]]:
        item = self._item(item_id)
        if event_id == "clicked":
            item.click()
        return "", ()

    def _event_group(self, events: list[tuple[int, str, Any, int]]) -> tuple[str, tuple[Any, ...]]:
        errors = [item_id for item_id, *_ in events if item_id not in self._menu_ids]
        for item_id, event_id, _data, _ts in events:
            if item_id in self._menu_ids and event_id == "clicked":
                self._menu_ids[item_id].click()
        return "ai", (errors,)

    def _item(self, item_id: int) -> MenuItem:
        item = self._menu_ids.get(item_id)
        if item is None:
            raise DBusMethodError("org.freedesktop.DBus.Error.InvalidArgs", f"no menu item {item_id}")
        return item

    def __repr__(self) -> str:
        return f"<Tray {self.bus_name}{' destroyed' if self._destroyed else ''}>"


class _WatcherFollower:
    """Registers the live trays again whenever a StatusNotifierWatcher appears.

    A panel that starts after the app (an app started at login) or restarts
    (plasmashell after a crash) has an empty list: each item must register
    again, as libappindicator and Qt do. Only the bus daemon's own
    ``NameOwnerChanged`` counts (no other client can send as it).
    """

    def __init__(self) -> None:
        self.trays: set[Tray] = set()

    async def run(self, bus: SessionBus, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        session = current_session()
        rule = MatchRule(type="signal", sender="org.freedesktop.DBus", interface="org.freedesktop.DBus",
                         member="NameOwnerChanged", path="/org/freedesktop/DBus")
        rule.add_arg_condition(0, WATCHER.bus_name)
        async with bus.filter(rule) as signals:
            await bus.add_match(rule)
            task_status.started()
            async for msg in signals:
                if len(msg.body) == 3 and msg.body[2]:  # a new owner: a watcher started
                    for tray in list(self.trays):
                        session.start_soon(tray._announce, bus)


def _item_properties(item: MenuItem) -> dict[str, Variant]:
    """A MenuItem as dbusmenu properties (defaults left out, as the spec allows)."""
    if item.type == "separator":
        return {"type": ("s", "separator"), "visible": ("b", item.visible)}
    text, mnemonic = split_mnemonic(item.label or "")
    label = text.replace("_", "__")
    if mnemonic >= 0:
        at = len(text[:mnemonic].replace("_", "__"))
        label = label[:at] + "_" + label[at:]
    props: dict[str, Variant] = {"label": ("s", label), "enabled": ("b", item.enabled), "visible": ("b", item.visible)}
    if item.type in ("checkbox", "radio"):
        props["toggle-type"] = ("s", "checkmark" if item.type == "checkbox" else "radio")
        props["toggle-state"] = ("i", 1 if item.checked else 0)
    if item.submenu is not None:
        props["children-display"] = ("s", "submenu")
    return props


def _menu_properties() -> dict[str, Variant]:
    return {"Version": ("u", 3), "TextDirection": ("s", "ltr"), "Status": ("s", "normal"),
            "IconThemePath": ("as", [])}


def _icon(image: str | Path) -> tuple[str, str]:
    """(IconName, IconThemePath) for a file path or an icon-theme name."""
    if not isinstance(image, (str, Path)) or not str(image):
        raise TypeError(f"the tray image must be a file path or an icon-theme name, not {image!r}")
    text = check_text(str(image), "the tray image")
    if isinstance(image, Path) or "/" in text:
        path = Path(text).expanduser().resolve()
        if not path.is_file():
            raise FileNotFoundError(f"no tray image at {path}")
        return path.stem, str(path.parent)
    return text, ""


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"the tray {name} must be a str, not {type(value).__name__}")
    return check_text(value, f"the tray {name}")


async def _emit(bus: SessionBus, path: str, interface: str, member: str, signature: str | None,
                body: tuple[Any, ...]) -> None:
    try:
        await bus.emit(path, interface, member, signature, body)
    except DesktopServiceError as exc:
        log.info("tray signal %s not sent: %s", member, exc)


async def _release(bus: SessionBus, name: str) -> None:
    from jeepney.bus_messages import message_bus

    try:
        await bus.call(message_bus, "ReleaseName", "s", (name,))
    except DesktopServiceError as exc:
        log.info("releasing %s: %s", name, exc)
