"""Keyboard and pointer input in a real Tk window under Xvfb, driven with xdotool as a user
would: modifier keys, a held key, double and right clicks, the wheel, motion; what the page's
listeners heard, and main's before-input-event and context-menu (whose menu.popup() posts a
real Tk menu)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tkelectron.testing import launch
from tkelectron.testing._xinput import xdotool

APP = Path(__file__).parent / "apps" / "input_probe"

pytestmark = pytest.mark.tkelectron("tkhtml")


def probe(app: Any) -> Any:
    return app.module


def log_now(win: Any) -> list[dict[str, Any]]:
    surface = win.window._surface
    info = surface.element(surface.query("#log")[0])
    log: list[dict[str, Any]] = json.loads(info.text)
    return log


def of_type(win: Any, *types: str) -> list[dict[str, Any]]:
    return [e for e in log_now(win) if e["type"] in types]


async def point(win: Any, selector: str) -> tuple[int, int]:
    node = await win.wait_for_selector(selector)
    x, y = await win._click_point(node)
    return int(x), int(y)


async def opened(app: Any) -> Any:
    win = await app.first_window()
    await win.wait_for_load()
    await app.wait_for(lambda: win.window._surface.toplevel.winfo_ismapped(), what="the window on screen")
    return win


async def test_keys_with_modifiers_a_held_key_and_before_input_event(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await opened(app)
        x, y = await point(win, "#field")
        await xdotool("mousemove", "--sync", str(x), str(y), "click", "1")
        entry = win.window._surface.entry_widget(win.window._surface.query("#field")[0])
        await app.wait_for(lambda: entry.focus_get() is entry, what="the field to have the keyboard")
        await xdotool("key", "ctrl+shift+a")
        await app.wait_for(lambda: any(e["key"] == "A" for e in of_type(win, "keyup")), what="keyup of A")
        down = next(e for e in of_type(win, "keydown") if e["key"] == "A")
        assert (down["code"], down["ctrl_key"], down["shift_key"], down["alt_key"], down["meta_key"]) == \
            ("KeyA", True, True, False, False)
        assert down["target"] == "field" and down["repeat"] is False
        modifier_downs = [(e["key"], e["code"], e["ctrl_key"]) for e in of_type(win, "keydown")][:2]
        assert modifier_downs == [("Control", "ControlLeft", True), ("Shift", "ShiftLeft", True)]
        assert not [e for e in of_type(win, "keypress") if e["key"] == "A"]  # Control held: no keypress

        await xdotool("key", "Return", "Left", "alt+x")
        await app.wait_for(lambda: [e["key"] for e in of_type(win, "keyup")][-1:] == ["x"], what="keyup of x")
        keys = [(e["key"], e["code"]) for e in of_type(win, "keydown")]
        assert ("Enter", "Enter") in keys and ("ArrowLeft", "ArrowLeft") in keys and ("x", "KeyX") in keys
        assert [e["key"] for e in of_type(win, "keypress")] == ["Enter"]

        # A key held down: X repeats it; the page sees keydowns with repeat and one keyup.
        await xdotool("keydown", "b")
        await app.wait_for(lambda: any(e["key"] == "b" and e["repeat"] for e in of_type(win, "keydown")),
                           what="a repeated keydown of b")
        await xdotool("keyup", "b")
        await app.wait_for(lambda: any(e["key"] == "b" for e in of_type(win, "keyup")), what="keyup of b")
        bs = [e for e in of_type(win, "keydown", "keyup") if e["key"] == "b"]
        assert bs[0]["repeat"] is False and all(e["repeat"] for e in bs[1:-1]) and len(bs) >= 3
        assert [e["type"] for e in bs].count("keyup") == 1 and bs[-1]["type"] == "keyup"

        # before-input-event: main saw these first and kept Control+K and "q" from the page and the field.
        await xdotool("key", "ctrl+k", "q", "z")
        await app.wait_for(lambda: any(e["key"] == "z" for e in of_type(win, "keyup")), what="keyup of z")
        await win.wait_settled()
        # (xdotool lets Control go before k: that keyUp has no Control, and the app lets it through.)
        assert not [e for e in of_type(win, "keydown") if e["key"] in ("k", "q")]
        assert not [e for e in of_type(win, "keyup") if e["key"] == "q"]
        assert "q" not in entry.get() and "z" in entry.get()  # the q was never typed into the field
        inputs = probe(app).inputs
        k = next(i for i in inputs if i.key == "k")
        assert (k.type, k.code, k.control, k.shift) == ("keyDown", "KeyK", True, False)
        assert any(i.key == "b" and i.is_auto_repeat for i in inputs)

        # The Menu key: the context menu from the keyboard, at the focused field.
        await xdotool("key", "Menu")
        await app.wait_for(lambda: probe(app).menus, what="context-menu from the Menu key")
        params = probe(app).menus[0]
        assert (params.menu_source_type, params.form_control_type, params.is_editable) == ("keyboard", "input-text", True)
        assert of_type(win, "contextmenu")[-1]["target"] == "field"
        await xdotool("key", "Escape")
        await app.wait_for(lambda: probe(app).popped, what="the popup menu to close")


async def test_double_and_right_clicks_the_wheel_and_hover(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await opened(app)
        bx, by = await point(win, "#btn")
        await xdotool("mousemove", "--sync", str(bx + 3), str(by + 3), "mousemove", "--sync", str(bx), str(by),
                      "click", "--repeat", "2", "--delay", "60", "1")
        await app.wait_for(lambda: of_type(win, "dblclick"), what="dblclick on the button")
        clicks = [(e["type"], e["detail"]) for e in of_type(win, "mousedown", "mouseup", "click", "dblclick")]
        assert clicks[-7:] == [("mousedown", 1), ("mouseup", 1), ("click", 1), ("mousedown", 2), ("mouseup", 2),
                               ("click", 2), ("dblclick", 2)]
        click = of_type(win, "click")[0]
        left = win.window._surface.html_widget.winfo_rootx()
        assert click["target"] == "btn" and click["button"] == 0 and click["client_x"] == bx - left

        # The wheel over the box: buttons 4 and 5, and Shift turns it sideways.
        ix, iy = await point(win, "#inner")
        await xdotool("mousemove", "--sync", str(ix), str(iy), "click", "5", "click", "4")
        await xdotool("keydown", "shift", "click", "5", "keyup", "shift")
        await app.wait_for(lambda: len(of_type(win, "wheel")) == 3, what="three wheel events")
        wheels = [(e["delta_x"], e["delta_y"]) for e in of_type(win, "wheel")]
        assert wheels == [(0.0, 100.0), (0.0, -100.0), (100.0, 0.0)]
        assert of_type(win, "wheel")[0]["target"] == "inner"  # (the page scrolls under the pointer after it)
        # Hover: the pointer came from the button onto the inner span.
        hover = [(e["type"], e["target"]) for e in of_type(win, "mouseover", "mouseout", "mouseenter", "mouseleave")]
        assert ("mouseenter", "box") in hover and ("mouseenter", "inner") in hover
        assert hover.index(("mouseenter", "box")) < hover.index(("mouseenter", "inner"))
        assert ("mouseout", "btn") in hover

        # A right-click on the link: the page's contextmenu, then main's context-menu, whose listener
        # pops up a real Tk menu; Escape takes it down and its callback runs.
        lx, ly = await point(win, "#link")
        await xdotool("mousemove", "--sync", str(lx), str(ly), "click", "3")
        await app.wait_for(lambda: probe(app).menus, what="context-menu")
        params = probe(app).menus[0]
        assert params.link_url.endswith("/input_probe/other.html#part") and params.link_text == "A link here"
        assert params.x == lx - left and params.media_type == "none" and not params.is_editable
        menu = of_type(win, "contextmenu")[0]
        assert (menu["target"], menu["button"], menu["buttons"]) == ("link", 2, 2)
        await xdotool("key", "Escape")
        await app.wait_for(lambda: probe(app).popped, what="the popup menu to close")

        # On the text field with a selection: editable, with what can be cut and copied.
        surface = win.window._surface
        entry = surface.entry_widget(surface.query("#field")[0])
        entry.selection_range(1, 4)
        fx, fy = await point(win, "#field")
        await xdotool("mousemove", "--sync", str(fx), str(fy), "click", "3")
        await app.wait_for(lambda: len(probe(app).menus) == 2, what="context-menu on the field")
        field = probe(app).menus[1]
        assert (field.is_editable, field.selection_text, field.form_control_type) == (True, "ell", "input-text")
        assert field.edit_flags.can_cut and field.edit_flags.can_paste
        await xdotool("key", "Escape")
        await app.wait_for(lambda: len(probe(app).popped) == 2, what="the second popup to close")

        # The page prevents its own contextmenu here: no native menu.
        nx, ny = await point(win, "#noctx")
        await xdotool("mousemove", "--sync", str(nx), str(ny), "click", "3")
        await app.wait_for(lambda: any(e["target"] == "noctx" for e in of_type(win, "contextmenu")),
                           what="the page's contextmenu")
        await win.wait_settled()
        assert len(probe(app).menus) == 2


async def test_moves_reach_a_listening_page_only(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await opened(app)
        wc = win.window.web_contents
        ix, iy = await point(win, "#inner")
        sent = wc._event_seq
        await xdotool("mousemove", "--sync", str(ix), str(iy))
        await app.wait_for(lambda: of_type(win, "mouseover"), what="hover on the page")
        await win.wait_settled()
        # Motion over the box without a mousemove listener: hover changes only (none here).
        hovered = wc._event_seq
        assert hovered > sent
        await xdotool("mousemove", "--sync", str(ix + 2), str(iy + 1), "mousemove", "--sync", str(ix + 4), str(iy + 2))
        await win.wait_settled()
        assert wc._event_seq == hovered
        await win.click("#listen-move")
        assert "mousemove" in wc._page_input.listening()
        ix, iy = await point(win, "#inner")  # clicking may have scrolled the page
        await xdotool("mousemove", "--sync", str(ix), str(iy), "mousemove", "--sync", str(ix + 5), str(iy + 1))
        left = win.window._surface.html_widget.winfo_rootx()
        await app.wait_for(lambda: any(e["client_x"] == ix + 5 - left for e in of_type(win, "mousemove")),
                           what="the last move to reach the page")
        assert {e["target"] for e in of_type(win, "mousemove")} <= {"inner", "box"}


def widget_centre(win: Any, selector: str) -> tuple[int, int]:
    """The centre of a form control's own Tk widget, on screen."""
    surface = win.window._surface
    widget = surface.entry_widget(surface.query(selector)[0])
    return (widget.winfo_rootx() + widget.winfo_width() // 2, widget.winfo_rooty() + widget.winfo_height() // 2)


async def test_clicking_from_one_field_to_another_moves_the_focus(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await opened(app)
        await point(win, "#area")  # both controls in view
        fx, fy = widget_centre(win, "#field")
        await xdotool("mousemove", "--sync", str(fx), str(fy), "click", "1")
        await app.wait_for(lambda: of_type(win, "focusin"), what="focusin on the field")
        ax, ay = widget_centre(win, "#area")
        await xdotool("mousemove", "--sync", str(ax), str(ay), "click", "1")
        await app.wait_for(lambda: any(e["target"] == "area" for e in of_type(win, "focusin")),
                           what="focusin on the text area")
        moves = [(e["type"], e["target"]) for e in of_type(win, "focus", "blur", "focusin", "focusout")]
        assert moves == [("focus", "field"), ("focusin", "field"), ("blur", "field"), ("focusout", "field"),
                         ("focusin", "area")]
        assert of_type(win, "focusin")[-1]["related"] == "field"


PLAIN = Path(__file__).parent / "apps" / "plain_menu"


async def test_a_page_without_listeners_gets_the_native_menu_at_once_and_the_release_picks_nothing(
        compositor: str) -> None:
    async with launch(PLAIN, compositor=compositor) as app:
        win = await opened(app)
        wc = win.window.web_contents
        assert wc._page_input.listening() == frozenset()
        sent = wc._event_seq
        x, y = await point(win, "#text")
        await xdotool("mousemove", "--sync", str(x), str(y), "click", "3")
        await app.wait_for(lambda: probe(app).menus, what="context-menu")
        assert wc._event_seq == sent  # the page listens for none of it: nothing was sent
        params = probe(app).menus[0]
        assert (params.link_url, params.media_type, params.is_editable, params.edit_flags.can_copy) == \
            ("", "none", False, False)
        await xdotool("key", "Escape")
        await app.wait_for(lambda: probe(app).closed, what="the menu to close")
        assert probe(app).clicked == []  # releasing the button where it went down chose no item

        # A word the user selected in the page (a double click): the selection, which can be copied.
        await xdotool("mousemove", "--sync", str(x), str(y), "click", "--repeat", "2", "--delay", "60", "1")
        await app.wait_for(lambda: win.window._surface.inputs.selection(0)[0], what="a word selected")
        await xdotool("click", "3")
        await app.wait_for(lambda: len(probe(app).menus) == 2, what="the second context-menu")
        selected = probe(app).menus[1]
        assert selected.selection_text.strip() and selected.selection_text.strip() in "A page with no listeners at all: right-click me"
        assert selected.edit_flags.can_copy and not selected.edit_flags.can_cut
        await xdotool("key", "Escape")
        await app.wait_for(lambda: len(probe(app).closed) == 2, what="the menu to close again")
