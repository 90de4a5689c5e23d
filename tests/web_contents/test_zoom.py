"""Zoom: web_contents.set_zoom_factor/set_zoom_level, the zoom menu roles and
their keys, on a real Tkhtml window (the page is laid out bigger) and headless."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tkelectron.testing import launch
from tkelectron.testing._display import xdotool

APP = Path(__file__).parent / "apps" / "pages"


def _box(win: Any, selector: str) -> tuple[int, ...]:
    """The element's box as Tkhtml laid it out (document coordinates)."""
    surface: Any = win.window._surface
    node = surface.query(selector)[0]
    return tuple(surface.tk_bbox(surface.document.nodes[node]))


def _drawn_factor(win: Any) -> float:
    surface: Any = win.window._surface
    if hasattr(surface, "frame"):
        return float(surface.frame.cget("zoom"))
    return float(surface.zoom_factor)


def _level_is(wc: Any, level: float) -> Callable[[], bool]:
    return lambda: bool(wc.get_zoom_level() == level)


@pytest.mark.tkelectron
async def test_zoom_factor_and_level_scale_what_main_draws(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        assert (wc.get_zoom_factor(), wc.get_zoom_level()) == (1.0, 0.0)
        before = _box(win, "#one") if compositor == "tkhtml" else None
        wc.set_zoom_factor(2.0)
        assert wc.get_zoom_factor() == 2.0 and math.isclose(wc.get_zoom_level(), math.log(2, 1.2))
        assert _drawn_factor(win) == 2.0
        if compositor == "tkhtml":
            await app.wait_settled()
            surface: Any = win.window._surface
            surface.toplevel.update_idletasks()
            after = _box(win, "#one")
            assert before is not None
            # Twice as tall a line, twice as far from the top.
            assert after[3] - after[1] >= 1.8 * (before[3] - before[1])
            assert after[1] >= 1.8 * before[1]
        wc.set_zoom_level(1)
        assert math.isclose(wc.get_zoom_factor(), 1.2) and wc.get_zoom_level() == 1.0
        # Electron's properties too.
        assert math.isclose(wc.zoom_factor, 1.2) and wc.zoom_level == 1.0
        wc.zoom_factor = 1.44
        assert math.isclose(wc.zoom_level, 2.0) and math.isclose(_drawn_factor(win), 1.44)
        wc.zoom_level = 1
        assert math.isclose(wc.zoom_factor, 1.2)
        wc.set_zoom_level(-2)
        assert math.isclose(wc.get_zoom_factor(), 1 / 1.44) and wc.get_zoom_level() == -2.0
        # Chromium's limits: 0.25 to 5.
        wc.set_zoom_factor(100)
        assert wc.get_zoom_factor() == 5.0 and _drawn_factor(win) == 5.0
        wc.set_zoom_level(-1000)
        assert wc.get_zoom_factor() == 0.25
        bad_factors: list[tuple[Any, type[Exception]]] = [(0, ValueError), (-1, ValueError), ("2", TypeError), (True, TypeError),
                           (float("nan"), TypeError), (float("inf"), TypeError)]
        for bad, error in bad_factors:
            with pytest.raises(error, match="zoom factor"):
                wc.set_zoom_factor(bad)
        with pytest.raises(TypeError, match="zoom level"):
            wc.set_zoom_level(None)  # type: ignore[arg-type]  # the wrong type, on purpose
        assert wc.get_zoom_factor() == 0.25  # a refused call changes nothing
        # The zoom belongs to the window: a reload (a fresh renderer) keeps it.
        wc.set_zoom_factor(1.5)
        request = wc.reload()
        assert request is not None
        await request
        assert wc.get_zoom_factor() == 1.5 and _drawn_factor(win) == 1.5


@pytest.mark.tkelectron
async def test_zoom_roles_from_the_view_menu_and_their_keys(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        # The roles act on the focused window, as in Electron.
        win.window.focus()
        await app.wait_for(lambda: win.window.is_focused(), what="the window to have the focus")
        # A Tk menu entry hands its click to trio: wait for the role to have run.
        for label, level in (("Zoom In", 0.5), ("Zoom In", 1.0), ("Zoom Out", 0.5), ("Actual Size", 0.0)):
            await app.menu(f"View/{label}", win).click()
            await app.wait_for(_level_is(wc, level), what=f"{label} to zoom to {level}")
            assert math.isclose(_drawn_factor(win), 1.2 ** level)
        if compositor != "tkhtml":
            return
        # The roles' accelerators, typed by a user into the focused window.
        xdotool("key", "--clearmodifiers", "ctrl+plus")
        await app.wait_for(lambda: wc.get_zoom_level() == 0.5, what="Ctrl+Plus to zoom in")
        xdotool("key", "--clearmodifiers", "ctrl+minus")
        await app.wait_for(lambda: wc.get_zoom_level() == 0.0, what="Ctrl+- to zoom out")
        xdotool("key", "--clearmodifiers", "ctrl+minus")
        await app.wait_for(lambda: wc.get_zoom_level() == -0.5, what="Ctrl+- to zoom out again")
        xdotool("key", "--clearmodifiers", "ctrl+0")
        await app.wait_for(lambda: wc.get_zoom_level() == 0.0, what="Ctrl+0 to reset the zoom")


@pytest.mark.tkelectron
async def test_ctrl_and_the_wheel_ask_the_app_to_zoom(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        asked: list[str] = []

        def zoom(event: Any, direction: str) -> None:  # Electron's recipe: the app zooms
            asked.append(direction)
            wc.set_zoom_level(wc.get_zoom_level() + (0.5 if direction == "in" else -0.5))

        wc.on("zoom-changed", zoom)
        surface: Any = win.window._surface
        if compositor == "tkhtml":
            x, y = surface.click_point(surface.query("#one")[0])
            xdotool("mousemove", x, y)
            for button in ("4", "4", "5"):
                xdotool("keydown", "ctrl", "click", button, "keyup", "ctrl")
            await app.wait_for(lambda: len(asked) == 3, what="three zoom-changed")
            xdotool("click", "4")  # the wheel alone scrolls: no zoom request
            xdotool("keydown", "ctrl", "click", "5", "keyup", "ctrl")
            await app.wait_for(lambda: len(asked) == 4, what="the fourth zoom-changed")
        else:
            for direction in ("in", "in", "out", "out"):
                surface.simulate_zoom_wheel(direction)
            await app.wait_for(lambda: len(asked) == 4, what="four zoom-changed")
        assert asked == ["in", "in", "out", "out"]
        assert wc.get_zoom_level() == 0.0 and _drawn_factor(win) == 1.0
        # Nothing zooms without a listener that does it (Electron's behaviour).
        wc.off("zoom-changed", zoom)
        if compositor != "tkhtml":
            surface.simulate_zoom_wheel("in")
            assert wc.get_zoom_level() == 0.0
