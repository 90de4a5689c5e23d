"""The renderer's serializer: its shortcut for one element writes exactly what
the general walk writes, for page HTML and for display HTML (live form state
and node ids included), on seeded random trees."""

from __future__ import annotations

import random
from typing import Any

from tkelectron.common._html import RAW_TEXT_ELEMENTS, VOID_ELEMENTS, escape_attr, escape_text
from tkelectron.renderer._dom import Document
from tkelectron.renderer._dom_serialize import _display_attrs, serialize_nodes

_TAGS = ["li", "p", "span", "div", "b", "td", "tr", "ul", "br", "img", "input", "option", "select", "textarea",
         "style", "script", "my-widget", "hr"]
_TEXTS = ["", "row 1", "a & b < c > d", '"quoted" \'single\'', "\U0001f600 \u00e9", "line\nline\r\n", "&amp;"]
_ATTRS = [("class", "c"), ("title", 'a "b" <c> & d'), ("id", "x"), ("value", "v&"), ("checked", ""),
          ("selected", ""), ("data-x", "1"), ("style", "color: red")]


def _reference(nodes: list[Any], display: bool) -> str:
    """The general walk, one node at a time (the serializer before its shortcut)."""
    out: list[str] = []
    todo: list[Any] = list(reversed(nodes))
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        if item._is_text:
            out.append(escape_text(item._data))
            continue
        tag = item._tag
        attrs = _display_attrs(item) if display else item._attrs
        out.append("<" + tag + "".join(f' {k}="{escape_attr(v)}"' for k, v in attrs.items()) + ">")
        if tag in VOID_ELEMENTS:
            continue
        if tag in RAW_TEXT_ELEMENTS:
            out.extend(c._data for c in item._children if c._is_text)
            out.append(f"</{tag}>")
        elif display and tag == "textarea" and item._value is not None:
            out.append(escape_text(item._value) + "</textarea>")
        else:
            todo.append(f"</{tag}>")
            todo.extend(reversed(item._children))
    return "".join(out)


def _element(doc: Document, rng: random.Random, depth: int) -> Any:
    el = doc.create_element(rng.choice(_TAGS))
    for name, value in rng.sample(_ATTRS, rng.randint(0, 3)):
        el.set_attribute(name, value)
    if el._tag == "input" and rng.random() < 0.5:
        el.value = rng.choice(_TEXTS)
    if el._tag == "input" and rng.random() < 0.3:
        el.checked = rng.random() < 0.5
    if el._tag == "textarea" and rng.random() < 0.5:
        el.value = rng.choice(_TEXTS)
    if el._tag in VOID_ELEMENTS:
        return el
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        if depth < 3 and rng.random() < 0.4:
            el.append_child(_element(doc, rng, depth + 1))
        else:
            el.append(rng.choice(_TEXTS))
    return el


def test_the_one_element_shortcut_writes_what_the_walk_writes() -> None:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    rng = random.Random(7)
    shortcut = 0
    for _ in range(3000):
        el = _element(doc, rng, 0)
        for display in (True, False):
            assert serialize_nodes([el], display) == _reference([el], display)
        kids = el._children
        shortcut += el._tag not in VOID_ELEMENTS and (not kids or (len(kids) == 1 and kids[0]._is_text))
        pair = [el, _element(doc, rng, 0)]
        assert serialize_nodes(pair, True) == _reference(pair, True)
    assert shortcut > 500  # the shortcut's case came up often


def test_an_element_s_display_html_carries_its_id_and_live_state() -> None:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    li = doc.create_element("li")
    li.text_content = "a < b"
    nid = Document.id_of(li)
    assert serialize_nodes([li], True) == f'<li data-tke-id="{nid}">a &lt; b</li>'
    assert serialize_nodes([li], False) == "<li>a &lt; b</li>"
    box = doc.create_element("input")
    box.set_attribute("value", "old")
    box.value = 'new "one"'
    assert serialize_nodes([box], True) == f'<input data-tke-id="{Document.id_of(box)}" value="new &quot;one&quot;">'
