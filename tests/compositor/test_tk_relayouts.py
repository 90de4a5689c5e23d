"""A click lays a big page out once: no layout forced for a restyle, the :active clear held for the commit.

``::tke::settle`` (hit tests, tkinterweb's layout reads) forces Tkhtml's
pending layout only while nodes that left the tree may still be in the last
one; :class:`ActiveLook` holds a release's ``active`` clear back until the
click's commit once the pressed look was laid out.
"""

from __future__ import annotations

import time
import tkinter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tkelectron.main.compositor._tk_active import HOLD, ActiveLook
from tkelectron.main.compositor._tk_dom import TkDom
from tkelectron.main.compositor._tk_stale_layout import guard_layout_reads

from .conftest import plain_page

pytestmark = pytest.mark.tk


@pytest.fixture
def page(tk_root: tkinter.Tk) -> Iterator[Any]:
    with plain_page(tk_root, '<p><button id="btn">Click</button></p><p id="label">0</p>') as html:
        yield html


def _forces(html: Any) -> list[int]:
    """A list that grows by one each time ``$html _force`` runs."""
    seen: list[int] = []
    cmd = html.register(lambda *args: seen.append(1) if "_force" in " ".join(map(str, args)) else None)
    html.tk.call("trace", "add", "execution", html._w, "enter", cmd)
    return seen


def _until(root: Any, cond: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10.0
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        root.update()


def test_a_hit_test_forces_the_layout_only_after_a_removal(page: Any) -> None:
    html = page
    guard_layout_reads(html)
    dom = TkDom(html)
    button, = dom.search("#btn")
    label, = dom.search("#label")
    forced = _forces(html)
    html.tk.call(button, "dynamic", "set", "active")  # a restyle: the layout is pending
    html.tk.call(button, "attribute", "title", "x")
    dom.hit(5, 5)
    html.node(5, 5)  # tkinterweb's read, through the guard
    assert forced == []
    assert dom.set_text(label, "1") is not None  # the old text node leaves the tree
    dom.hit(5, 5)
    assert forced == [1]
    html.update()  # the layout, then the reap two idle rounds on
    html.update()
    dom.hit(5, 5)
    html.node(5, 5)
    assert forced == [1]


def test_a_removal_the_careful_way_is_recorded_too(page: Any) -> None:
    html = page
    dom = TkDom(html)
    forced = _forces(html)
    dom.removed()
    dom.hit(5, 5)
    assert forced == [1]


def _flags(html: Any, node: str) -> str:
    return " ".join(map(str, html.tk.splitlist(html.tk.call(node, "dynamic", "set"))))


@pytest.fixture
def pressable(page: Any) -> Iterator[tuple[Any, ActiveLook, str]]:
    """The page's html widget with an :class:`ActiveLook` installed, the look, and the button's node."""
    look = ActiveLook(page)
    button, = TkDom(page).search("#btn")
    try:
        yield page, look, button
    finally:
        look.close()


def test_a_laid_out_press_keeps_its_look_until_the_commit(pressable: tuple[Any, ActiveLook, str]) -> None:
    html, look, button = pressable
    html.set_node_flags(button, "active")
    html.update()  # the pressed look is laid out
    html.remove_node_flags(button, "active")
    assert _flags(html, button) == "active"
    look.release()  # the click's commit
    assert _flags(html, button) == ""
    html.set_node_flags(button, "hover")
    html.remove_node_flags(button, "hover")  # other flags pass through
    assert _flags(html, button) == ""


def _pending_after(html: Any) -> dict[str, tuple[str, ...]]:
    tk = html.tk
    return {str(i): tuple(map(str, tk.call("after", "info", i))) for i in tk.splitlist(tk.call("after", "info"))}


def test_a_press_queues_no_python_for_its_idle_round(pressable: tuple[Any, ActiveLook, str]) -> None:
    """Whether the pressed look was laid out is told by a no-op Tcl ``after idle``
    (gone from the queue once the round ran), not by a Python callback made for it."""
    html, _, button = pressable
    before = _pending_after(html)
    html.set_node_flags(button, "active")
    queued = [info for after_id, info in _pending_after(html).items() if after_id not in before]
    assert queued == [("list", "idle")]
    html.remove_node_flags(button, "active")  # released before the round: cleared, the marker dropped
    assert _flags(html, button) == "" and set(_pending_after(html)) <= set(before)


def test_a_press_released_before_any_idle_round_is_cleared_at_once(pressable: tuple[Any, ActiveLook, str]) -> None:
    html, _, button = pressable
    html.set_node_flags(button, "active")
    html.remove_node_flags(button, "active")
    assert _flags(html, button) == ""


def test_without_a_commit_the_look_comes_off_after_the_hold(pressable: tuple[Any, ActiveLook, str]) -> None:
    html, _, button = pressable
    html.set_node_flags(button, "active")
    html.update()
    html.remove_node_flags(button, "active")
    assert _flags(html, button) == "active"
    assert HOLD < 1.0
    _until(html, lambda: _flags(html, button) == "")


def test_removed_nodes_are_destroyed_after_the_redraw_not_in_its_idle_rounds(page: Any) -> None:
    html = page
    dom = TkDom(html)
    label, = dom.search("#label")
    old, = dom.children(label)
    assert dom.set_text(label, "1") == old  # the old text node leaves the tree
    html.tk.call("update", "idletasks")  # the layout and the redraw it schedules
    assert html.tk.call("info", "commands", old), "destroyed within the idle rounds that draw the change"
    assert int(html.tk.call("array", "size", "::tke::doomed")) == 1
    html.update()  # the timer after them
    assert not html.tk.call("info", "commands", old)
    assert int(html.tk.call("array", "size", "::tke::doomed")) == 0


def _searches(html: Any) -> list[int]:
    """A list that grows by one each time ``$html search`` runs."""
    seen: list[int] = []
    cmd = html.register(lambda *args: seen.append(1) if " search " in f" {' '.join(map(str, args))} " else None)
    html.tk.call("trace", "add", "execution", html._w, "enter", cmd)
    return seen


def test_rows_of_text_are_indexed_without_a_search_each(page: Any) -> None:
    """A slice of a long list's refill is indexed row by row (the list holds
    more than the slice): a row holding only text is read, not searched; a
    row with an element inside still finds its descendants' ids."""
    html = page
    dom = TkDom(html)
    body, = dom.search("body")
    dom.insert(body, None, '<ul id="list">' + "".join(f'<li data-tke-id="{i}">row {i}</li>' for i in range(100)) + "</ul>")
    listing, = dom.search("#list")
    searches = _searches(html)
    ids, _ = dom.insert(listing, None, "".join(f'<li data-tke-id="{i}">row {i}</li>' for i in range(100, 140)),
                        with_controls=False)
    assert sorted(ids) == list(range(100, 140))
    assert searches == []
    ids, _ = dom.insert(listing, None, '<li data-tke-id="200">a <b data-tke-id="201">bold</b> row</li>',
                        with_controls=False)
    assert sorted(ids) == [200, 201] and searches == [1]
