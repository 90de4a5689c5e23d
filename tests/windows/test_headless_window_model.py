"""The headless compositor's window manager: requests recorded, state modelled, events reported.

BrowserWindow's methods and events run here against the model, as UI logic
would in a test without a display (toga's dummy backend pattern).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import trio

from tkelectron import BrowserWindow, app
from tkelectron.main.compositor._headless_window import SCREEN_SIZE


def run_app(body: Callable[[], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with app.running(compositor="headless", entry_points=False):
            return await body()

    return trio.run(main)


def record(window: BrowserWindow, seen: list[str]) -> None:
    for name in ("resize", "resized", "move", "moved", "focus", "blur", "maximize", "unmaximize", "minimize",
                 "restore", "enter-full-screen", "leave-full-screen", "show", "hide", "close", "closed"):
        window.on(name, lambda *_a, _n=name: seen.append(_n))


def test_methods_are_recorded_and_the_model_answers() -> None:
    async def body() -> dict[str, Any]:
        app.on("window-all-closed", lambda *a: None)
        w = BrowserWindow(width=400, height=300, min_width=200, min_height=150, max_width=800, center=True)
        surface = w._surface
        seen: list[str] = []
        record(w, seen)
        out: dict[str, Any] = {"centered": w.get_bounds()}
        w.set_bounds({"x": 10, "y": 20, "width": 100, "height": 100})  # held to the minimum size
        out["clamped"] = w.get_bounds()
        w.set_size(1000, 500)
        out["max"] = w.get_size()
        w.set_position(5, 6)
        out["moved"] = w.get_position()
        w.maximize()
        out["maximized"] = (w.is_maximized(), w.get_size())
        w.unmaximize()
        out["unmaximized"] = (w.is_maximized(), w.get_bounds())
        w.minimize()
        out["minimized"] = (w.is_minimized(), w.is_visible())
        w.restore()
        w.set_full_screen(True)
        out["full"] = (w.is_full_screen(), w.get_size())
        w.set_full_screen(False)
        w.set_always_on_top(True)
        w.flash_frame(True)
        out["hints"] = (w.is_always_on_top(), surface.urgent)
        w.hide()
        w.show_inactive()
        out["events"] = list(seen)
        out["requests"] = [r[0] for r in surface.requests]
        w.destroy()
        return out

    out = run_app(body)
    assert out["centered"] == {"x": (SCREEN_SIZE[0] - 400) // 2, "y": (SCREEN_SIZE[1] - 300) // 2,
                               "width": 400, "height": 300}
    assert out["clamped"] == {"x": 10, "y": 20, "width": 200, "height": 150}
    assert out["max"] == (800, 500) and out["moved"] == (5, 6)
    assert out["maximized"] == (True, SCREEN_SIZE) and out["unmaximized"] == (False, {"x": 5, "y": 6, "width": 800,
                                                                                       "height": 500})
    assert out["minimized"] == (True, False) and out["full"] == (True, SCREEN_SIZE) and out["hints"] == (True, True)
    events = out["events"]
    for name in ("resize", "resized", "move", "moved", "maximize", "unmaximize", "minimize", "restore",
                 "enter-full-screen", "leave-full-screen", "hide", "show"):
        assert name in events, (name, events)
    assert events.index("maximize") < events.index("unmaximize") < events.index("minimize") < events.index("restore")
    assert out["requests"][:3] == ["apply_settings", "center", "set_bounds"]
    assert {"maximize", "set_full_screen", "set_always_on_top", "flash_frame", "show_inactive"} <= set(out["requests"])


def test_a_modal_child_disables_its_parent_until_it_closes() -> None:
    async def body() -> tuple[Any, ...]:
        app.on("window-all-closed", lambda *a: None)
        parent = BrowserWindow(width=400, height=300)
        child = BrowserWindow(width=200, height=100, parent=parent, modal=True)
        blocked = parent._surface.input_blocked
        with pytest.raises(RuntimeError, match="modal child is open"):
            parent._surface._control(1)
        parent._surface.simulate_focus()  # the user clicks the parent: the modal child keeps the focus
        focused = BrowserWindow.get_focused_window() is child
        relations = (child.get_parent_window() is parent, parent.get_child_windows() == [child])
        child.close()
        after = parent._surface.input_blocked
        parent.close()
        return blocked, focused, relations, after

    assert run_app(body) == (True, True, (True, True), False)


def test_closing_a_parent_closes_its_children_and_close_is_preventable() -> None:
    async def body() -> tuple[Any, ...]:
        app.on("window-all-closed", lambda *a: None)
        parent = BrowserWindow(width=400, height=300)
        child = BrowserWindow(width=200, height=100, parent=parent)
        seen: list[str] = []
        record(parent, seen)
        parent.once("close", lambda event: event.prevent_default())
        parent.close()
        kept = not parent.is_destroyed()
        parent.close()
        return kept, parent.is_destroyed(), child.is_destroyed(), seen

    assert run_app(body) == (True, True, True, ["close", "close", "closed"])


def test_a_window_that_is_not_closable_ignores_the_close_button() -> None:
    async def body() -> tuple[bool, bool]:
        app.on("window-all-closed", lambda *a: None)
        w = BrowserWindow(width=200, height=100, closable=False)
        w._surface.callbacks.on_close_request()  # the window manager's close button
        kept = not w.is_destroyed()
        w.close()  # the app still can
        return kept, w.is_destroyed()

    assert run_app(body) == (True, True)


def test_user_moves_resizes_and_focus_through_the_model() -> None:
    async def body() -> list[str]:
        app.on("window-all-closed", lambda *a: None)
        a = BrowserWindow(width=300, height=200)
        b = BrowserWindow(width=300, height=200, resizable=False)
        seen: list[str] = []
        record(a, seen)
        a._surface.simulate_move(40, 50)
        a._surface.simulate_resize(500, 400)
        b._surface.simulate_resize(500, 400)  # refused: not resizable
        a._surface.simulate_focus()
        b._surface.simulate_focus()
        a._surface.simulate_blur()
        assert b.get_size() == (300, 200) and a.get_bounds() == {"x": 40, "y": 50, "width": 500, "height": 400}
        a.destroy()
        b.destroy()
        return seen

    # b taking the focus blurs a, as a window manager's focus change does.
    assert run_app(body) == ["move", "moved", "resize", "resized", "focus", "blur", "closed"]
