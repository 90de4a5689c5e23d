"""The shared suite, part 1: every op kind, checked through the query API.

Runs against both compositors (the ``kit`` fixture); what one shows, the other
must show too.
"""

from __future__ import annotations

from typing import Any

import pytest

from tkelectron.common._html import Node, parse_fragment
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
    SetTitle,
    SetValue,
)
from tkelectron.main.compositor import _headless_dom

from .conftest import Kit

PAGE = """<html data-tke-id="1"><head data-tke-id="2"><title data-tke-id="3">Doc</title>
<style>.big { font-size: 20px } .warn { color: red }</style></head>
<body data-tke-id="4">
<h1 data-tke-id="5" class="big">Hello</h1>
<ul data-tke-id="6"><li data-tke-id="7">one</li><li data-tke-id="8">two</li></ul>
<p data-tke-id="9">Some <b data-tke-id="10">bold</b> text</p>
<input data-tke-id="11" value="start">
<input data-tke-id="12" type="checkbox" value="yes">
<textarea data-tke-id="13">notes</textarea>
<select data-tke-id="14"><option value="a">A</option><option value="b" selected>B</option></select>
<div data-tke-id="15" hidden>secret</div>
<button data-tke-id="16" disabled>Go</button>
</body></html>"""


def load(kit: Kit) -> None:
    kit.apply([ReplaceDocument(PAGE)])


def texts(kit: Kit, selector: str) -> list[str]:
    return [kit.surface.element(n).text for n in kit.surface.query(selector)]


def test_replace_document_is_queryable(kit: Kit) -> None:
    load(kit)
    assert kit.surface.query("li") == [7, 8]
    assert kit.surface.query("h1.big") == [5]
    assert kit.surface.query("ul > li + li") == [8]
    assert kit.surface.query("li:not(:first-child)") == [8]
    assert kit.surface.query("h1 ~ p b") == [10]
    h1 = kit.surface.element(5)
    assert h1 is not None and (h1.tag, h1.text, h1.attributes) == ("h1", "Hello", {"class": "big"})
    assert h1.visible and not kit.surface.element(15).visible
    assert kit.surface.element(9).text == "Some bold text"
    assert kit.surface.element(999) is None
    html = kit.surface.html()
    assert '<h1 data-tke-id="5" class="big">Hello</h1>' in html
    assert 'data-tke-id="16"' in html


def test_a_new_document_replaces_the_old_one(kit: Kit) -> None:
    load(kit)
    kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"><p data-tke-id="3">new</p></body></html>')])
    assert kit.surface.query("li") == []
    assert kit.surface.element(7) is None
    assert kit.surface.element(3).text == "new"


def test_form_controls_report_their_values(kit: Kit) -> None:
    load(kit)
    assert kit.surface.element(11).value == "start"
    box = kit.surface.element(12)
    assert (box.value, box.checked) == ("yes", False)
    assert kit.surface.element(13).value == "notes"
    assert kit.surface.element(14).value == "b"
    assert kit.surface.element(5).value is None and kit.surface.element(5).checked is None


def test_insert_appends_and_inserts_before(kit: Kit) -> None:
    load(kit)
    kit.apply([
        Insert(6, '<li data-tke-id="20">three</li><li data-tke-id="21">four <i data-tke-id="22">!</i></li>'),
        Insert(6, '<li data-tke-id="23">zero</li>', before=7),
    ])
    assert kit.surface.query("li") == [23, 7, 8, 20, 21]
    assert texts(kit, "li") == ["zero", "one", "two", "three", "four !"]
    assert kit.surface.element(22).tag == "i"
    assert kit.surface.query("li i") == [22]


def test_insert_of_a_thousand_items_is_one_fragment_parse(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 1000 items are parsed at once: one Tkhtml fragment (about 10 ms here, where
    node-by-node insertion took about 1 s), one parse in the headless mirror."""
    load(kit)
    parses: list[int] = []
    if kit.name == "tkhtml":
        # Every Tkhtml fragment parse goes through one of these three.
        fragment = kit.surface.document._fragment
        insert = kit.surface.dom.insert
        insert_later = kit.surface.dom.insert_later

        def counted_fragment(html: str) -> tuple[str, ...]:
            nodes: tuple[str, ...] = fragment(html)
            parses.append(len(nodes))
            return nodes

        def counted_insert(parent: str, before: str | None, source: str, controls: bool = True) -> Any:
            known = set(kit.surface.document.nodes)
            ids, found = insert(parent, before, source, controls)
            parses.append(len(set(ids) - known))
            return ids, found

        def counted_insert_later(parent: str, before: str | None, source: str) -> None:
            known = len(kit.surface.dom.children(parent))
            insert_later(parent, before, source)
            parses.append(len(kit.surface.dom.children(parent)) - known)

        monkeypatch.setattr(kit.surface.document, "_fragment", counted_fragment)
        monkeypatch.setattr(kit.surface.dom, "insert", counted_insert)
        monkeypatch.setattr(kit.surface.dom, "insert_later", counted_insert_later)
    else:
        def counted_parse(html: str) -> list[Node]:
            nodes = parse_fragment(html)
            parses.append(len(nodes))
            return nodes

        monkeypatch.setattr(_headless_dom, "parse_fragment", counted_parse)
    items = "".join(f'<li data-tke-id="{1000 + i}">item {i}</li>' for i in range(1000))
    kit.surface.apply([Insert(6, items)])
    kit.settle()
    assert parses == [1000]
    ids = kit.surface.query("li")
    assert ids == [7, 8, *range(1000, 2000)]
    assert kit.surface.element(1999).text == "item 999"


def test_remove_drops_the_subtree(kit: Kit) -> None:
    load(kit)
    kit.apply([Remove(6), Remove(11)])
    assert kit.surface.query("li") == []
    assert kit.surface.element(6) is None and kit.surface.element(7) is None
    assert kit.surface.element(11) is None
    assert kit.surface.query("input") == [12]


def test_set_and_remove_attributes(kit: Kit) -> None:
    load(kit)
    kit.apply([SetAttr(9, "class", "warn"), SetAttr(7, "title", "first"), RemoveAttr(5, "class"),
               RemoveAttr(15, "hidden"), SetAttr(8, "hidden", "")])
    assert kit.surface.query(".warn") == [9]
    assert kit.surface.query(".big") == []
    assert kit.surface.element(7).attributes == {"title": "first"}
    assert kit.surface.element(5).attributes == {}
    assert kit.surface.element(15).visible and kit.surface.element(15).text == "secret"
    assert not kit.surface.element(8).visible
    assert kit.surface.query("[hidden]") == [8]
    # The rebuilt elements keep their children and ids.
    assert kit.surface.element(9).text == "Some bold text" and kit.surface.query("p b") == [10]


def test_remove_attribute_keeps_a_controls_live_value(kit: Kit) -> None:
    load(kit)
    kit.apply([SetAttr(11, "disabled", ""), SetValue(11, "typed")])
    kit.apply([RemoveAttr(11, "disabled")])
    assert kit.surface.element(11).value == "typed"
    assert "disabled" not in kit.surface.element(11).attributes
    kit.apply([RemoveAttr(16, "disabled")])
    assert kit.surface.query("button[disabled]") == []


def test_set_text(kit: Kit) -> None:
    load(kit)
    kit.apply([SetText(5, "Bye <b>now</b> & then"), SetText(9, "plain"), SetText(7, "")])
    assert kit.surface.element(5).text == "Bye <b>now</b> & then"
    assert kit.surface.query("h1 b") == []
    assert kit.surface.element(9).text == "plain"
    assert kit.surface.element(10) is None  # the <b> inside the <p> went away
    assert kit.surface.element(7).text == ""
    kit.apply([SetText(7, "again")])
    assert kit.surface.element(7).text == "again"


def test_set_text_on_a_textarea_sets_what_its_widget_shows(kit: Kit) -> None:
    load(kit)
    kit.apply([SetText(13, "new <b>notes</b>")])
    assert kit.surface.element(13).value == "new <b>notes</b>"
    assert kit.surface.element(13).text == "new <b>notes</b>"
    assert kit.surface.query("textarea") == [13] and kit.surface.query("textarea b") == []


def test_repeated_set_text_in_one_commit_ends_with_the_last(kit: Kit) -> None:
    load(kit)
    kit.apply([SetText(5, "a"), SetAttr(5, "title", "t"), SetText(5, "b"), SetText(7, "x"), SetText(5, "c")])
    assert kit.surface.element(5).text == "c"
    assert kit.surface.element(7).text == "x"
    assert kit.surface.element(5).attributes["title"] == "t"


def test_set_html(kit: Kit) -> None:
    load(kit)
    kit.apply([SetHTML(6, '<li data-tke-id="30">x</li><li data-tke-id="31">y <em data-tke-id="32">z</em></li>')])
    assert kit.surface.query("li") == [30, 31]
    assert kit.surface.element(7) is None
    assert kit.surface.element(32).text == "z"
    kit.apply([SetHTML(4, '<textarea data-tke-id="40">in a fragment</textarea>')])
    assert kit.surface.query("textarea") == [40]
    assert kit.surface.element(40).value == "in a fragment"
    assert kit.surface.element(11) is None


def test_set_value_and_checked(kit: Kit) -> None:
    load(kit)
    kit.apply([SetValue(11, "changed"), SetChecked(12, True), SetValue(13, "more notes"), SetValue(14, "a")])
    assert kit.surface.element(11).value == "changed"
    assert kit.surface.element(12).checked is True
    assert kit.surface.element(13).value == "more notes"
    assert kit.surface.element(14).value == "a"
    kit.apply([SetChecked(12, False)])
    assert kit.surface.element(12).checked is False


def test_title_is_recorded_not_shown(kit: Kit) -> None:
    load(kit)
    kit.apply([SetTitle("My page")])
    assert kit.surface.document_title == "My page"
    assert kit.surface.get_title() == "test"


def test_focus(kit: Kit) -> None:
    load(kit)
    kit.apply([Focus(13)])
    assert kit.focused_node() == 13
    kit.apply([Focus(11)])
    assert kit.focused_node() == 11


def test_ops_on_unknown_nodes_are_skipped(kit: Kit) -> None:
    load(kit)
    kit.apply([SetText(999, "x"), Insert(998, "<b>x</b>"), Remove(997), SetText(5, "still applied")])
    assert kit.surface.element(5).text == "still applied"


def test_show_crashed(kit: Kit) -> None:
    load(kit)
    kit.surface.show_crashed("Segmentation <fault>")
    kit.settle()
    assert kit.surface.crashed == "Segmentation <fault>"
    html = kit.surface.html()
    assert "This page crashed" in html and "Segmentation &lt;fault&gt;" in html
    assert kit.surface.query("li") == []
