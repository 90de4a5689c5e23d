"""Tkhtml's layout is brought up to date before anything reads it (``_tk_stale_layout``).

Between a change that takes nodes out of the document and Tkhtml's next
layout (an idle callback), ``tag add`` walking the stale layout segfaulted
main. tkinterweb's selection does that on a double click: a page whose click
handler changes a label's text, double-clicked quickly, crashed main every
time (clicks injected through XTest). The child process below does what a
double click and a find in page do, each right after a text change and a list
refill, before any idle round; without the guard it exits with SIGSEGV on the
first pass. It runs in a child, since the failure it guards against is a crash.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tkelectron.testing import launch

from ._tk_child import run_tk_child

COUNTER = Path(__file__).resolve().parent / "_counter_app"

_CHILD = textwrap.dedent(
    """
    import tkinter
    from tkinterweb import HtmlFrame
    from tkelectron.main.compositor._tk_dom import TkDom
    from tkelectron.main.compositor._tk_find import TkFind
    from tkelectron.main.compositor._tk_stale_layout import guard_layout_reads

    root = tkinter.Tk()
    root.geometry("400x300")
    frame = HtmlFrame(root, messages_enabled=False, javascript_enabled=False, threading_enabled=False)
    frame.pack(fill="both", expand=True)
    frame.load_html('<p><button id="btn">Click me</button></p><p>Seen: <span id="count">0</span></p>'
                    '<ul id="list">' + "<li>a word in a row</li>" * 30 + "</ul>")
    root.update()
    html = frame.html
    guard_layout_reads(html)
    dom = TkDom(html)
    count, = dom.search("#count")
    listing, = dom.search("#list")
    button, = dom.search("#btn")
    x1, y1, x2, y2 = (int(v) for v in html.tk.splitlist(html.tk.call(html._w, "bbox", button)))
    x, y = (x1 + x2) // 2, (y1 + y2) // 2
    selection = html.selection_manager
    find = TkFind(html)
    for i in range(60):
        dom.set_text(count, str(i))  # the click handler's change: the old text node leaves the tree
        if i % 3 == 0:
            dom.clear(listing)
            for _ in range(5):
                dom.insert(listing, None, "<li>a word in a row</li>")
        # A double click over the button before any idle round: tkinterweb's hit test, then its
        # word, line and cleared selections in turn (each press of a multi-click steps it on).
        node, offset = html.node(True, x, y)
        selection.begin_selection(node, offset)
        selection.double_click_selection()
        find.find("word", False, 1)  # find in page tags every match
        find.stop(keep_active=False)
        if i % 10 == 9:
            root.update()
    root.update()
    print("survived", selection.selection_type)
    root.destroy()
    """
)


def test_selection_and_find_right_after_a_change_do_not_crash_main(display: str) -> None:
    assert "survived" in run_tk_child(_CHILD, display)


def test_the_guard_wraps_only_that_widget(display: str) -> None:
    child = textwrap.dedent(
        """
        import tkinter
        from tkinterweb import HtmlFrame
        from tkinterweb.bindings import TkinterWeb
        from tkelectron.main.compositor._tk_stale_layout import LAYOUT_READS, guard_layout_reads

        root = tkinter.Tk()
        a = HtmlFrame(root, messages_enabled=False, threading_enabled=False)
        b = HtmlFrame(root, messages_enabled=False, threading_enabled=False)
        a.load_html("<p>one two</p>")
        b.load_html("<p>one two</p>")
        guard_layout_reads(a.html)
        for name in LAYOUT_READS:
            assert name in vars(a.html) and name not in vars(b.html), name
            assert getattr(TkinterWeb, name) is getattr(type(b.html), name)
        assert a.html.text("text") == b.html.text("text")  # the same answers
        print("ok")
        root.destroy()
        """
    )
    assert "ok" in run_tk_child(child, display)


@pytest.mark.tkelectron
async def test_double_clicking_a_button_that_changes_text_is_counted_and_main_survives(compositor: str) -> None:
    # Each double click: two clicks whose commits replace a label's text node, the second press
    # arriving before Tkhtml laid that out; tkinterweb then selects the word under the pointer.
    # Before the guard, main segfaulted on the first double click here.
    async with launch(COUNTER, compositor=compositor) as app:
        win = await app.first_window()
        await win.wait_for_load()
        for n in range(1, 6):
            await win.dblclick("#btn")
            await win.wait_for_text("#clicks", str(2 * n))
        # Back to back, Tk counts a double click's first press as the previous one's third.
        assert int(await win.text_content("#doubles")) >= 5
        assert not win.window.is_destroyed() and not win.window.web_contents.is_crashed()
