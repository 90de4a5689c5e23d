"""What only the real compositor has: a Tk window on an X display."""

from __future__ import annotations

import tkinter

import pytest

from tkelectron.common._messages import (
    Focus,
    Insert,
    Remove,
    RemoveAttr,
    ReplaceDocument,
    SetAttr,
    SetChecked,
    SetHTML,
    SetText,
    SetValue,
)
from tkelectron.main.compositor._tk_apply import coalesce
from tkelectron.main.compositor._tk_keys import dom_key
from tkelectron.testing._display import close_window

from ._png import pixel, read_png
from .conftest import Kit

PAGE = """<html data-tke-id="1"><head><style>
body { margin: 0; background: white; }
#box { background: #ff0000; width: 200px; height: 100px; }
</style></head><body data-tke-id="2">
<div id="box" data-tke-id="3"></div>
<input data-tke-id="4" value="a">
<textarea data-tke-id="5">t</textarea>
<input data-tke-id="6" type="checkbox">
<select data-tke-id="7"><option value="x">X</option><option value="y">Y</option></select>
<button data-tke-id="8">Sentinel</button>
</body></html>"""


@pytest.fixture
def page(tk_kit: Kit) -> Kit:
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    return tk_kit


def test_values_set_by_the_renderer_are_not_echoed_as_input(page: Kit) -> None:
    page.focus_control(4)
    page.apply([SetValue(4, "from renderer"), SetValue(5, "text too"), SetChecked(6, True),
                SetValue(7, "y"), SetAttr(4, "value", "attr value")])
    # A real click queued after the changes: once it is seen, anything the
    # changes queued has been processed too.
    page.click(8)
    assert [e for e in page.inputs if e.type in ("input", "change")] == []
    assert page.surface.element(5).value == "text too"
    assert page.surface.element(6).checked is True
    assert page.surface.element(7).value == "y"


def test_applying_a_commit_never_runs_the_event_loop(page: Kit) -> None:
    tk = page.root.tk
    tk.eval('rename update ::tke_real_update; proc update args {error "update() called while applying"}')
    try:
        page.surface.apply([
            Insert(2, '<p data-tke-id="20">new <b data-tke-id="21">x</b></p><input data-tke-id="22">'),
            SetText(20, "text"), SetHTML(2, '<div data-tke-id="23">y</div><input data-tke-id="24" type="checkbox">'),
            SetAttr(23, "class", "c"), RemoveAttr(23, "class"), SetChecked(24, True), Focus(23),
            Remove(24), ReplaceDocument(PAGE), SetValue(4, "v"),
        ])
    finally:
        tk.eval("rename update {}; rename ::tke_real_update update")
    assert page.surface.query("input") == [4, 6]


def test_close_button_asks_and_does_not_destroy(page: Kit) -> None:
    close_window(int(str(page.surface.toplevel.wm_frame()), 16))
    page.wait_for(lambda: page.close_requests, what="on_close_request")
    assert page.surface.toplevel.winfo_exists() and page.surface.is_visible()


def test_screenshot_is_a_real_picture_of_the_window(page: Kit, tmp_path: object) -> None:
    path = f"{tmp_path}/shot.png"
    page.settle()
    page.surface.screenshot(path)
    width, height, rows = read_png(path)
    assert (width, height) == (640, 480)
    assert pixel(rows, 100, 50) == (255, 0, 0)  # inside the red box
    assert pixel(rows, 400, 50) == (255, 255, 255)  # beside it
    assert len({pixel(rows, x, y) for x in range(0, width, 8) for y in range(0, height, 8)}) > 3


def test_show_crashed_draws_a_notice(page: Kit, tmp_path: object) -> None:
    page.surface.show_crashed("renderer exited with code -11")
    page.settle()
    assert page.surface.query("input") == []
    assert "renderer exited with code -11" in page.surface.html()
    path = f"{tmp_path}/crashed.png"
    page.surface.screenshot(path)
    _, _, rows = read_png(path)
    assert pixel(rows, 100, 50) != (255, 0, 0)  # the page is gone
    page.apply([ReplaceDocument(PAGE)])
    assert page.surface.query("#box") == [3] and page.surface.crashed is None


def test_window_chrome(page: Kit) -> None:
    surface = page.surface
    surface.set_title("Hello")
    assert surface.get_title() == "Hello" and surface.toplevel.title() == "Hello"
    surface.set_bounds(40, 30, 500, 300)
    page.wait_for(lambda: surface.get_bounds() == (40, 30, 500, 300), what="new bounds")
    page.wait_for(lambda: (surface.toplevel.winfo_width(), surface.toplevel.winfo_height()) == (500, 300),
                  what="the window resized")
    assert (surface.toplevel.winfo_rootx(), surface.toplevel.winfo_rooty()) == (40, 30)
    surface.hide()
    page.settle()
    assert not surface.is_visible() and not surface.toplevel.winfo_ismapped()
    assert surface.get_bounds()[2:] == (500, 300)
    page.focus_events.clear()
    surface.focus()
    page.wait_for(lambda: page.focus_events, what="on_focus")
    assert surface.is_visible() and surface.toplevel.winfo_ismapped()
    # Without a window manager (bare Xvfb) iconify changes nothing; with one,
    # the window goes iconic. Either way minimize() must not fail.
    surface.minimize()
    page.settle()
    assert surface.toplevel.state() in ("iconic", "normal")
    surface.show()
    page.wait_for(lambda: surface.toplevel.winfo_ismapped(), what="shown again")


def test_hidden_window_starts_withdrawn(tk_kit: Kit) -> None:
    from tkelectron.main.compositor.base import SurfaceCallbacks

    hidden = tk_kit.compositor.create_surface(
        window_id=2, width=300, height=200, title="h", show=False,
        callbacks=SurfaceCallbacks(on_input=lambda e: None, on_close_request=lambda: None))
    try:
        tk_kit.settle()
        assert not hidden.is_visible() and not hidden.toplevel.winfo_ismapped()
        assert hidden.get_bounds() == (0, 0, 300, 200)
        with pytest.raises(RuntimeError, match="not shown"):
            hidden.screenshot("/nonexistent.png")
    finally:
        hidden.destroy()


def test_application_menu_goes_to_windows_without_their_own(tk_kit: Kit) -> None:
    from tkelectron.main._menu import Menu
    from tkelectron.main.compositor._tk_menus import menubar_of
    from tkelectron.main.compositor.base import SurfaceCallbacks

    compositor = tk_kit.compositor
    app_menu = Menu.build_from_template([{"label": "File", "submenu": [{"label": "Quit"}]}])
    own = Menu.build_from_template([{"label": "Own", "submenu": [{"label": "X"}]}])
    compositor.set_application_menu(app_menu)
    bar = menubar_of(tk_kit.surface.toplevel)
    assert bar is not None and bar.entrycget(0, "label") == "File"
    second = compositor.create_surface(
        window_id=2, width=300, height=200, title="2", show=True,
        callbacks=SurfaceCallbacks(on_input=lambda e: None, on_close_request=lambda: None))
    try:
        second_bar = menubar_of(second.toplevel)
        assert second_bar is not None and second_bar.entrycget(0, "label") == "File"
        second.set_menu(own)
        tk_kit.surface.set_menu(None)
        compositor.set_application_menu(Menu.build_from_template([{"label": "Later", "submenu": []}]))
        assert menubar_of(tk_kit.surface.toplevel) is None
        assert menubar_of(second.toplevel).entrycget(0, "label") == "Own"
    finally:
        second.destroy()


def test_coalesce_keeps_only_the_last_text_of_a_run() -> None:
    ops = [SetText(1, "a"), SetAttr(1, "x", "y"), SetText(2, "b"), SetText(1, "c"),
           Insert(3, "<i>"), SetText(1, "d"), SetText(1, "e")]
    assert coalesce(ops) == [SetAttr(1, "x", "y"), SetText(2, "b"), SetText(1, "c"),
                             Insert(3, "<i>"), SetText(1, "e")]


@pytest.mark.parametrize(("keysym", "char", "key"), [
    ("Return", "\r", "Enter"), ("Escape", "\x1b", "Escape"), ("Up", "", "ArrowUp"),
    ("a", "a", "a"), ("A", "A", "A"), ("exclam", "!", "!"), ("space", " ", " "),
    ("F5", "", "F5"), ("BackSpace", "\x08", "Backspace"), ("Shift_L", "", "Shift"),
])
def test_dom_key_names(keysym: str, char: str, key: str) -> None:
    assert dom_key(keysym, char) == key


def test_invalid_selector_is_a_value_error(page: Kit) -> None:
    with pytest.raises(ValueError):
        page.surface.query("li[")


def test_widget_of_a_removed_control_is_gone_after_idle(page: Kit) -> None:
    widget = page.surface.entry_widget(4)
    assert isinstance(widget, tkinter.Entry)
    page.apply([Remove(4)])
    page.wait_for(lambda: not widget.winfo_exists(), what="widget destroyed")
    assert page.surface.entry_widget(4) is None
