"""The Tk compositor's maps between renderer ids and Tkhtml handles stay exact.

A removal reads no ids from Tkhtml: ``::tke::discard`` returns the handles it
took out and :class:`TkDocument` finds their ids in its reverse map
(``ids``). So after every kind of change the two maps must be each other's
reverse and name exactly the elements Tkhtml shows: a handle left behind, or
one forgotten under the wrong id, would make a later op miss its node or
address a destroyed one.
"""

from __future__ import annotations

from tkelectron.common._messages import Insert, Remove, RemoveAttr, ReplaceDocument, SetHTML, SetText

from .conftest import Kit

PAGE = """<html data-tke-id="1"><head data-tke-id="2"></head><body data-tke-id="4">
<ul data-tke-id="6"><li data-tke-id="7">one</li><li data-tke-id="8">two</li></ul>
<p data-tke-id="9">Some <b data-tke-id="10">bold</b> text</p>
<div data-tke-id="11"><input data-tke-id="12" value="start"><span data-tke-id="13">x</span></div>
<button data-tke-id="16" disabled>Go</button>
</body></html>"""


def _shown(kit: Kit) -> dict[int, str]:
    """Every element with an id in Tkhtml's tree, read from Tkhtml itself."""
    dom = kit.surface.dom
    root = dom.root()
    assert root is not None
    found = [root, *dom.search("[data-tke-id]", root=root)]
    return {int(dom.attr(h, "data-tke-id")): h for h in found if dom.attr(h, "data-tke-id")}


def _check(kit: Kit) -> None:
    document = kit.surface.document
    assert document.nodes == _shown(kit)
    assert document.ids == {h: n for n, h in document.nodes.items()}


def _rows(first: int, count: int) -> str:
    return "".join(f'<li data-tke-id="{first + i}">row {i}</li>' for i in range(count))


def test_every_removal_path_keeps_the_maps_exact(tk_kit: Kit) -> None:
    kit = tk_kit
    kit.apply([ReplaceDocument(PAGE)])
    _check(kit)
    first = 100
    for _ in range(3):  # a list refilled: the whole-children shortcut
        kit.apply([SetText(6, ""), Insert(6, _rows(first, 40))])
        _check(kit)
        first += 40
    kit.apply([Remove(first - 5), Remove(first - 3)])  # single rows: the per-handle path
    _check(kit)
    kit.apply([SetHTML(9, '<i data-tke-id="20">new</i> text')])  # mixed content replaced
    _check(kit)
    kit.apply([RemoveAttr(16, "disabled")])  # the element rebuilt under the same id
    _check(kit)
    kit.apply([SetHTML(11, '<em data-tke-id="21">gone</em>')])  # a widget among the children
    _check(kit)
    assert 12 not in kit.surface.document.nodes
    kit.apply([Remove(11)])
    _check(kit)
    kit.settle()
    _check(kit)


def test_an_insert_is_indexed_after_its_redraw_or_as_soon_as_something_needs_it(tk_kit: Kit) -> None:
    """A fragment without form controls is inserted at once and indexed later:
    after the redraw, or first thing when an op needs the map (a node not
    mapped yet, any removal), whichever comes first; a document reset drops
    what was left to index. The maps are exact at every step."""
    kit = tk_kit
    document = kit.surface.document
    later = f"::tke::later({kit.surface.html_widget._w})"
    kit.apply([ReplaceDocument(PAGE)])
    kit.surface.apply([SetText(6, ""), Insert(6, _rows(100, 40))])  # no turn of Tk's loop
    assert document._later and 100 not in document._nodes  # not indexed yet
    # Ops on the new rows in the same turn find them; a removal catches up first.
    kit.surface.apply([SetText(110, "changed"), Remove(105), Insert(6, _rows(200, 2), 120)])
    assert kit.surface.element(110).text == "changed" and kit.surface.element(105) is None
    assert kit.surface.query("li")[18:22] == [119, 200, 201, 120]
    _check(kit)
    # Rows cleared in the turn they came: none is left in the maps.
    kit.surface.apply([Insert(6, _rows(300, 40))])
    kit.surface.apply([SetText(6, "")])
    assert not document._later
    _check(kit)
    # Left alone, the index is caught up after the redraw (the map read directly).
    kit.surface.apply([Insert(6, _rows(400, 40))])
    assert 400 not in document._nodes
    kit.settle()
    assert not document._later and document._nodes[439] == document._nodes.get(439) is not None
    assert not kit.surface.html_widget.tk.call("info", "exists", later)
    _check(kit)
    # A reset drops what was left to index.
    kit.surface.apply([Insert(6, _rows(500, 40))])
    assert kit.surface.html_widget.tk.call("info", "exists", later)
    kit.surface.apply([ReplaceDocument(PAGE)])
    assert not document._later and not kit.surface.html_widget.tk.call("info", "exists", later)
    _check(kit)
    kit.settle()
    _check(kit)
