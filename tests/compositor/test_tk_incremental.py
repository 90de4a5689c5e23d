"""Incremental updates on the Tk compositor draw what a full re-render draws.

The compositor changes Tkhtml's tree in place (a text node replaced, an
attribute set, subtrees removed or inserted in one Tcl call each) rather
than reloading the page. Each case here applies a page and a commit, takes
the serialized document and a screenshot of the html widget, then loads the
page the commit should have produced in one ``ReplaceDocument`` on the same
surface and takes both again: they must be equal, pixel for pixel.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib

import pytest

from tkelectron.common._messages import (
    Insert,
    Op,
    Remove,
    RemoveAttr,
    ReplaceDocument,
    SetAttr,
    SetHTML,
    SetText,
)
from tkelectron.main.compositor._tk_apply import _bmp
from tkelectron.main.compositor._tk_screenshot import capture_window

from .conftest import Kit

pytestmark = pytest.mark.tk

_STYLE = ("<style>body { font-family: sans-serif; margin: 8px } .big { font-size: 24px; color: #a00 } "
          "li.on { background: #cce } [hidden] { display: none }</style>")


def _page(body: str) -> str:
    return (f'<html data-tke-id="1"><head data-tke-id="2">{_STYLE}</head>'
            f'<body data-tke-id="3">{body}</body></html>')


def _rows(ids: range, label: str = "row") -> str:
    return "".join(f'<li data-tke-id="{i}">{label} {i}</li>' for i in ids)


# A page with a label, a list of rows and a paragraph with mixed content.
START = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">0</span></p>'
              f'<ul data-tke-id="6">{_rows(range(100, 160))}</ul>'
              '<p data-tke-id="7">Some <b data-tke-id="8">bold</b> text</p>')


def _pixels(kit: Kit) -> bytes:
    """The html widget's pixels as the X server holds them."""
    kit.settle()
    kit.settle()  # Tkhtml lays out in one idle round and redraws in the next
    html = kit.surface.html_widget
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "shot.png")
        capture_window(html.winfo_id(), os.environ["DISPLAY"], path)
        with open(path, "rb") as f:
            data = f.read()
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


def _assert_same_as_full_render(kit: Kit, start: str, ops: list[Op], expected: str) -> None:
    kit.apply([ReplaceDocument(start)])
    before = _pixels(kit)
    kit.apply(ops)
    incremental = (kit.surface.html(), _pixels(kit), sorted(kit.surface.document.nodes))
    kit.apply([ReplaceDocument(expected)])
    full = (kit.surface.html(), _pixels(kit), sorted(kit.surface.document.nodes))
    assert incremental[0] == full[0]
    assert incremental[2] == full[2], "the id → node map differs from a fresh load's"
    assert incremental[1] == full[1], "the incremental update draws differently from a full re-render"
    assert before != full[1], "the screenshot does not show the change (so it could not tell)"


def test_text_changes_draw_as_a_full_render(tk_kit: Kit) -> None:
    expected = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">12345 &lt;b&gt;</span></p>'
                     f'<ul data-tke-id="6">{_rows(range(100, 160))}</ul>'
                     '<p data-tke-id="7">plain now</p>')
    ops: list[Op] = [
        SetText(5, "7"),           # one text node replaced...
        SetText(5, ""),            # ...emptied...
        Insert(4, '<i data-tke-id="9">x</i>', None),
        SetText(5, "12345 <b>"),   # ...filled again (escaped, not markup)
        Remove(9),
        SetText(7, "plain now"),   # mixed content: the general path
    ]
    _assert_same_as_full_render(tk_kit, START, ops, expected)


def test_a_lone_text_change_is_laid_out_and_drawn(tk_kit: Kit) -> None:
    # Nothing else in the commit makes Tkhtml lay the label out again.
    expected = START.replace('<span data-tke-id="5">0</span>', '<span data-tke-id="5">1234567890</span>')
    _assert_same_as_full_render(tk_kit, START, [SetText(5, "1234567890")], expected)


def test_a_text_change_of_the_same_width_is_drawn(tk_kit: Kit) -> None:
    # "Clicks: 2" after "Clicks: 1": the layout's boxes stay where they were.
    # The replaced text node outlives the redraw (::tke::set_text dooms it):
    # destroyed at once, its memory went to the new node and Tkhtml's redraw
    # found nothing to paint, so the old number stayed on screen.
    # The text nodes are the compositor's own (a fragment each), so the new
    # one is the size of the one it replaces.
    tk_kit.apply([ReplaceDocument(START)])
    tk_kit.apply([SetText(5, "1")])
    one = _pixels(tk_kit)
    tk_kit.apply([SetText(5, "2")])
    two = _pixels(tk_kit)
    tk_kit.apply([ReplaceDocument(START.replace('<span data-tke-id="5">0</span>', '<span data-tke-id="5">2</span>'))])
    full = _pixels(tk_kit)
    assert one != full, "the screenshot does not show the change (so it could not tell)"
    assert two == full, "the label still shows its old text"


def test_attribute_changes_draw_as_a_full_render(tk_kit: Kit) -> None:
    rows = _rows(range(100, 160)).replace('<li data-tke-id="101">', '<li data-tke-id="101" class="on">')
    expected = _page('<p data-tke-id="4" class="big">Clicks: <span data-tke-id="5">0</span></p>'
                     f'<ul data-tke-id="6">{rows}</ul>'
                     '<p data-tke-id="7" title="t">Some <b data-tke-id="8">bold</b> text</p>')
    start = START.replace('<p data-tke-id="7">', '<p data-tke-id="7" hidden title="t">')
    ops: list[Op] = [SetAttr(4, "class", "big"), SetAttr(101, "class", "on"), RemoveAttr(7, "hidden")]
    _assert_same_as_full_render(tk_kit, start, ops, expected)


def test_inserts_draw_as_a_full_render(tk_kit: Kit) -> None:
    expected = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">0</span></p>'
                     f'<ul data-tke-id="6">{_rows(range(90, 95))}{_rows(range(100, 160))}{_rows(range(200, 400))}</ul>'
                     '<p data-tke-id="7">Some <b data-tke-id="8">bold</b> text</p>')
    ops: list[Op] = [Insert(6, _rows(range(200, 400)), None), Insert(6, _rows(range(90, 95)), 100)]
    _assert_same_as_full_render(tk_kit, START, ops, expected)


def test_removals_draw_as_a_full_render(tk_kit: Kit) -> None:
    # Rows removed one by one and in batches, one holding a form control (an
    # embedded widget: the careful path), and a whole list cleared at once.
    start = START.replace('<li data-tke-id="105">row 105</li>',
                          '<li data-tke-id="105">row 105 <input data-tke-id="9" value="v"></li>')
    start = start.replace('<p data-tke-id="7">', f'<ol data-tke-id="10">{_rows(range(300, 400))}</ol><p data-tke-id="7">')
    expected = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">0</span></p>'
                     f'<ul data-tke-id="6">{_rows(range(100, 102))}{_rows(range(110, 160))}</ul>'
                     '<ol data-tke-id="10"></ol>'
                     '<p data-tke-id="7">Some <b data-tke-id="8">bold</b> text</p>')
    ops: list[Op] = [*(Remove(i) for i in range(102, 110)), SetText(10, "")]
    _assert_same_as_full_render(tk_kit, start, ops, expected)


def test_moves_and_replaced_content_draw_as_a_full_render(tk_kit: Kit) -> None:
    # A move is a removal and an insert of the same ids elsewhere.
    expected = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">0</span></p>'
                     f'<ul data-tke-id="6">{_rows(range(159, 160))}{_rows(range(101, 159))}{_rows(range(100, 101))}</ul>'
                     '<p data-tke-id="7"><em data-tke-id="11">new</em> content</p>')
    ops: list[Op] = [
        Remove(100), Insert(6, _rows(range(100, 101)), None),
        Remove(159), Insert(6, _rows(range(159, 160)), 101),
        SetHTML(7, '<em data-tke-id="11">new</em> content'),
    ]
    _assert_same_as_full_render(tk_kit, START, ops, expected)


def test_a_thousand_rows_replaced_draw_as_a_full_render(tk_kit: Kit) -> None:
    big = _page(f'<ul data-tke-id="6">{_rows(range(1000, 2000))}</ul>')
    expected = _page(f'<ul data-tke-id="6">{_rows(range(5000, 6000), "new")}</ul>')
    _assert_same_as_full_render(tk_kit, big, [SetText(6, ""), Insert(6, _rows(range(5000, 6000), "new"), None)],
                                expected)


def test_characters_tk_cannot_draw_are_replaced_or_dropped_as_before(tk_kit: Kit) -> None:
    # Text ops replace them with U+FFFD (as the per-character loop did)...
    assert _bmp("a\U0001f600b\u00e9") == "a\ufffdb\u00e9"
    assert _bmp("plain") == "plain"
    # ...and inserted HTML drops them, as tkinterweb's own filter does.
    doc = tk_kit.surface.document
    for html in ('<p style="font-family: Noto Color Emoji">x\U0001f600y</p>', "<i>\u00e9t\u00e9</i>", "ascii",
                 '<b style=" color: rgb( 1, 2, 3)">z</b>', '<b STYLE=" COLOR: RGB( 1, 2, 3); FONT-FAMILY: x">z</b>',
                 '<b \u017ftyle=" x">long s</b>', '<b style="\u212a: 1; font-family: Noto Color Emoji">\u00e9</b>'):
        assert doc._crash_prevention(html) == tk_kit.surface.html_widget._crash_prevention(html)


def test_a_large_insert_with_form_controls_draws_and_binds_as_a_full_render(tk_kit: Kit) -> None:
    # Most of the list is new (one search of the parent finds the ids), put
    # before the rows shown, and every new row holds a control bound to its node.
    rows = "".join(f'<li data-tke-id="{i}">row {i} <input data-tke-id="{i + 1000}" value="v{i}"></li>'
                   for i in range(200, 260))
    expected = _page('<p data-tke-id="4">Clicks: <span data-tke-id="5">0</span></p>'
                     f'<ul data-tke-id="6">{rows}{_rows(range(100, 160))}</ul>'
                     '<p data-tke-id="7">Some <b data-tke-id="8">bold</b> text</p>')
    _assert_same_as_full_render(tk_kit, START, [Insert(6, rows, 100)], expected)
    inputs = tk_kit.surface.inputs
    tk_kit.apply([ReplaceDocument(START), Insert(6, rows, 100)])
    incremental = sorted((node, inputs.value(node)) for node in range(1200, 1260))
    tk_kit.apply([ReplaceDocument(expected)])
    assert incremental == sorted((node, inputs.value(node)) for node in range(1200, 1260))
    assert incremental[0] == (1200, "v200")
