"""Clicks select nothing: an empty selection and a button's label are never tagged (``_tk_selection``)."""

from __future__ import annotations

import tkinter
from collections.abc import Iterator
from typing import Any

import pytest

from tkelectron.main.compositor._tk_selection import skip_empty_selection

from .conftest import plain_page

pytestmark = pytest.mark.tk


@pytest.fixture
def page(tk_root: tkinter.Tk) -> Iterator[tuple[Any, list[tuple[str, ...]]]]:
    """A tkinterweb widget with a button and a paragraph, and the ``tag`` calls it makes."""
    with plain_page(tk_root, '<p><button id="btn">Click</button></p><p id="text">Some words here</p>') as html:
        skip_empty_selection(html)
        calls: list[tuple[str, ...]] = []
        tag = html.tag

        def spy(*args: Any) -> Any:
            calls.append(tuple(map(str, args[:2])))
            return tag(*args)

        html.tag = spy
        yield html, calls


def _text_node(html: Any, selector: str) -> Any:
    return html.get_node_children(html.search(selector)[0])


def _select(html: Any, node: Any, start: int, end: int) -> None:
    manager = html.selection_manager
    manager.begin_selection(node, start)
    manager.extend_selection(node, end)
    manager.update_selection()


def test_text_dragged_over_is_selected_and_tagged(page: tuple[Any, list[tuple[str, ...]]]) -> None:
    html, calls = page
    _select(html, _text_node(html, "#text"), 0, 4)
    assert ("add", "selection") in calls
    assert html.selection_manager.get_selection() == "Some"


def test_a_click_tags_nothing(page: tuple[Any, list[tuple[str, ...]]]) -> None:
    html, calls = page
    node = _text_node(html, "#text")
    _select(html, node, 0, 4)
    calls.clear()
    _select(html, node, 2, 2)  # pressed and released at one point
    assert ("add", "selection") not in calls
    assert ("delete", "selection") in calls  # the earlier selection's highlight goes
    assert not html.selection_manager.get_selection()
    calls.clear()
    _select(html, node, 3, 3)
    assert calls == []  # nothing was tagged: nothing to take away either


def test_a_buttons_label_is_not_selected(page: tuple[Any, list[tuple[str, ...]]]) -> None:
    """As in a browser: a double click on a button does not select its label."""
    html, calls = page
    _select(html, _text_node(html, "#btn"), 0, 5)  # what tkinterweb's double click asks for
    assert ("add", "selection") not in calls
    assert not html.selection_manager.get_selection()
