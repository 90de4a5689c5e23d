"""``screen``: the monitors, their work areas and scale, and the pointer, from the X server.

Monitors come from RandR 1.5's monitor list (what ``xrandr --listmonitors``
shows: one entry per monitor, virtual ones included); without RandR the
whole X screen is one display. A display's work area is its bounds less
what panels and docks reserve, from the window manager's ``_NET_WORKAREA``
(the bounds when no window manager says). The scale factor is ``Xft.dpi``
from the X resources divided by 96 — what GTK and Qt apps scale by on X11.

Events, as Electron's: ``display-added`` and ``display-removed`` with
``(event, display)``, ``display-metrics-changed`` with
``(event, display, changed_metrics)`` where ``changed_metrics`` lists
``bounds``, ``workArea``, ``scaleFactor`` or ``primary``. They follow
RandR's change notifications and property changes on the root window (a
new work area, new resources), so they need the app running.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..common._emitter import EventEmitter, PreventableEvent
from ._context import current_session
from ._listeners import main_listeners
from ._x11 import XConnection, connection

__all__ = ["Display", "Point", "Rectangle", "Screen", "screen"]

log = logging.getLogger("tkelectron.screen")


@dataclass(frozen=True, slots=True)
class Rectangle:
    x: int
    y: int
    width: int
    height: int

    def contains(self, x: int, y: int) -> bool:
        return self.x <= x < self.x + self.width and self.y <= y < self.y + self.height

    def intersection(self, other: Rectangle) -> Rectangle:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right = min(self.x + self.width, other.x + other.width)
        bottom = min(self.y + self.height, other.y + other.height)
        if right <= left or bottom <= top:
            return self
        return Rectangle(left, top, right - left, bottom - top)


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class Display:
    """One monitor, in Electron's shape (``work_area`` is ``workArea``)."""

    id: int
    label: str
    bounds: Rectangle
    work_area: Rectangle
    scale_factor: float
    primary: bool = False
    size_mm: tuple[int, int] = field(default=(0, 0))

    @property
    def size(self) -> dict[str, int]:
        return {"width": self.bounds.width, "height": self.bounds.height}

    @property
    def work_area_size(self) -> dict[str, int]:
        return {"width": self.work_area.width, "height": self.work_area.height}


def _scale_factor(x: XConnection) -> float:
    """``Xft.dpi`` / 96 from the root window's RESOURCE_MANAGER (1.0 if unset)."""
    from Xlib import Xatom

    reply = x.root.get_full_property(x.atom("RESOURCE_MANAGER"), Xatom.STRING)
    if reply is None:
        return 1.0
    text = reply.value.decode("latin-1") if isinstance(reply.value, bytes) else str(reply.value)
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "Xft.dpi":
            try:
                dpi = float(value.strip())
            except ValueError:
                return 1.0
            return round(dpi / 96.0, 2) if 24 <= dpi <= 960 else 1.0
    return 1.0


def _work_area(x: XConnection) -> Rectangle | None:
    """The current desktop's ``_NET_WORKAREA``, or None when no window manager sets it."""
    from Xlib import Xatom

    area = x.root.get_full_property(x.atom("_NET_WORKAREA"), Xatom.CARDINAL)
    if area is None or len(area.value) < 4:
        return None
    desktop = x.root.get_full_property(x.atom("_NET_CURRENT_DESKTOP"), Xatom.CARDINAL)
    index = int(desktop.value[0]) if desktop is not None and len(desktop.value) else 0
    values = list(area.value)
    if len(values) < 4 * (index + 1):
        index = 0
    return Rectangle(*(int(v) for v in values[4 * index:4 * index + 4]))


def read_displays(x: XConnection) -> list[Display]:
    """Every monitor the X server reports, the primary first."""
    scale = _scale_factor(x)
    area = _work_area(x)
    monitors: list[Any] = []
    if x.display.has_extension("RANDR"):
        monitors = list(x.root.xrandr_get_monitors().monitors)
    found = []
    for m in monitors:
        bounds = Rectangle(int(m.x), int(m.y), int(m.width_in_pixels), int(m.height_in_pixels))
        work = bounds.intersection(area) if area is not None else bounds
        found.append(Display(id=int(m.name), label=x.atom_name(m.name), bounds=bounds, work_area=work,
                             scale_factor=scale, primary=bool(m.primary),
                             size_mm=(int(m.width_in_millimeters), int(m.height_in_millimeters))))
    found.sort(key=lambda d: (not d.primary, d.bounds.x, d.bounds.y))
    return found


def _whole_screen(x: XConnection) -> Display:
    geometry = x.root.get_geometry()
    bounds = Rectangle(0, 0, int(geometry.width), int(geometry.height))
    area = _work_area(x)
    return Display(id=0, label="screen", bounds=bounds, work_area=bounds.intersection(area) if area else bounds,
                   scale_factor=_scale_factor(x), primary=True,
                   size_mm=(x.screen.width_in_mms, x.screen.height_in_mms))


class Screen(EventEmitter):
    """The ``screen`` module object (one per process: :data:`screen`)."""

    #: Async listeners run as app tasks, as every main-process emitter's.
    _listener_runner = main_listeners

    def __init__(self) -> None:
        super().__init__()
        self._x: XConnection | None = None
        self._known: dict[int, Display] = {}

    def _connection(self) -> XConnection:
        from Xlib import X

        x = connection()
        if self._x is not x:
            self._x = x
            self._known = {d.id: d for d in read_displays(x)}
            x.root.change_attributes(event_mask=X.PropertyChangeMask)
            x.on(X.PropertyNotify, self._on_root_property)
            if x.display.has_extension("RANDR"):
                from Xlib.ext import randr

                x.root.xrandr_select_input(randr.RRScreenChangeNotifyMask | randr.RRCrtcChangeNotifyMask
                                           | randr.RROutputChangeNotifyMask)
                x.on(x.display.extension_event.ScreenChangeNotify, self._on_change)
                x.on(x.display.extension_event.CrtcChangeNotify[0], self._on_change)
            x.add_close_hook(self._forget)
            x.display.flush()
        return x

    def _forget(self) -> None:
        self._x = None
        self._known = {}

    def on(self, event: str, listener: Any) -> Screen:
        """Listen, and start watching the X server if the app runs (as in
        Electron, ``screen`` is for after ``ready``)."""
        super().on(event, listener)
        self._watch()
        return self

    add_listener = on

    def once(self, event: str, listener: Any) -> Screen:
        super().once(event, listener)
        self._watch()
        return self

    def _watch(self) -> None:
        session = current_session()
        if session.nursery is not None:
            self._connection()

    # -- public API -------------------------------------------------------------------

    def get_all_displays(self) -> list[Display]:
        """Every monitor (the primary first); the whole X screen when RandR lists none."""
        x = self._connection()
        return read_displays(x) or [_whole_screen(x)]

    def get_primary_display(self) -> Display:
        """The monitor RandR marks primary, else the first one."""
        return self.get_all_displays()[0]

    def get_cursor_screen_point(self) -> Point:
        x = self._connection()
        pointer = x.root.query_pointer()
        return Point(int(pointer.root_x), int(pointer.root_y))

    def get_display_nearest_point(self, point: Point | tuple[int, int]) -> Display:
        px, py = (point.x, point.y) if isinstance(point, Point) else point
        displays = self.get_all_displays()
        for d in displays:
            if d.bounds.contains(px, py):
                return d

        def distance(d: Display) -> int:
            b = d.bounds
            dx = max(b.x - px, 0, px - (b.x + b.width - 1))
            dy = max(b.y - py, 0, py - (b.y + b.height - 1))
            return dx * dx + dy * dy

        return min(displays, key=distance)

    # -- events -----------------------------------------------------------------------

    def _on_root_property(self, event: Any) -> None:
        x = self._x
        if x is None or event.window != x.root:
            return
        if event.atom in (x.atom("_NET_WORKAREA"), x.atom("RESOURCE_MANAGER"), x.atom("_NET_CURRENT_DESKTOP")):
            self._on_change(event)

    def _on_change(self, event: Any) -> None:
        x = self._x
        if x is None:
            return
        x.call_in_trio(self._refresh)

    def _refresh(self) -> None:
        x = self._x
        if x is None:
            return
        try:
            now = {d.id: d for d in read_displays(x)}
        except Exception:
            log.exception("could not read the displays")
            return
        before, self._known = self._known, now
        for key, display in now.items():
            old = before.get(key)
            if old is None:
                self.emit("display-added", PreventableEvent(), display)
                continue
            changed = [name for name, a, b in (
                ("bounds", old.bounds, display.bounds), ("workArea", old.work_area, display.work_area),
                ("scaleFactor", old.scale_factor, display.scale_factor), ("primary", old.primary, display.primary),
            ) if a != b]
            if changed:
                self.emit("display-metrics-changed", PreventableEvent(), display, changed)
        for key, display in before.items():
            if key not in now:
                self.emit("display-removed", PreventableEvent(), display)


#: The process-wide screen module object.
screen = Screen()
