"""The ops a DOM records for the display, and how they coalesce."""

from __future__ import annotations

from tkelectron.common._html import HtmlElement, parse_fragment
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
from tkelectron.renderer._dom import Document, Element, Text
from tkelectron.renderer._dom_ops import OpLog


def loaded(html: str) -> Document:
    """A document whose initial ReplaceDocument was already taken."""
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html(html)
    doc.take_ops()
    return doc


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


def nid(node: object) -> int:
    return Document.id_of(node)  # type: ignore[arg-type]


def test_first_take_is_one_replace_document_with_ids_and_style() -> None:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html("<head><style>p{color:red}</style></head><body><p id=p>x</p></body>")
    ops = doc.take_ops()
    assert ops == [
        ReplaceDocument(
            '<html data-tke-id="1"><head data-tke-id="2"><style data-tke-id="3">p{color:red}</style></head>'
            '<body data-tke-id="5"><p data-tke-id="6" id="p">x</p></body></html>'
        )
    ]
    assert doc.take_ops() == []


def test_mutations_before_first_take_are_folded_into_replace_document() -> None:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html("<p id=p>x</p><input id=i>")
    el(doc, "p").text_content = "changed"
    el(doc, "i").value = "typed"
    el(doc, "i").focus()
    doc.title = "T"
    ops = doc.take_ops()
    assert isinstance(ops[0], ReplaceDocument)
    assert ">changed</p>" in ops[0].html and 'value="typed"' in ops[0].html
    assert ops[1:] == [Focus(nid(el(doc, "i"))), SetTitle("T")]


def test_every_element_carries_its_id_in_display_html() -> None:
    doc = loaded("<div><p>a <b>b</b></p><br></div>")
    html = doc.serialize_for_display()
    tree = parse_fragment(html)[0]
    assert isinstance(tree, HtmlElement)
    todo = [tree]
    seen = 0
    while todo:
        node = todo.pop()
        assert doc.node_by_id(int(node.attrs["data-tke-id"])) is not None
        seen += 1
        todo.extend(c for c in node.children if isinstance(c, HtmlElement))
    assert seen == 7  # html head body div p b br


def test_detached_subtree_attached_is_one_insert() -> None:
    doc = loaded("<ul id=l></ul>")
    ul = el(doc, "l")
    box = doc.create_element("div")
    for i in range(100):
        li = doc.create_element("li")
        li.text_content = f"item {i}"
        li.class_list.add("x")
        li.style["color"] = "red"
        box.append_child(li)
    assert doc.take_ops() == []  # nothing recorded while detached
    ul.append_child(box)
    ops = doc.take_ops()
    assert len(ops) == 1
    op = ops[0]
    assert isinstance(op, Insert) and op.parent == nid(ul) and op.before is None
    assert op.html.count("<li ") == 100
    assert f'<li data-tke-id="{nid(box.children[5])}" class="x" style="color: red">item 5</li>' in op.html


def test_consecutive_inserts_merge() -> None:
    doc = loaded("<ul id=l><li id=end>end</li></ul>")
    ul, end = el(doc, "l"), el(doc, "end")
    items = []
    for i in range(3):
        li = doc.create_element("li")
        li.text_content = str(i)
        items.append(li)
        ul.insert_before(li, end)
    for i in range(2):
        li = doc.create_element("li")
        li.text_content = f"tail{i}"
        ul.append_child(li)
    ops = doc.take_ops()
    assert [type(o) for o in ops] == [Insert, Insert]
    first, second = ops
    assert isinstance(first, Insert) and isinstance(second, Insert)
    assert first.before == nid(end)
    assert first.html == "".join(f'<li data-tke-id="{nid(li)}">{i}</li>' for i, li in enumerate(items))
    assert second.before is None and second.html.count("<li") == 2
    assert [c.text_content for c in ul.children] == ["0", "1", "2", "end", "tail0", "tail1"]


def test_insert_before_text_node_is_set_html() -> None:
    doc = loaded("<p id=p>text</p>")
    p = el(doc, "p")
    b = doc.create_element("b")
    p.insert_before(b, p.first_child)
    assert doc.take_ops() == [SetHTML(nid(p), f'<b data-tke-id="{nid(b)}"></b>text')]


def test_remove_element_and_text() -> None:
    doc = loaded("<p id=p>a<b id=b>b</b>c</p>")
    p, b = el(doc, "p"), el(doc, "b")
    b.remove()
    assert doc.take_ops() == [Remove(nid(b))]
    assert p.first_child is not None
    p.first_child.remove()
    assert doc.take_ops() == [SetHTML(nid(p), "c")]


def test_moving_connected_node_is_remove_then_insert() -> None:
    doc = loaded("<div id=a><i id=x>x</i></div><div id=b></div>")
    x, b = el(doc, "x"), el(doc, "b")
    b.append_child(x)
    assert doc.take_ops() == [Remove(nid(x)), Insert(nid(b), f'<i data-tke-id="{nid(x)}" id="x">x</i>', None)]


def test_text_changes() -> None:
    doc = loaded("<p id=p>hi</p><p id=q>a<b>b</b></p>")
    p, q = el(doc, "p"), el(doc, "q")
    p.text_content = "one"
    assert doc.take_ops() == [SetText(nid(p), "one")]
    p.inner_text = "two"
    assert doc.take_ops() == [SetText(nid(p), "two")]
    text = p.first_child
    assert isinstance(text, Text)
    text.data = "three"  # the only child: SetText of the parent
    assert doc.take_ops() == [SetText(nid(p), "three")]
    q_text = q.first_child
    assert isinstance(q_text, Text)
    q_text.data = "A"  # not the only child: SetHTML of the parent
    bold = q.children[0]
    assert doc.take_ops() == [SetHTML(nid(q), f'A<b data-tke-id="{nid(bold)}">b</b>')]


def test_inner_html_set_is_set_html_with_fresh_ids() -> None:
    doc = loaded("<div id=d></div>")
    d = el(doc, "d")
    d.inner_html = "<span>1</span><span>2</span>"
    spans = d.children
    assert doc.take_ops() == [
        SetHTML(nid(d), f'<span data-tke-id="{nid(spans[0])}">1</span><span data-tke-id="{nid(spans[1])}">2</span>')
    ]
    spans[1].set_attribute("class", "hot")
    assert doc.take_ops() == [SetAttr(nid(spans[1]), "class", "hot")]


def test_attribute_ops() -> None:
    doc = loaded("<button id=b class=a>x</button>")
    b = el(doc, "b")
    n = nid(b)
    b.set_attribute("title", "t")
    b.remove_attribute("title")
    b.remove_attribute("never-there")  # no op for a missing attribute
    b.class_list.add("c")
    b.style["color"] = "red"
    b.disabled = True
    b.id = "b2"
    assert doc.take_ops() == [
        RemoveAttr(n, "title"),
        SetAttr(n, "class", "a c"),
        SetAttr(n, "style", "color: red"),
        SetAttr(n, "disabled", ""),
        SetAttr(n, "id", "b2"),
    ]
    b.disabled = False
    b.class_name = "z"
    assert doc.take_ops() == [RemoveAttr(n, "disabled"), SetAttr(n, "class", "z")]


def test_value_and_checked_are_not_attribute_ops() -> None:
    doc = loaded("<input id=i><input id=c type=checkbox><select id=s><option>a</option><option>b</option></select>")
    i, c, s = el(doc, "i"), el(doc, "c"), el(doc, "s")
    i.value = "v"
    c.checked = True
    s.value = "b"
    assert doc.take_ops() == [SetValue(nid(i), "v"), SetChecked(nid(c), True), SetValue(nid(s), "b")]
    i.set_attribute("value", "attr")
    c.set_attribute("checked", "")
    assert doc.take_ops() == [SetAttr(nid(i), "value", "attr"), SetAttr(nid(c), "checked", "")]


def test_radio_property_set_records_group_uncheck() -> None:
    doc = loaded("<input id=a type=radio name=g checked><input id=b type=radio name=g>")
    a, b = el(doc, "a"), el(doc, "b")
    b.checked = True
    assert doc.take_ops() == [SetChecked(nid(b), True), SetChecked(nid(a), False)]


def test_same_key_ops_keep_only_the_last() -> None:
    doc = loaded("<p id=p>x</p><p id=q>y</p><input id=i>")
    p, q, i = el(doc, "p"), el(doc, "q"), el(doc, "i")
    for k in range(50):
        p.text_content = f"p{k}"
        q.text_content = f"q{k}"
        p.style["width"] = f"{k}px"
        i.value = str(k)
    # Each kept op sits where its last version was recorded.
    assert doc.take_ops() == [
        SetText(nid(p), "p49"),
        SetText(nid(q), "q49"),
        SetAttr(nid(p), "style", "width: 49px"),
        SetValue(nid(i), "49"),
    ]


def test_set_html_is_not_dropped_when_later_ops_address_its_children() -> None:
    doc = loaded("<div id=d></div><p id=other></p>")
    d, other = el(doc, "d"), el(doc, "other")
    d.inner_html = "<b>1</b>"
    b = d.children[0]
    b.set_attribute("class", "k")
    other.text_content = "unrelated"
    d.text_content = "plain"
    ops = doc.take_ops()
    assert ops == [
        SetHTML(nid(d), f'<b data-tke-id="{nid(b)}">1</b>'),
        SetAttr(nid(b), "class", "k"),
        SetText(nid(other), "unrelated"),
        SetText(nid(d), "plain"),
    ]


def test_consecutive_content_ops_on_one_node_collapse() -> None:
    doc = loaded("<div id=d></div>")
    d = el(doc, "d")
    d.inner_html = "<b>1</b>"
    d.text_content = "t"
    d.inner_html = "<i>2</i>"
    ops = doc.take_ops()
    assert ops == [SetHTML(nid(d), f'<i data-tke-id="{nid(d.children[0])}">2</i>')]


def test_detached_mutations_record_nothing_and_insert_shows_live_state() -> None:
    doc = loaded("<form id=f></form>")
    f = el(doc, "f")
    box = doc.create_element("input")
    box.set_attribute("type", "checkbox")
    box.checked = True
    text = doc.create_element("textarea")
    text.value = "a<b"
    sel = doc.create_element("select")
    sel.inner_html = "<option>x</option><option>y</option>"
    sel.value = "y"
    assert doc.take_ops() == []
    f.append_child(box)
    f.append_child(text)
    f.append_child(sel)
    (op,) = doc.take_ops()
    assert isinstance(op, Insert)
    assert 'type="checkbox" checked=""' in op.html
    assert ">a&lt;b</textarea>" in op.html
    assert '<option data-tke-id="' in op.html and '" selected="">y</option>' in op.html


def test_removed_node_mutations_record_nothing() -> None:
    doc = loaded("<p id=p>x</p>")
    p = el(doc, "p")
    p.remove()
    doc.take_ops()
    p.text_content = "gone"
    p.set_attribute("a", "b")
    p.focus()
    assert doc.take_ops() == []


def test_focus_and_title() -> None:
    doc = loaded("<title>a</title><input id=i>")
    i = el(doc, "i")
    i.focus()
    doc.title = "b"
    doc.title = "c"
    assert doc.take_ops() == [Focus(nid(i)), SetTitle("c")]
    assert doc.title == "c" and doc.active_element is i


def test_on_ops_hook_called() -> None:
    doc = loaded("<p id=p></p>")
    calls: list[int] = []
    doc._on_ops = lambda: calls.append(1)
    el(doc, "p").text_content = "x"
    assert calls == [1]
    doc.load_html("<p></p>")
    assert len(calls) == 2


def test_on_ops_hook_called_once_per_take() -> None:
    """The owner is told when the log gains its first op; the ops after it
    (a list's rows) until the next take need no call of their own."""
    doc = loaded("<ul id=u></ul><p id=p></p>")
    calls: list[int] = []
    doc._on_ops = lambda: calls.append(1)
    ul = el(doc, "u")
    ul.text_content = ""
    for i in range(5):
        li = doc.create_element("li")
        li.text_content = str(i)
        ul.append_child(li)
    el(doc, "p").set_attribute("title", "t")
    assert calls == [1]
    assert len(doc.take_ops()) == 3  # SetText, the rows' Insert, SetAttr
    ul.append_child(doc.create_element("li"))
    assert calls == [1, 1]
    doc.take_ops()
    doc.title = "t"
    doc.title = "u"
    assert calls == [1, 1, 1]


def test_oplog_insert_merge_requires_same_position() -> None:
    log = OpLog()
    log.add(Insert(1, "<a>", None))
    log.add(Insert(1, "<b>", 5))
    log.add(Insert(2, "<c>", 5))
    log.add(Insert(2, "<d>", 5))
    assert log.take() == [Insert(1, "<a>", None), Insert(1, "<b>", 5), Insert(2, "<c><d>", 5)]
    assert log.take() == []
    for i in range(1000):
        log.add(Insert(3, f"<i{i}>", None))
    log.add(SetAttr(3, "k", "v"))
    log.add(Insert(3, "<z>", None))
    ops = log.take()
    assert ops == [Insert(3, "".join(f"<i{i}>" for i in range(1000)), None), SetAttr(3, "k", "v"), Insert(3, "<z>", None)]
