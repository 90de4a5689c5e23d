"""Parsing and serializing with tkelectron.common._html."""

from __future__ import annotations

import pytest

from tkelectron.common._html import (
    VOID_ELEMENTS,
    HtmlElement,
    escape_attr,
    escape_text,
    parse_document,
    parse_fragment,
    serialize,
)


def test_fragment_round_trip() -> None:
    html = '<div id="a" class="x y"><p>one <b>two</b></p><ul><li>1</li><li>2</li></ul></div>tail'
    assert serialize(parse_fragment(html)) == html


def test_fragment_parents_are_set() -> None:
    nodes = parse_fragment("<ul><li>a</li></ul>text")
    ul = nodes[0]
    assert isinstance(ul, HtmlElement) and ul.parent is None
    li = ul.children[0]
    assert isinstance(li, HtmlElement) and li.parent is ul
    assert nodes[1] == "text"


def test_void_elements_take_no_children_and_no_end_tag() -> None:
    nodes = parse_fragment('<p>a<br>b<input type="text" value="v">c<img src="x.png"></p>')
    p = nodes[0]
    assert isinstance(p, HtmlElement)
    assert [c.tag if isinstance(c, HtmlElement) else c for c in p.children] == ["a", "br", "b", "input", "c", "img"]
    assert serialize(p) == '<p>a<br>b<input type="text" value="v">c<img src="x.png"></p>'
    assert {"input", "br", "img", "meta", "link", "hr"} <= VOID_ELEMENTS


def test_self_closing_void_is_fine() -> None:
    assert serialize(parse_fragment("a<br/>b<hr />c")) == "a<br>b<hr>c"


def test_implicit_close_of_p_li_option() -> None:
    assert serialize(parse_fragment("<p>one<p>two<div>three</div>")) == "<p>one</p><p>two</p><div>three</div>"
    assert serialize(parse_fragment("<ul><li>a<li>b</ul>")) == "<ul><li>a</li><li>b</li></ul>"
    assert (
        serialize(parse_fragment("<select><option>a<option selected>b</select>"))
        == '<select><option>a</option><option selected="">b</option></select>'
    )


def test_nested_list_does_not_close_outer_li() -> None:
    html = "<ul><li>a<ul><li>b<li>c</ul></li><li>d</ul>"
    assert serialize(parse_fragment(html)) == "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"


def test_raw_text_in_script_and_style_is_verbatim() -> None:
    html = '<script>if (a < b && c) { x = "&amp;" }</script><style>p > b { content: "&lt;" }</style>'
    nodes = parse_fragment(html)
    script = nodes[0]
    assert isinstance(script, HtmlElement)
    assert script.children == ['if (a < b && c) { x = "&amp;" }']
    assert serialize(nodes) == html


def test_entities_decoded_in_text_and_attributes() -> None:
    nodes = parse_fragment('<a title="x &amp; &quot;y&quot;">&lt;b&gt; &copy; &#65;</a>')
    a = nodes[0]
    assert isinstance(a, HtmlElement)
    assert a.attrs == {"title": 'x & "y"'}
    assert a.children == ["<b> \u00a9 A"]
    # And escaped again on the way out.
    assert serialize(a) == '<a title="x &amp; &quot;y&quot;">&lt;b&gt; \u00a9 A</a>'


def test_comments_and_doctype_dropped() -> None:
    root = parse_document("<!DOCTYPE html><!-- hi --><p>x<!-- there --></p>")
    assert serialize(root) == "<html><head></head><body><p>x</p></body></html>"


def test_boolean_attributes_and_lowercase_names() -> None:
    nodes = parse_fragment('<INPUT Type="checkbox" CHECKED disabled>')
    el = nodes[0]
    assert isinstance(el, HtmlElement)
    assert el.tag == "input"
    assert el.attrs == {"type": "checkbox", "checked": "", "disabled": ""}


def test_duplicate_attribute_first_wins() -> None:
    el = parse_fragment('<p id="a" id="b"></p>')[0]
    assert isinstance(el, HtmlElement) and el.attrs == {"id": "a"}


def test_stray_end_tag_ignored_and_outer_end_closes_inner() -> None:
    assert serialize(parse_fragment("a</span>b")) == "ab"
    assert serialize(parse_fragment("<div><span>x</div>y")) == "<div><span>x</span></div>y"


def test_document_always_has_head_and_body() -> None:
    root = parse_document("hello")
    assert root.tag == "html"
    assert [c.tag for c in root.children if isinstance(c, HtmlElement)] == ["head", "body"]
    body = root.children[1]
    assert isinstance(body, HtmlElement) and body.children == ["hello"]


def test_document_sorts_head_and_body_content() -> None:
    root = parse_document(
        '<html lang="en"><title>T</title><meta charset="utf-8">'
        '<link rel="stylesheet" href="a.css"><p>para</p><script>x</script></html>'
    )
    assert root.attrs == {"lang": "en"}
    head, body = root.children
    assert isinstance(head, HtmlElement) and isinstance(body, HtmlElement)
    assert [c.tag for c in head.children if isinstance(c, HtmlElement)] == ["title", "meta", "link"]
    # Once body content started, a script stays in the body.
    assert [c.tag for c in body.children if isinstance(c, HtmlElement)] == ["p", "script"]


def test_document_explicit_head_body_attributes_merged() -> None:
    root = parse_document(
        '<!doctype html><html><head>\n  <title>x</title>\n</head>\n<body class="main">\n<p>a</p>\n</body></html>'
    )
    body = root.children[1]
    assert isinstance(body, HtmlElement)
    assert body.attrs == {"class": "main"}
    assert serialize(root).startswith("<html><head>")
    assert '<body class="main">\n<p>a</p>\n</body>' in serialize(root)


def test_escape_helpers() -> None:
    assert escape_text("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert escape_attr('say "hi" & <go>') == "say &quot;hi&quot; &amp; &lt;go&gt;"


def test_serialize_single_text_and_list() -> None:
    assert serialize("a<b") == "a&lt;b"
    assert serialize(["x", HtmlElement("br"), "y"]) == "x<br>y"


def test_deep_tree_does_not_hit_recursion_limit() -> None:
    html = "<div>" * 3000 + "x" + "</div>" * 3000
    nodes = parse_fragment(html)
    assert serialize(nodes) == html


def test_line_numbers_recorded() -> None:
    root = parse_document("<html>\n<body>\n<p>a</p>\n<script>b</script>\n</body>")
    body = root.children[1]
    assert isinstance(body, HtmlElement)
    lines = [c.line for c in body.children if isinstance(c, HtmlElement)]
    assert lines == [3, 4]


@pytest.mark.parametrize(
    "html",
    [
        '<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>',
        '<form><label for="a">A</label><input id="a" name="a"><button type="submit">Go</button></form>',
        '<textarea>line &amp; more</textarea>',
    ],
)
def test_round_trips(html: str) -> None:
    assert serialize(parse_fragment(html)) == html
