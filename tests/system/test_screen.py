"""``screen`` against an X server of its own (a private Xvfb), changed the way
a user's desktop changes it: xrandr turns the monitor off and on and makes
it primary, another client sets the work area and the resources' DPI."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import trio
from Xlib import Xatom
from Xlib import display as xdisplay

from tkelectron import screen
from tkelectron.main._screen import Point, Rectangle
from tkelectron.testing import launch
from tkelectron.testing._display import _start_xvfb, _stop

pytestmark = pytest.mark.tkelectron("headless")

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"


@pytest.fixture
def own_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb: these tests change its monitors, which no other test may see."""
    proc, name = _start_xvfb()
    try:
        monkeypatch.setenv("DISPLAY", name)
        yield name
    finally:
        _stop(proc)


@pytest.fixture(autouse=True)
def _no_listeners_left() -> Iterator[None]:
    yield
    screen.remove_all_listeners()  # the screen object is process-wide


class Other:
    """Another X client on the display: sets root properties as a window manager would."""

    def __init__(self, name: str) -> None:
        self.d = xdisplay.Display(name)
        self.root = self.d.screen().root

    def set_cardinals(self, prop: str, values: list[int]) -> None:
        self.root.change_property(self.d.intern_atom(prop), Xatom.CARDINAL, 32, values)
        self.d.sync()

    def set_resources(self, text: str) -> None:
        self.root.change_property(self.d.intern_atom("RESOURCE_MANAGER"), Xatom.STRING, 8, text.encode())
        self.d.sync()

    def warp_pointer(self, x: int, y: int) -> None:
        self.root.warp_pointer(x, y)
        self.d.sync()

    def close(self) -> None:
        self.d.close()


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple] = []
        self._changed = trio.Event()
        for name in ("display-added", "display-removed", "display-metrics-changed"):
            screen.on(name, lambda event, display, *rest, _name=name: self._add((_name, display, *rest)))

    def _add(self, item: tuple) -> None:
        self.seen.append(item)
        self._changed.set()
        self._changed = trio.Event()

    async def next(self) -> tuple:
        with trio.fail_after(10):
            while not self.seen:
                await self._changed.wait()
        return self.seen.pop(0)


async def xrandr(*args: str) -> None:
    # Xvfb refuses the screen resize xrandr tries after turning the output
    # off (exit status 1), but the output is off: the events tell.
    await trio.run_process(["xrandr", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


async def test_displays_come_from_randr(compositor: str, own_display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        [only] = screen.get_all_displays()
        assert only.label == "screen"  # Xvfb's one output
        geometry = Other(own_display)
        root = geometry.root.get_geometry()
        geometry.close()
        assert only.bounds == Rectangle(0, 0, root.width, root.height)
        assert only.work_area == only.bounds  # no window manager reserves anything
        assert only.scale_factor == 1.0
        assert screen.get_primary_display() == only
        assert only.size == {"width": only.bounds.width, "height": only.bounds.height}


async def test_the_cursor_point_is_where_the_pointer_is(compositor: str, own_display: str) -> None:
    other = Other(own_display)
    try:
        async with launch(BLANK, compositor=compositor):
            other.warp_pointer(123, 45)
            assert screen.get_cursor_screen_point() == Point(123, 45)
            other.warp_pointer(7, 700)
            assert screen.get_cursor_screen_point() == Point(7, 700)
            assert screen.get_display_nearest_point((123, 45)) == screen.get_primary_display()
            assert screen.get_display_nearest_point((-500, 99999)) == screen.get_primary_display()
    finally:
        other.close()


async def test_work_area_and_scale_follow_the_desktop(compositor: str, own_display: str) -> None:
    other = Other(own_display)
    try:
        async with launch(BLANK, compositor=compositor):
            events = Events()
            bounds = screen.get_primary_display().bounds
            other.set_cardinals("_NET_WORKAREA", [0, 32, bounds.width, bounds.height - 32])
            kind, display, changed = await events.next()
            assert (kind, changed) == ("display-metrics-changed", ["workArea"])
            assert display.work_area == Rectangle(0, 32, bounds.width, bounds.height - 32)
            assert screen.get_primary_display().work_area == display.work_area
            other.set_resources("Xft.antialias:\t1\nXft.dpi:\t192\n")
            kind, display, changed = await events.next()
            assert (kind, changed) == ("display-metrics-changed", ["scaleFactor"])
            assert display.scale_factor == 2.0 == screen.get_primary_display().scale_factor
    finally:
        other.close()


async def test_monitors_going_and_coming_are_events(compositor: str, own_display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        events = Events()  # listening is enough: nothing else asked the screen yet
        assert screen._x is not None
        [before] = screen.get_all_displays()
        await xrandr("--output", "screen", "--off")
        kind, display = await events.next()
        assert kind == "display-removed" and display == before
        assert screen.get_all_displays()[0].id == 0  # no monitor: the whole X screen stands in
        await xrandr("--output", "screen", "--auto")
        kind, display = await events.next()
        assert kind == "display-added" and display.bounds == before.bounds
        await xrandr("--output", "screen", "--primary")
        kind, display, changed = await events.next()
        assert kind == "display-metrics-changed" and changed == ["primary"] and display.primary
        assert screen.get_primary_display().primary

