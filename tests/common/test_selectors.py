"""CSS selectors on HtmlElement trees and on the renderer DOM."""

from __future__ import annotations

from typing import Any

import pytest

from tkelectron.common._html import HtmlElement, parse_document
from tkelectron.common._selectors import Selector, compile_selector, select_all, select_one
from tkelectron.renderer._dom import Document

PAGE = """
<div id="main" class="box wide">
  <h1 data-role="title">Title</h1>
  <p class="intro lead">one</p>
  <p class="note" lang="en-GB">two</p>
  <span id="s1">three</span>
  <ul>
    <li class="item" data-k="alpha">a</li>
    <li class="item sel" data-k="beta gamma">b</li>
    <li class="item" data-k="delta">c</li>
  </ul>
</div>
<form>
  <input type="checkbox" name="c1" checked>
  <input type="checkbox" name="c2">
  <input type="text" name="t" disabled>
  <select><option>x</option><option selected>y</option></select>
</form>
<p></p>
"""


def _html_root() -> HtmlElement:
    return parse_document(PAGE)


def _dom_root() -> Document:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html(PAGE)
    return doc


def _label(el: Any) -> str:
    """A short name for an element of either tree kind."""
    tag = el._sel_tag()
    ident = el._sel_attr("id")
    name = el._sel_attr("name")
    text = ""
    if isinstance(el, HtmlElement):
        text = "".join(c for c in el.children if isinstance(c, str)).strip()
    else:
        text = el.text_content.strip() if not el.children else ""
    return tag + (f"#{ident}" if ident else "") + (f"[{name}]" if name else "") + (f":{text}" if text else "")


CASES = [
    ("p", ["p:one", "p:two", "p"]),
    ("*.item", ["li:a", "li:b", "li:c"]),
    ("#main > p", ["p:one", "p:two"]),
    ("div p", ["p:one", "p:two"]),
    (".intro.lead", ["p:one"]),
    ("[data-role]", ["h1:Title"]),
    ('[data-k="alpha"]', ["li:a"]),
    ("[data-k=alpha]", ["li:a"]),
    ("[data-k~=gamma]", ["li:b"]),
    ("[data-k^=del]", ["li:c"]),
    ("[data-k$=pha]", ["li:a"]),
    ("[data-k*=et]", ["li:b"]),
    ("[lang|=en]", ["p:two"]),
    ("h1 + p", ["p:one"]),
    ("h1 ~ span", ["span#s1:three"]),
    ("li:first-child", ["li:a"]),
    ("li:last-child", ["li:c"]),
    ("li:not(.sel)", ["li:a", "li:c"]),
    ("input:checked", ["input[c1]"]),
    ("option:checked", ["option:y"]),
    (":disabled", ["input[t]"]),
    ("input:enabled", ["input[c1]", "input[c2]"]),
    ("p:empty", ["p"]),
    ("span, h1", ["h1:Title", "span#s1:three"]),  # document order, not list order
    ("form > *:not(input)", ["select"]),
    ("ul>li.item:not(:first-child)", ["li:b", "li:c"]),
]


@pytest.mark.parametrize(("selector", "expected"), CASES)
def test_select_all_on_html_tree(selector: str, expected: list[str]) -> None:
    assert [_label(e) for e in select_all(_html_root(), selector)] == expected


@pytest.mark.parametrize(("selector", "expected"), CASES)
def test_select_all_on_dom(selector: str, expected: list[str]) -> None:
    assert [_label(e) for e in select_all(_dom_root(), selector)] == expected


def test_root_itself_is_not_matched() -> None:
    root = _html_root()
    body = root.children[1]
    assert isinstance(body, HtmlElement)
    assert body not in select_all(body, "body")
    assert select_all(body, "body *")  # but descendants still see the ancestor


def test_select_one_and_compiled_selector() -> None:
    sel = compile_selector("li.item")
    assert isinstance(sel, Selector)
    first = select_one(_html_root(), sel)
    assert first is not None and first.attrs["data-k"] == "alpha"
    assert select_one(_html_root(), "video") is None
    assert sel.matches(first)


def test_live_state_on_dom() -> None:
    doc = _dom_root()
    boxes = doc.query_selector_all("input[type=checkbox]")
    boxes[0].checked = False
    boxes[1].checked = True
    assert doc.query_selector_all("input:checked") == [boxes[1]]
    select = doc.query_selector("select")
    assert select is not None
    select.value = "x"
    assert [o.text_content for o in doc.query_selector_all("option:checked")] == ["x"]


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "div >", "..a", "[x=", "[x", "a:hover", "p::before", "a,", "#1", "a b)", ":not(p", "a ! b"],
)
def test_bad_selectors_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="selector"):
        compile_selector(bad)


def test_quoted_values_with_spaces_and_escapes() -> None:
    root = parse_document('<a title="a, b]c">x</a><a title=\'q"\'>y</a>')
    assert len(select_all(root, '[title="a, b]c"]')) == 1
    assert len(select_all(root, "[title='q\"']")) == 1


def test_a_selector_is_compiled_once_and_an_invalid_one_fails_every_time() -> None:
    # closest("a[href]") runs on every click: the same text gives the same compiled Selector.
    first = compile_selector("a[href] > b.c")
    assert compile_selector("a[href] > b.c") is first
    assert compile_selector("a[href]>b.c") is not first  # cached by its text, compiled alike
    for _ in range(2):  # a refusal is not remembered as a success
        with pytest.raises(ValueError):
            compile_selector("a[")
        with pytest.raises(ValueError, match="empty"):
            compile_selector("   ")
