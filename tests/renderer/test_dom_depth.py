"""The renderer's DOM keeps to MAX_DEPTH itself, with an error naming the
limit, so an honest page learns why instead of being killed by main."""

from __future__ import annotations

import pytest

from tkelectron.common._html import MAX_DEPTH, HtmlLimitError, parse_fragment
from tkelectron.renderer._dom import Document


def _doc(body: str = "") -> Document:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html(f"<html><body>{body}</body></html>")
    doc.take_ops()
    return doc


def _chain(doc: Document, length: int):
    """A detached chain of ``length`` nested divs: (top, bottom)."""
    top = bottom = doc.create_element("div")
    for _ in range(length - 1):
        bottom = bottom.append_child(doc.create_element("div"))
    return top, bottom


def test_append_child_reaches_the_limit_and_no_further() -> None:
    doc = _doc()
    top, bottom = _chain(doc, MAX_DEPTH - 2)  # <html> 1, <body> 2
    doc.body.append_child(top)
    assert bottom._depth() == MAX_DEPTH
    with pytest.raises(HtmlLimitError, match=f"over the limit of {MAX_DEPTH}.*MAX_DEPTH"):
        bottom.append_child(doc.create_element("span"))
    assert not bottom.children  # nothing half-done
    assert bottom.append_child(doc.create_text_node("text at the limit")) is not None


def test_attaching_a_deep_detached_tree_is_refused_whole() -> None:
    doc = _doc()
    top, _ = _chain(doc, MAX_DEPTH - 1)  # detached, within the limit on its own
    ops_before = doc.take_ops()
    with pytest.raises(HtmlLimitError, match=f"nest elements {MAX_DEPTH + 1} deep"):
        doc.body.append_child(top)
    assert top.parent_element is None and doc.take_ops() == ops_before == []
    # Detached trees keep to the limit too, so no walk is ever longer than it.
    with pytest.raises(HtmlLimitError):
        _chain(doc, MAX_DEPTH + 1)


def test_inner_html_and_page_loads_refuse_deep_markup() -> None:
    doc = _doc('<div id="d"></div>')
    deep = "<b>" * (MAX_DEPTH - 2) + "</b>" * (MAX_DEPTH - 2)
    target = doc.get_element_by_id("d")  # depth 3
    with pytest.raises(HtmlLimitError, match=f"over the limit of {MAX_DEPTH}"):
        target.inner_html = deep
    target.inner_html = deep[3:-4]  # one level less fits exactly
    assert doc.take_ops()[0].node == Document.id_of(target)
    with pytest.raises(HtmlLimitError, match="MAX_DEPTH"):
        doc.load_html("<html><body>" + "<div>" * 10_000 + "</body></html>")


def test_the_parser_stops_at_the_limit() -> None:
    with pytest.raises(HtmlLimitError):
        parse_fragment("<i>" * 100_000, max_depth=MAX_DEPTH)
    with pytest.raises(HtmlLimitError, match="more than 10 elements"):
        parse_fragment("<br>" * 11, max_elements=10)
    assert len(parse_fragment("<br>" * 10, max_elements=10)) == 10
