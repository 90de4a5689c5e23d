"""Nodes the compositor takes out of a page outlive Tkhtml's next layout.

Until Tkhtml lays out again, its canvas still points at the nodes it last
drew. Destroying a removed node at once freed memory that ``$html node x y``
(tkinterweb's click and hover handlers, a user's click before the next idle
round) then read: main segfaulted, once in a CI run of the progress demo. The
compositor now destroys removed nodes two idle rounds later
(``::tke::doom``). These checks run in a child process, since the failure
they guard against is a crash.
"""

from __future__ import annotations

import textwrap

from ._tk_child import run_tk_child

_CHILD = textwrap.dedent(
    """
    import tkinter
    from tkinterweb import HtmlFrame
    from tkelectron.main.compositor._tk_dom import TkDom

    root = tkinter.Tk()
    root.geometry("400x300")
    frame = HtmlFrame(root, messages_enabled=False, javascript_enabled=False, threading_enabled=False)
    frame.pack(fill="both", expand=True)
    frame.load_html('<p id="text">' + "word " * 200 + '</p><ul id="list">' + "<li>row</li>" * 50 + "</ul>")
    root.update()
    html = frame.html
    dom = TkDom(html)
    paragraph, = dom.search("#text")
    listing, = dom.search("#list")

    def hit_everywhere():
        for x in range(0, 400, 7):
            for y in range(0, 300, 5):
                html.tk.call(html._w, "node", x, y)

    for i in range(150):
        # What a page's text change and a list refill do, then clicks before any idle round.
        assert dom.set_text(paragraph, "other " * (i % 50 + 1)) is not None
        dom.clear(listing)
        hit_everywhere()
        if i % 10 == 0:
            root.update()  # the layout, then the removed nodes' destruction
            hit_everywhere()
    root.update()
    leftover = html.tk.call("array", "size", "::tke::doomed")
    print("doomed after the last idle rounds:", leftover)
    root.destroy()
    """
)


def test_hit_testing_between_a_change_and_the_next_layout_reads_no_freed_node(display: str) -> None:
    out = run_tk_child(_CHILD, display)
    # Every removed node was destroyed once Tk went idle: nothing is kept.
    assert "doomed after the last idle rounds: 0" in out


_FREE_CHILD = _CHILD.replace(
    "    dom.clear(listing)\n",
    "    dom.clear(listing)\n"
    "    freed = dom.free()  # what a sliced commit does after a removal\n"
    "    assert freed and not dom.free(), 'nothing was doomed, or a second free found more'\n",
)


def test_nodes_freed_mid_commit_are_destroyed_after_a_forced_layout(display: str) -> None:
    """``TkDom.free`` destroys the removed nodes at once, before any idle round:
    it lays out first, so the canvas no longer points at them (without the
    forced layout, the hits that follow read freed nodes)."""
    assert _FREE_CHILD != _CHILD
    out = run_tk_child(_FREE_CHILD, display)
    assert "doomed after the last idle rounds: 0" in out
