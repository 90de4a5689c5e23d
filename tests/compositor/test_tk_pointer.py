"""The Tk compositor's pointer: motion is throttled to one report a frame, the latest kept."""

from __future__ import annotations

import time

from tkelectron.common._messages import ReplaceDocument

from .conftest import Kit

PAGE = """<html data-tke-id="1"><body data-tke-id="2">
<div data-tke-id="3" style="height: 300px; background: #eef">a tall box</div>
</body></html>"""


def test_a_burst_of_motion_is_reported_as_its_first_and_its_latest(tk_kit: Kit) -> None:
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    html = tk_kit.surface.html_widget
    for i in range(50):  # queued at once, as a fast mouse does between two turns of Tk's loop
        html.event_generate("<Motion>", x=10 + i, y=40, when="tail")
    tk_kit.wait_for(lambda: any(e.x == 59 for e in tk_kit.events("mousemove")), what="the latest motion")
    # At most the first (when no report was made in the last frame) and the latest.
    moves = [(e.x, e.y, e.target) for e in tk_kit.events("mousemove") if e.y == 40]
    assert moves[-1] == (59, 40, 3) and len(moves) <= 2
    assert moves[0] in ((10, 40, 3), (59, 40, 3))
    assert [e.target for e in tk_kit.events("mouseover")][-1] == 3


def test_buttons_are_bound_in_tcl_with_only_the_fields_read(tk_kit: Kit) -> None:
    """No tkinter Event is built for the page's buttons and motion (tkinter's
    binding substitutes 19 fields, ``%#`` first, before the handler runs)."""
    html = tk_kit.surface.html_widget
    tag = tk_kit.surface.inputs.pointer.tag
    for seq in ("<ButtonPress>", "<Double-ButtonPress>", "<ButtonRelease>", "<Motion>"):
        script = str(html.bind_class(tag, seq))
        assert script and "%#" not in script, (seq, script)
    for seq in ("<ButtonPress-1>", "<B1-Motion>", "<ButtonRelease-1>"):  # the in-page drag's
        script = str(html.tk.call("bind", html._w, seq))
        assert script and "%#" not in script, (seq, script)


def test_a_press_and_release_report_button_state_and_the_click(tk_kit: Kit) -> None:
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    html = tk_kit.surface.html_widget
    ctrl, button1 = 0x4, 0x100
    html.event_generate("<ButtonPress-1>", x=20, y=40, state=ctrl, when="tail")
    html.event_generate("<ButtonRelease-1>", x=21, y=41, state=ctrl | button1, when="tail")
    tk_kit.wait_for(lambda: tk_kit.events("click"), what="the click")
    (down,), (up,), (click,) = tk_kit.events("mousedown"), tk_kit.events("mouseup"), tk_kit.events("click")
    assert (down.target, down.x, down.y, down.button, down.buttons, down.detail) == (3, 20, 40, 0, 1, 1)
    assert (up.target, up.x, up.y, up.button, up.buttons, up.detail) == (3, 21, 41, 0, 0, 1)
    assert (click.target, click.button, click.buttons, click.detail) == (3, 0, 0, 1)
    assert down.modifiers == up.modifiers == click.modifiers != 0


def test_a_motion_held_at_the_press_point_is_flushed_first_with_the_press_hit_test(tk_kit: Kit) -> None:
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    html = tk_kit.surface.html_widget
    pointer = tk_kit.surface.inputs.pointer
    pointer._motion_sent = time.monotonic()  # a motion was just reported: the next is held back
    html.event_generate("<Motion>", x=20, y=40, when="tail")
    tk_kit.wait_for(lambda: pointer._motion is not None, what="a held motion")
    hits: list[tuple[int, int]] = []
    real_hit = pointer._hit
    pointer._hit = lambda x, y: hits.append((x, y)) or real_hit(x, y)  # type: ignore[method-assign]
    html.event_generate("<ButtonPress-1>", x=20, y=40, when="tail")
    html.event_generate("<ButtonRelease-1>", x=20, y=40, state=0x100, when="tail")
    tk_kit.wait_for(lambda: tk_kit.events("click"), what="the click")
    assert hits == [(20, 40), (20, 40)]  # the press's and the release's: none for the held motion
    order = [(e.type, e.target) for e in tk_kit.inputs if e.type in ("mouseover", "mousemove", "mousedown",
                                                                     "mouseup", "click") and e.y == 40]
    assert order == [("mouseover", 3), ("mousemove", 3), ("mousedown", 3), ("mouseup", 3), ("click", 3)]


def test_kinds_the_page_would_not_hear_are_not_reported_and_the_click_keeps_its_target(tk_kit: Kit) -> None:
    """``SurfaceCallbacks.hears``: a page without press, hover or motion
    listeners gets only its click, aimed as before; the hover is still
    followed, so the first hover report after listening names the right
    element left."""
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    html = tk_kit.surface.html_widget
    quiet = {"mousedown", "mouseup", "mouseover", "mousemove"}
    asked: list[str] = []
    tk_kit.surface.callbacks.hears = lambda kind: asked.append(kind) or kind not in quiet
    html.event_generate("<Motion>", x=20, y=40, when="tail")
    html.event_generate("<ButtonPress-1>", x=20, y=40, when="tail")
    html.event_generate("<ButtonRelease-1>", x=20, y=40, state=0x100, when="tail")
    tk_kit.wait_for(lambda: tk_kit.events("click"), what="the click")
    assert [(e.type, e.target) for e in tk_kit.inputs] == [("click", 3)]
    assert {"mousedown", "mouseup", "mouseover", "mousemove"} <= set(asked)
    tk_kit.surface.callbacks.hears = lambda kind: True
    html.event_generate("<Leave>", x=20, y=40, when="tail")
    tk_kit.wait_for(lambda: tk_kit.events("mouseover"), what="the hover change")
    (left,) = tk_kit.events("mouseover")
    assert (left.target, left.related) == (0, 3)  # the box, entered while nobody listened
