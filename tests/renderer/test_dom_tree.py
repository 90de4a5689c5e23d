"""The page-facing DOM API: tree, content, attributes, form state."""

from __future__ import annotations

import pytest

from tkelectron.renderer._dom import Document, Element, Text


def make(html: str = "") -> Document:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html(html)
    return doc


def test_document_structure() -> None:
    doc = make("<title> My  page </title><p id=x>hi</p>")
    assert doc.document_element is not None and doc.document_element.tag_name == "HTML"
    assert doc.head is not None and doc.head.tag_name == "HEAD"
    assert doc.body is not None and doc.body.children[0].id == "x"
    assert doc.title == "My page"
    assert doc.document_element.parent_node is doc
    assert doc.document_element.parent_element is None


def test_get_element_by_id_and_query() -> None:
    doc = make('<div id="a"><p class="c">1</p><p class="c">2</p></div>')
    a = doc.get_element_by_id("a")
    assert isinstance(a, Element)
    assert doc.get_element_by_id("nope") is None
    assert [p.text_content for p in a.query_selector_all(".c")] == ["1", "2"]
    assert a.query_selector("p") is a.children[0]
    assert a.children[1].closest("div") is a
    assert a.closest("p") is None
    assert a.matches("div#a") and not a.matches("p")


def test_children_vs_child_nodes_and_siblings() -> None:
    doc = make("<ul id=l>\n<li>a</li>\n<li>b</li>\n</ul>")
    ul = doc.get_element_by_id("l")
    assert ul is not None
    assert [li.text_content for li in ul.children] == ["a", "b"]
    assert len(ul.child_nodes) == 5
    assert isinstance(ul.first_child, Text) and ul.first_child.data == "\n"
    first_li = ul.children[0]
    assert isinstance(first_li.next_sibling, Text)
    assert first_li.next_sibling.next_sibling is ul.children[1]
    assert first_li.previous_sibling is ul.first_child
    assert ul.last_child is not None and ul.last_child.previous_sibling is ul.children[1]


def test_append_insert_remove_replace() -> None:
    doc = make("<div id=d></div>")
    d = doc.get_element_by_id("d")
    assert d is not None
    a, b, c = (doc.create_element("span") for _ in range(3))
    a.text_content, b.text_content, c.text_content = "a", "b", "c"
    assert d.append_child(a) is a
    d.insert_before(c, None)
    d.insert_before(b, c)
    assert d.text_content == "abc"
    assert d.remove_child(b) is b and b.parent_element is None
    assert d.text_content == "ac"
    assert d.replace_child(b, a) is a
    assert d.text_content == "bc" and a.parent_node is None
    c.remove()
    c.remove()  # removing a detached node is a no-op
    assert d.text_content == "b"
    with pytest.raises(ValueError):
        d.remove_child(c)
    with pytest.raises(ValueError):
        d.insert_before(a, c)  # c is not a child of d


def test_moving_a_node_detaches_it_first() -> None:
    doc = make("<div id=a><b id=x>x</b></div><div id=b></div>")
    x = doc.get_element_by_id("x")
    a, b = doc.get_element_by_id("a"), doc.get_element_by_id("b")
    assert x is not None and a is not None and b is not None
    b.append_child(x)
    assert a.children == [] and b.children == [x] and x.parent_element is b


def test_cannot_insert_into_own_descendant() -> None:
    doc = make("<div id=a><p id=b></p></div>")
    a, b = doc.get_element_by_id("a"), doc.get_element_by_id("b")
    assert a is not None and b is not None
    with pytest.raises(ValueError):
        b.append_child(a)
    with pytest.raises(ValueError):
        a.append_child(a)
    with pytest.raises(TypeError):
        a.append_child("text")  # type: ignore[arg-type]


def test_contains() -> None:
    doc = make("<div id=a><p id=b>t</p></div><p id=c></p>")
    a, b, c = (doc.get_element_by_id(i) for i in "abc")
    assert a is not None and b is not None
    assert a.contains(a) and a.contains(b) and a.contains(b.first_child) and not a.contains(c)


def test_text_content_inner_text_inner_html_outer_html() -> None:
    doc = make('<div id=d>a<b class="x">b</b><script>s</script></div>')
    d = doc.get_element_by_id("d")
    assert d is not None
    assert d.text_content == "abs"
    assert d.inner_text == "ab"
    assert d.inner_html == 'a<b class="x">b</b><script>s</script>'
    assert d.outer_html == '<div id="d">a<b class="x">b</b><script>s</script></div>'
    d.inner_html = "<i>1</i> &amp; <i>2</i>"
    assert [c.tag_name for c in d.children] == ["I", "I"]
    assert d.text_content == "1 & 2"
    d.text_content = "<plain>"
    assert d.inner_html == "&lt;plain&gt;"
    assert len(d.child_nodes) == 1
    d.inner_text = ""
    assert d.child_nodes == []


def test_text_nodes() -> None:
    doc = make("<p id=p>hi</p>")
    p = doc.get_element_by_id("p")
    assert p is not None
    t = p.first_child
    assert isinstance(t, Text)
    assert t.data == t.node_value == t.text_content == "hi"
    t.data = "bye"
    assert p.text_content == "bye"
    assert t.parent_element is p
    t.remove()
    assert p.child_nodes == [] and t.parent_element is None
    n = doc.create_text_node("x<y")
    p.append_child(n)
    assert p.inner_html == "x&lt;y"


def test_attributes_are_not_showing_node_ids() -> None:
    doc = make('<p id="p" title="t">x</p>')
    p = doc.get_element_by_id("p")
    assert p is not None
    assert p.attributes == {"id": "p", "title": "t"}
    assert "data-tke-id" not in p.outer_html
    assert p.get_attribute("data-tke-id") is None
    with pytest.raises(ValueError):
        p.set_attribute("data-tke-id", "5")


def test_attribute_methods() -> None:
    doc = make("<p id=p></p>")
    p = doc.get_element_by_id("p")
    assert p is not None
    p.set_attribute("Title", 12)
    assert p.get_attribute("title") == "12" and p.has_attribute("TITLE")
    p.remove_attribute("title")
    assert not p.has_attribute("title") and p.get_attribute("title") is None
    attrs = p.attributes
    attrs["x"] = "y"
    assert not p.has_attribute("x")
    with pytest.raises(ValueError):
        p.set_attribute("bad name", "v")


def test_id_class_name_class_list() -> None:
    doc = make('<p id=p class="a b"></p>')
    p = doc.get_element_by_id("p")
    assert p is not None
    assert p.class_name == "a b"
    cl = p.class_list
    assert list(cl) == ["a", "b"] and len(cl) == 2 and "a" in cl and cl.contains("b")
    cl.add("c", "a")
    assert p.class_name == "a b c"
    cl.remove("a")
    assert p.class_name == "b c"
    assert cl.toggle("b") is False and cl.toggle("d") is True
    assert cl.toggle("d", True) is True
    assert p.class_name == "c d"
    with pytest.raises(ValueError):
        cl.add("has space")
    p.id = "q"
    assert doc.get_element_by_id("q") is p
    p.class_name = "z"
    assert list(p.class_list) == ["z"]


def test_style_mapping() -> None:
    doc = make('<p id=p style="color: red; margin:0"></p>')
    p = doc.get_element_by_id("p")
    assert p is not None
    assert p.style["color"] == "red" and p.style["margin"] == "0"
    assert p.style["padding"] == ""
    p.style["background-color"] = "blue"
    p.style["font_size"] = "12px"  # Python spelling accepted
    assert p.get_attribute("style") == "color: red; margin: 0; background-color: blue; font-size: 12px"
    del p.style["margin"]
    p.style["color"] = ""
    assert dict(p.style.items()) == {"background-color": "blue", "font-size": "12px"}
    assert "font-size" in p.style and len(p.style) == 2
    p.style.color = "green"
    assert p.style.color == "green"
    for name in list(p.style):
        del p.style[name]
    assert not p.has_attribute("style")


def test_value_of_inputs_textarea_select() -> None:
    doc = make(
        '<input id=i value="init"><textarea id=t>hello &amp; bye</textarea>'
        '<select id=s><option value=1>One</option><option>  Two  </option></select>'
        "<input id=c type=checkbox><input id=n>"
    )
    i, t, s, c, n = (doc.get_element_by_id(x) for x in "itscn")
    assert i is not None and t is not None and s is not None and c is not None and n is not None
    assert i.value == "init" and n.value == ""
    i.set_attribute("value", "attr")
    assert i.value == "attr"  # not dirty yet: follows the attribute
    i.value = "typed"
    i.set_attribute("value", "later")
    assert i.value == "typed" and i.get_attribute("value") == "later"
    assert t.value == "hello & bye"
    t.value = "new"
    assert t.value == "new" and t.text_content == "hello & bye"
    assert s.value == "1"
    s.value = "Two"
    assert s.value == "Two"
    s.value = "missing"
    assert s.value == ""
    assert c.value == "on"


def test_checked_and_disabled() -> None:
    doc = make(
        "<input id=a type=checkbox checked><input id=b type=checkbox>"
        "<input id=r1 type=radio name=g checked><input id=r2 type=radio name=g><input id=r3 type=radio name=h checked>"
    )
    a, b = doc.get_element_by_id("a"), doc.get_element_by_id("b")
    r1, r2, r3 = (doc.get_element_by_id(x) for x in ("r1", "r2", "r3"))
    assert a is not None and b is not None and r1 is not None and r2 is not None and r3 is not None
    assert a.checked and not b.checked
    a.checked = False
    assert not a.checked and a.has_attribute("checked")
    r2.checked = True
    assert not r1.checked and r2.checked and r3.checked  # other group untouched
    assert not b.disabled
    b.disabled = True
    assert b.has_attribute("disabled") and b.disabled
    b.disabled = False
    assert not b.has_attribute("disabled")


def test_create_element_validates_tag() -> None:
    doc = make()
    assert doc.create_element("DIV").tag_name == "DIV"
    with pytest.raises(ValueError):
        doc.create_element("no spaces")


def test_title_set_updates_title_element() -> None:
    doc = make("<p>x</p>")
    assert doc.title == ""
    doc.title = "Hello"
    assert doc.title == "Hello"
    assert doc.head is not None and doc.head.query_selector("title") is not None


def test_node_by_id_only_connected() -> None:
    doc = make("<p id=p>x</p>")
    p = doc.get_element_by_id("p")
    assert p is not None
    nid = Document.id_of(p)
    assert doc.node_by_id(nid) is p
    assert doc.document_element is not None and Document.id_of(doc.document_element) == 1
    p.remove()
    assert doc.node_by_id(nid) is None
    assert doc.node_by_id(99999) is None


def test_node_by_id_finds_elements_after_sweeps_and_never_text() -> None:
    doc = make("<ul id=list></ul>")
    ul = doc.get_element_by_id("list")
    assert ul is not None
    kept = []
    for i in range(5000):  # enough to sweep the id table several times
        li = doc.create_element("li")
        li.text_content = f"row {i}"
        if i % 1000 == 0:
            ul.append_child(li)
            kept.append(li)
    for li in kept:
        assert doc.node_by_id(Document.id_of(li)) is li
        text = li.first_child
        assert text is not None and doc.node_by_id(Document.id_of(text)) is None
    assert len(doc._nodes) < 5000  # dropped rows' entries were swept
    ids = [Document.id_of(li) for li in kept]
    assert len(set(ids)) == len(ids)
