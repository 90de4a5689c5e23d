"""Keyboard and pointer input reaching the page, main's filter, before-input-event and
context-menu — on the headless compositor, with a real renderer process.

The real-Tk counterparts (xdotool under Xvfb) are in ``test_page_input_tk.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _forged import each_kills_the_renderer  # tests/ is on sys.path

from tkelectron.testing import launch

APP = Path(__file__).parent / "apps" / "input_probe"

pytestmark = pytest.mark.tkelectron("headless")


async def page_log(win: Any) -> list[dict[str, Any]]:
    """What the page's listeners recorded, once what was sent is handled."""
    await win.wait_settled()
    log: list[dict[str, Any]] = json.loads(await win.text_content("#log"))
    return log


def probe(app: Any) -> Any:
    """The app's main module (what main recorded: menus, inputs)."""
    return app.module


def node(win: Any, selector: str) -> int:
    return int(win.window._surface.query(selector)[0])


def kinds(log: list[dict[str, Any]], *, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(e["type"], e["target"]) for e in log if e["type"] not in skip]


async def test_keys_carry_key_code_modifiers_and_repeat(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        field = node(win, "#field")
        surface.simulate_key(field, "A", ctrl=True, shift=True)
        surface.simulate_key(field, "a")
        surface.simulate_key(field, "Enter")
        surface.simulate_key(field, "ArrowLeft", repeat=2)
        log = await page_log(win)
        downs = [e for e in log if e["type"] == "keydown"]
        assert [(e["key"], e["code"]) for e in downs] == [
            ("A", "KeyA"), ("a", "KeyA"), ("Enter", "Enter"),
            ("ArrowLeft", "ArrowLeft"), ("ArrowLeft", "ArrowLeft"), ("ArrowLeft", "ArrowLeft")]
        first = downs[0]
        assert (first["ctrl_key"], first["shift_key"], first["alt_key"], first["meta_key"]) == (True, True, False, False)
        assert first["key_code"] == 65 and first["target"] == "field"
        assert [e["repeat"] for e in downs[3:]] == [False, True, True]
        # keypress: for keys that make a character (and Enter), never with Control.
        presses = [(e["key"], e["char_code"]) for e in log if e["type"] == "keypress"]
        assert presses == [("a", 97), ("Enter", 13)]
        ups = [e["key"] for e in log if e["type"] == "keyup"]
        assert ups == ["A", "a", "Enter", "ArrowLeft"]


async def test_before_input_event_sees_keys_first_and_can_keep_them_from_the_page(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        field = node(win, "#field")
        surface.simulate_key(field, "k", ctrl=True)
        surface.simulate_key(field, "q")
        surface.simulate_key(field, "x", alt=True)
        log = await page_log(win)
        assert [e["key"] for e in log if e["type"] == "keydown"] == ["x"]
        assert [e["key"] for e in log if e["type"] == "keyup"] == ["x"]
        inputs = probe(app).inputs
        down = inputs[0]
        assert (down.type, down.key, down.code, down.control, down.shift, down.alt, down.meta) == \
            ("keyDown", "k", "KeyK", True, False, False, False)
        assert down["key"] == "k" and down.modifiers == ["control"] and down.is_auto_repeat is False
        assert [(i.type, i.key) for i in inputs] == [
            ("keyDown", "k"), ("keyUp", "k"), ("keyDown", "q"), ("keyUp", "q"), ("keyDown", "x"), ("keyUp", "x")]
        assert inputs[4].alt and inputs[4].modifiers == ["alt"]


async def test_clicks_double_clicks_and_the_wheel(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        btn = node(win, "#btn")
        surface.simulate_dblclick(btn, x=12, y=14)
        surface.simulate_wheel(node(win, "#box"), delta_y=100.0, x=30, y=60)
        log = await page_log(win)
        assert kinds(log) == [("mousedown", "btn"), ("mouseup", "btn"), ("click", "btn"),
                              ("mousedown", "btn"), ("mouseup", "btn"), ("click", "btn"), ("dblclick", "btn"),
                              ("wheel", "box")]
        assert [e["detail"] for e in log[:7]] == [1, 1, 1, 2, 2, 2, 2]
        assert [e["buttons"] for e in log[:3]] == [1, 0, 0] and log[0]["button"] == 0
        assert (log[2]["client_x"], log[2]["client_y"]) == (12, 14)
        assert (log[7]["delta_y"], log[7]["delta_x"], log[7]["client_y"]) == (100.0, 0.0, 60)


async def test_hover_is_derived_from_the_tree_and_moves_go_only_to_a_listening_page(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        wc = win.window.web_contents
        assert "mousemove" not in wc._page_input.listening()
        assert {"mouseover", "mousedown", "contextmenu", "wheel"} <= wc._page_input.listening()
        # What the surface asks before it builds an event (SurfaceCallbacks.hears) is this filter.
        hears = surface.callbacks.hears
        assert not hears("mousemove") and hears("mousedown") and hears("click") and hears("keydown")
        btn, inner, box = node(win, "#btn"), node(win, "#inner"), node(win, "#box")
        surface.simulate_pointer_move(btn)
        surface.simulate_pointer_move(inner, x=40, y=70)
        sent = wc._event_seq
        surface.simulate_pointer_move(inner, x=41, y=71)  # no listener for mousemove: main sends nothing
        assert wc._event_seq == sent
        surface.simulate_pointer_move(btn)
        log = await page_log(win)
        assert kinds(log) == [
            ("mouseover", "btn"),
            ("mouseout", "btn"), ("mouseover", "inner"), ("mouseenter", "box"), ("mouseenter", "inner"),
            ("mouseout", "inner"), ("mouseleave", "inner"), ("mouseleave", "box"), ("mouseover", "btn"),
        ]
        assert log[2]["related"] == "btn" and log[1]["related"] == "inner"
        await win.click("#listen-move")  # the page adds a mousemove listener on #box: main hears of it
        assert "mousemove" in wc._page_input.listening() and hears("mousemove")
        surface.simulate_pointer_move(inner, x=42, y=72, buttons=1)
        surface.simulate_pointer_move(box, x=5, y=60)
        log = await page_log(win)
        moves = [e for e in log if e["type"] == "mousemove"]
        assert [(m["target"], m["client_x"], m["buttons"]) for m in moves] == [("inner", 42, 1), ("box", 5, 0)]
        await win.click("#listen-move")  # removed again: main stops sending moves
        assert "mousemove" not in wc._page_input.listening() and not hears("mousemove")
        sent = wc._event_seq
        surface.simulate_pointer_move(box, x=6, y=61)
        assert wc._event_seq == sent
        surface.simulate_leave()
        log = await page_log(win)
        assert kinds(log)[-2:] == [("mouseout", "box"), ("mouseleave", "box")]


async def test_focus_moves_as_focus_blur_focusin_focusout(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        surface.simulate_focus_control(node(win, "#field"))
        surface.simulate_focus_control(node(win, "#area"))
        log = await page_log(win)
        assert kinds(log) == [("focus", "field"), ("focusin", "field"), ("blur", "field"), ("focusout", "field"),
                              ("focusin", "area")]
        assert log[-1]["related"] == "field"


def _params(app: Any) -> list[Any]:
    menus: list[Any] = probe(app).menus
    return menus


async def test_right_click_sends_contextmenu_then_context_menu_with_electrons_params(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        page_url = win.window.web_contents.get_url()
        surface.simulate_context_menu(node(win, "#link"), x=120, y=20)
        await app.wait_for(lambda: len(_params(app)) == 1, what="context-menu on the link")
        link = _params(app)[0]
        assert link.link_url == page_url.rsplit("/", 1)[0] + "/other.html#part"
        assert (link.link_text, link.x, link.y, link.media_type, link.is_editable) == ("A link here", 120, 20, "none", False)
        assert link["page_url"] == page_url and link.menu_source_type == "mouse"
        assert link.edit_flags.can_copy is False and link.edit_flags.can_select_all is True
        assert surface.popups and surface.popups[-1][0] is probe(app).context_menu  # menu.popup() from the listener
        log = await page_log(win)
        assert kinds(log, skip=("mouseover",)) == [("mousedown", "link"), ("contextmenu", "link"), ("mouseup", "link"),
                                                   ("auxclick", "link")]
        assert log[1]["button"] == 2 and log[1]["buttons"] == 2

        # The page prevented its contextmenu: no native menu.
        surface.simulate_context_menu(node(win, "#noctx"))
        await win.wait_settled()
        assert len(_params(app)) == 1

        surface.simulate_context_menu(node(win, "#pic"), x=5, y=200)
        await app.wait_for(lambda: len(_params(app)) == 2, what="context-menu on the image")
        pic = _params(app)[1]
        assert (pic.media_type, pic.has_image_contents, pic.alt_text) == ("image", True, "a dot")
        assert pic.src_url.startswith("data:image/png;base64,") and pic.link_url == ""

        surface.simulate_select("ell")
        surface.simulate_context_menu(node(win, "#field"))
        await app.wait_for(lambda: len(_params(app)) == 3, what="context-menu on the text field")
        field = _params(app)[2]
        assert (field.is_editable, field.selection_text, field.form_control_type) == (True, "ell", "input-text")
        flags = field.edit_flags
        assert (flags.can_cut, flags.can_copy, flags.can_paste, flags.can_delete) == (True, True, True, True)
        assert field.to_dict()["edit_flags"]["can_paste"] is True


MALFORMED = {
    "an unknown kind": ("tke:input.listen", [["mousemove", "keydown"]]),
    "not a list": ("tke:input.listen", ["mousemove"]),
    "a list too long": ("tke:input.listen", [["mousemove"] * 50]),
    "two arguments": ("tke:input.listen", [[], []]),
    "a bool seq": ("tke:input.context-menu", [True]),
    "a seq never sent": ("tke:input.context-menu", [10**9]),
    "a string seq": ("tke:input.context-menu", ["1"]),
}


async def test_what_a_renderer_says_of_its_input_is_checked(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        wc = win.window.web_contents
        await each_kills_the_renderer(app, wc, MALFORMED.items(), lambda case: wc.invoke("forge", *case))
        # A renderer may claim a right-click was let through when none waits: nothing happens.
        await win.click("#btn")
        assert await wc.invoke("honest", "tke:input.context-menu", [wc._event_seq]) is None
        assert probe(app).menus == []
        # A new page starts with nothing listened for until it says so (this one already did).
        assert "mousemove" not in wc._page_input.listening()


async def test_the_menu_key_opens_the_context_menu_from_the_keyboard(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        surface: Any = win.window._surface
        surface.simulate_key(node(win, "#area"), "ContextMenu")
        surface.simulate_key(node(win, "#field"), "F10", shift=True)
        await app.wait_for(lambda: len(_params(app)) == 2, what="two context-menus from the keyboard")
        area, field = _params(app)
        assert (area.menu_source_type, area.form_control_type, area.is_editable) == ("keyboard", "text-area", True)
        assert field.form_control_type == "input-text" and field.menu_source_type == "keyboard"
        log = await page_log(win)
        assert [e["target"] for e in log if e["type"] == "contextmenu"] == ["area", "field"]
