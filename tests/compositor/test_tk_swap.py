"""A long list cleared is swapped for an empty copy of its element.

Tkhtml removes children one by one, each a walk of the sibling list, so
clearing 10,000 rows cost far more than replacing their parent by a freshly
parsed empty copy of itself (``::tke::swap``). The copy must then be the
element in every way main knows it: the renderer's id names it, it has the
old element's attributes and place, rows inserted into it are hit-tested
and clicked, and the old element is destroyed only after the next layout.
Where the old handle matters (the document's frame, a control inside, an
element that scrolls itself, a short list) the children are removed instead.
"""

from __future__ import annotations

import textwrap

from tkelectron.common._messages import Insert, ReplaceDocument, SetHTML, SetText

from ._tk_child import run_tk_child
from .conftest import Kit
from .test_tk_id_map import _check, _rows

PAGE = """<html data-tke-id="1"><head data-tke-id="2"></head><body data-tke-id="4">
<p data-tke-id="5">before</p>
<ul data-tke-id="6" id="list" class="rows &amp; more" title='say "hi"'></ul>
<p data-tke-id="7">after</p>
<ul data-tke-id="8" style="overflow:auto;height:120px"></ul>
<div data-tke-id="9"></div>
</body></html>"""


def _place(kit: Kit, handle: str) -> tuple[str, int]:
    dom = kit.surface.dom
    parent = dom.parent(handle)
    return parent, dom.children(parent).index(handle)


def test_a_long_list_cleared_is_an_empty_copy_under_the_same_id(tk_kit: Kit) -> None:
    kit = tk_kit
    dom = kit.surface.dom
    kit.apply([ReplaceDocument(PAGE), Insert(6, _rows(100, 100))])
    old = kit.surface.document.nodes[6]
    attrs, place = dom.attrs(old), _place(kit, old)
    kit.apply([SetText(6, ""), Insert(6, _rows(300, 100))])
    new = kit.surface.document.nodes[6]
    assert new != old  # swapped, not emptied
    assert dom.attrs(new) == attrs == {"id": "list", "class": "rows & more", "title": 'say "hi"',
                                       "data-tke-id": "6"}
    assert _place(kit, new) == place
    assert dom.search("#list") == [new]
    assert len(dom.children(new)) == 100
    _check(kit)
    assert not kit.surface.document.tk.call("info", "commands", old)  # destroyed once laid out
    # The rows inserted into the copy are drawn there and answer clicks.
    kit.click(350)
    # innerHTML = "..." takes the same path, from the copy to a copy of it.
    kit.apply([SetHTML(6, _rows(500, 80))])
    assert kit.surface.document.nodes[6] not in (old, new)
    _check(kit)
    kit.click(505)


def test_what_must_keep_its_handle_loses_its_children_one_by_one(tk_kit: Kit) -> None:
    kit = tk_kit
    document = kit.surface.document
    controls = '<input data-tke-id="50" value="x">' + _rows(600, 80)
    kit.apply([ReplaceDocument(PAGE), Insert(8, _rows(100, 100)), Insert(9, controls),
               Insert(6, _rows(300, 40))])
    kept = {n: document.nodes[n] for n in (4, 6, 8, 9)}
    # A list that scrolls itself, one holding a control, a short list.
    kit.apply([SetText(8, ""), SetText(9, ""), SetText(6, "")])
    _check(kit)
    assert {n: document.nodes[n] for n in (6, 8, 9)} == {n: kept[n] for n in (6, 8, 9)}
    # The body, however many children it has.
    kit.apply([Insert(4, "".join(f'<p data-tke-id="{700 + i}">p</p>' for i in range(100)))])
    kit.apply([SetHTML(4, '<p data-tke-id="900">only</p>')])
    assert document.nodes[4] == kept[4]
    _check(kit)
    kit.click(900)


_CHILD = textwrap.dedent(
    """
    import tkinter
    from tkinterweb import HtmlFrame
    from tkelectron.main.compositor._tk_dom import TkDom

    root = tkinter.Tk()
    root.geometry("400x300")
    frame = HtmlFrame(root, messages_enabled=False, javascript_enabled=False, threading_enabled=False)
    frame.pack(fill="both", expand=True)
    rows = "".join(f'<li data-tke-id="{i + 10}">row {i}</li>' for i in range(200))
    frame.load_html('<ul id="list" data-tke-id="5">' + rows + "</ul>")
    root.update()
    html = frame.html
    dom = TkDom(html)
    listing, = dom.search("#list")
    swaps = 0

    def hit_everywhere():
        for x in range(0, 400, 9):
            for y in range(0, 300, 6):
                html.tk.call(html._w, "node", x, y)
                html.tk.call("::tke::hit", html._w, x, y)

    for i in range(60):
        # A list refill, then clicks before any idle round: on the old
        # element's rows (still what the canvas drew) and on the new ones.
        hit_everywhere()
        gone, left, new = dom.clear(listing)
        hit_everywhere()
        if new:
            swaps += 1
            listing = new
        dom.insert(listing, None, rows, False)
        hit_everywhere()
        if i % 7 == 0:
            root.update()
    root.update()
    # Tags the fragment parser crashes on (kept by the first load, not
    # renamed) and those tkinterweb watches keep their element.
    for tag in ("section", "x-list", "table", "form"):
        kids = "<tr><td>r</td></tr>" * 100 if tag == "table" else "<p>r</p>" * 100
        frame.load_html(f'<{tag} id="other" data-tke-id="5">{kids}</{tag}>')
        root.update()
        other, = dom.search("#other")
        print(tag, "swapped:", dom.clear(other)[2] != "")
    # A table's body: swapped, refilled, hit-tested, laid out.
    frame.load_html('<table><tbody id="body">' + "<tr><td>r</td></tr>" * 100 + "</tbody></table>")
    root.update()
    body, = dom.search("#body")
    new = dom.clear(body)[2]
    print("tbody swapped:", new != "")
    dom.insert(new, None, "<tr><td>again</td></tr>" * 100, False)
    hit_everywhere()
    root.update()
    hit_everywhere()
    print("tbody rows:", len(dom.search("tr", root=new)))
    root.update()
    print("swaps:", swaps)
    print("doomed after the last idle rounds:", html.tk.call("array", "size", "::tke::doomed"))
    root.destroy()
    """
)


def test_hit_testing_around_a_swap_reads_no_freed_node(display: str) -> None:
    out = run_tk_child(_CHILD, display)
    assert "swaps: 60" in out
    assert "tbody swapped: True" in out
    assert "tbody rows: 100" in out
    for tag in ("section", "x-list", "table", "form"):
        assert f"{tag} swapped: False" in out
    assert "doomed after the last idle rounds: 0" in out


def test_a_long_list_given_new_content_gets_it_in_its_copy(tk_kit: Kit) -> None:
    """SetHTML on a long list (a refill, as the commit rules hand it over):
    the new rows are parsed inside the copy, in the one fragment that makes
    it, and indexed later; content with a form control, a tbody and a short
    list take the old way (cleared, then filled). Each ends with the same
    rows, in order, mapped and clickable."""
    kit = tk_kit
    dom = kit.surface.dom
    document = kit.surface.document
    table = '<table data-tke-id="10"><tbody data-tke-id="11"></tbody></table>'
    kit.apply([ReplaceDocument(PAGE), Insert(4, table), Insert(6, _rows(100, 100)),
               Insert(11, "".join(f'<tr data-tke-id="{200 + i}"><td data-tke-id="{300 + i}">c</td></tr>'
                                  for i in range(80)))])
    old = document.nodes[6]
    kit.surface.apply([SetHTML(6, _rows(500, 90))])  # no turn of Tk's loop
    new = document._nodes[6]
    assert new != old and dom.children(new) and document._later  # filled in the copy, not indexed yet
    assert [dom.text(h) for h in dom.children(new)] == [f"row {i}" for i in range(90)]
    assert kit.surface.query("#list > li")[:3] == [500, 501, 502]
    _check(kit)
    kit.settle()
    kit.click(550)
    # A control among the new content: cleared, then filled (its widget is watched).
    kit.apply([SetHTML(6, '<li data-tke-id="700"><input data-tke-id="701" value="v"></li>' + _rows(702, 70))])
    assert document.nodes[6] != new and len(dom.children(document.nodes[6])) == 71
    assert document.inputs.control(701) is not None
    _check(kit)
    # A tbody's rows, and a short list: the old way too, with the same result.
    rows = "".join(f'<tr data-tke-id="{800 + i}"><td data-tke-id="{900 + i}">d{i}</td></tr>' for i in range(70))
    kit.apply([SetHTML(11, rows), SetHTML(6, _rows(1000, 3))])
    assert [dom.text(h) for h in dom.children(document.nodes[11])][:2] == ["d0", "d1"]
    assert len(dom.children(document.nodes[11])) == 70
    kit.apply([SetHTML(6, _rows(1100, 2))])
    assert kit.surface.query("#list > li") == [1100, 1101]
    _check(kit)
    kit.click(1101)
