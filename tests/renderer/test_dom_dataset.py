"""``dataset`` (a live mapping, the DOM's camelCase <-> kebab rule), ``hidden`` and ``tab_index``."""

from __future__ import annotations

import pytest

from tkelectron.common._messages import RemoveAttr, SetAttr
from tkelectron.renderer._dom import Document, Element


def loaded(html: str) -> Document:
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html(html)
    doc.take_ops()
    return doc


def el(doc: Document, ident: str) -> Element:
    found = doc.get_element_by_id(ident)
    assert found is not None
    return found


def test_dataset_reads_data_attributes_with_the_doms_names() -> None:
    doc = loaded('<div id="d" data-user-id="7" data-x="1" data-long-name-here="z" title="t"></div>')
    ds = el(doc, "d").dataset
    assert dict(ds) == {"userId": "7", "x": "1", "longNameHere": "z"}
    assert ds["userId"] == ds.userId == "7"
    assert "x" in ds and "title" not in ds and len(ds) == 3
    with pytest.raises(KeyError):
        ds["missing"]
    with pytest.raises(AttributeError, match="no attribute 'data-missing'"):
        ds.missing  # noqa: B018 - the read is the test


def test_dataset_is_live_and_records_ops() -> None:
    doc = loaded('<div id="d"></div>')
    d = el(doc, "d")
    ds = d.dataset
    ds["userId"] = 42
    ds.theme = "dark"
    assert d.get_attribute("data-user-id") == "42" and d.get_attribute("data-theme") == "dark"
    d.set_attribute("data-new-thing", "n")
    assert ds["newThing"] == "n"  # a view, not a copy
    del ds["userId"]
    del ds.theme
    assert not d.has_attribute("data-user-id") and not d.has_attribute("data-theme")
    nid = Document.id_of(d)
    assert doc.take_ops() == [
        SetAttr(nid, "data-new-thing", "n"),
        RemoveAttr(nid, "data-user-id"),
        RemoveAttr(nid, "data-theme"),
    ]  # the sets were superseded by the removals
    with pytest.raises(KeyError):
        del ds["userId"]


def test_dataset_key_rules() -> None:
    d = el(loaded('<div id="d"></div>'), "d")
    with pytest.raises(ValueError, match="write 'userId'"):
        d.dataset["user-id"] = "1"  # the DOM's SyntaxError
    d.dataset["user_id"] = "1"  # snake_case is not translated
    assert d.get_attribute("data-user_id") == "1"
    d.dataset["x-"] = "2"  # '-' not before a lowercase letter is kept
    assert d.get_attribute("data-x-") == "2"
    assert dict(d.dataset) == {"user_id": "1", "x-": "2"}


def test_hidden_is_the_attribute() -> None:
    doc = loaded('<p id="p">x</p>')
    p = el(doc, "p")
    assert p.hidden is False
    p.hidden = True
    p.hidden = True
    assert p.get_attribute("hidden") == "" and p.hidden
    p.hidden = False
    assert not p.has_attribute("hidden")
    nid = Document.id_of(p)
    assert doc.take_ops() == [RemoveAttr(nid, "hidden")]  # the set was superseded


def test_tab_index_defaults_and_setting() -> None:
    doc = loaded('<a id="a" href="#">l</a><a id="plain">n</a><button id="b"></button><div id="d"></div>'
                 '<div id="t" tabindex="3"></div><span id="bad" tabindex="x"></span>'
                 '<input id="h" type="hidden"><div id="ce" contenteditable></div>')
    assert [el(doc, i).tab_index for i in ("a", "plain", "b", "d", "t", "bad", "h", "ce")] == [
        0, -1, 0, -1, 3, -1, -1, 0]
    d = el(doc, "d")
    d.tab_index = 2
    assert d.get_attribute("tabindex") == "2" and d.tab_index == 2
    with pytest.raises(TypeError, match="must be an int"):
        d.tab_index = "1"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        d.tab_index = True
