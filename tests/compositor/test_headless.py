"""What only the headless compositor has: recorded chrome and simulated input rules."""

from __future__ import annotations

import pytest
import trio

from tkelectron.common._messages import ReplaceDocument, SetAttr
from tkelectron.main.compositor.base import InputEvent, SurfaceCallbacks
from tkelectron.main.compositor.headless import HeadlessCompositor, HeadlessSurface

PAGE = """<html data-tke-id="1"><body data-tke-id="2">
<input data-tke-id="3" value="v"><p data-tke-id="4">p</p>
<input data-tke-id="5" type="checkbox" disabled></body></html>"""


def make(compositor: HeadlessCompositor, seen: list[InputEvent], focus: list[int]) -> HeadlessSurface:
    return compositor.create_surface(
        window_id=7, width=300, height=200, title="t", show=False,
        callbacks=SurfaceCallbacks(on_input=seen.append, on_close_request=lambda: None,
                                   on_focus=lambda: focus.append(1)))


def test_chrome_is_recorded() -> None:
    compositor = HeadlessCompositor()
    focus: list[int] = []
    surface = make(compositor, [], focus)
    assert not surface.is_visible() and surface.get_bounds() == (0, 0, 300, 200)
    surface.set_bounds(None, None, 400, 250)
    surface.set_bounds(5, 6, 400, 250)
    surface.set_title("new")
    surface.focus()
    assert (surface.get_bounds(), surface.get_title(), surface.is_visible(), focus) == \
        ((5, 6, 400, 250), "new", True, [1])
    surface.minimize()
    assert surface.minimized and not surface.is_visible()
    surface.popup_menu("menu", 1, 2)
    assert surface.popups == [("menu", 1, 2)]
    surface.destroy()
    assert surface.destroyed and compositor.surfaces == []


def test_application_menu_and_own_menus() -> None:
    compositor = HeadlessCompositor()
    first, second = make(compositor, [], []), make(compositor, [], [])
    compositor.set_application_menu("app")
    second.set_menu(None)
    assert (first.menu, second.menu) == ("app", None)
    third = make(compositor, [], [])
    assert third.menu == "app"


def test_dialogs_must_be_answered_by_a_hook() -> None:
    compositor = HeadlessCompositor()
    surface = make(compositor, [], [])

    async def ask() -> None:
        await compositor.run_dialog("open", surface, {"title": "Pick"})

    with pytest.raises(RuntimeError, match="tkelectron_dialog"):
        trio.run(ask)
    assert compositor.dialogs == [("open", surface, {"title": "Pick"})]


def test_simulation_refuses_what_a_user_could_not_do() -> None:
    surface = make(HeadlessCompositor(), [], [])
    surface.apply([ReplaceDocument(PAGE)])
    with pytest.raises(ValueError, match="not a checkbox"):
        surface.simulate_check(3)
    with pytest.raises(ValueError, match="not a text control"):
        surface.simulate_fill(4, "x")
    with pytest.raises(RuntimeError, match="disabled"):
        surface.simulate_check(5)
    surface.apply([SetAttr(3, "disabled", "")])
    with pytest.raises(RuntimeError, match="disabled"):
        surface.simulate_fill(3, "x")
    with pytest.raises(KeyError):
        surface.simulate_click(99)
    with pytest.raises(RuntimeError, match="draws nothing"):
        surface.screenshot("/tmp/x.png")


def test_fill_reports_input_then_change() -> None:
    seen: list[InputEvent] = []
    surface = make(HeadlessCompositor(), seen, [])
    surface.apply([ReplaceDocument(PAGE)])
    surface.simulate_fill(3, "typed")
    surface.simulate_key(3, "Enter")
    assert [(e.type, e.value, e.key) for e in seen] == [
        ("input", "typed", None), ("change", "typed", None),
        ("keydown", "typed", "Enter"), ("keyup", "typed", "Enter")]
    assert surface.element(3).value == "typed"
