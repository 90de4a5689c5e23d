"""A list refilled in one commit (emptied, then appended to) is checked as one
new content (``CommitRules._refill``), exactly as the two ops would be.

Every case goes through the commit rules twice from the same page: once as
one commit (where the two ops may become one ``SetHTML``) and once as two
commits, the clear alone and then the append, which nothing merges. They
must agree on the shadow of the page afterwards and on the violation raised
(its message too), and the merged commit's ops must do what the two do. The
elements the merge leaves alone (raw text, void, a textarea or select, the
document's own, an append before a child or into another element) keep
their two ops.
"""

from __future__ import annotations

from typing import Any

import pytest
import trio
from test_fragment_scan import _run, _shadow  # the sibling test module's helpers

from tkelectron.common._messages import Insert, Op, ReplaceDocument, SetHTML, SetText
from tkelectron.main._commit_rules import LIMITS, CommitLimits, CommitRules

_PAGE = ('<html data-tke-id="1"><head data-tke-id="2"><style data-tke-id="12"></style></head>'
         '<body data-tke-id="3"><ul data-tke-id="4"><li data-tke-id="40">old</li><li data-tke-id="41">old</li></ul>'
         '<div data-tke-id="5"><p data-tke-id="50">x</p></div><textarea data-tke-id="6">t</textarea>'
         '<select data-tke-id="7"><option data-tke-id="70">o</option></select><br data-tke-id="8">'
         '<p data-tke-id="9">y</p></body></html>')


def _rows(first: int, count: int) -> str:
    return "".join(f'<li data-tke-id="{first + i}">row {i}</li>' for i in range(count))


def _checked(commits: list[list[Op]], limits: CommitLimits, fast: bool) -> tuple[list[Any], CommitRules]:
    rules = CommitRules(1, limits, fast=fast)
    return trio.run(_run, rules, [[ReplaceDocument(_PAGE)], *commits]), rules


def _both(clear: SetText, then: Op, limits: CommitLimits = LIMITS) -> list[list[Any]]:
    """The merged commit's results; asserts it agrees with the two commits, on both paths."""
    merged = []
    for fast in (True, False):
        one, one_rules = _checked([[clear, then]], limits, fast)
        two, two_rules = _checked([[clear], [then]], limits, fast)
        assert _shadow(one_rules) == _shadow(two_rules)
        if isinstance(two[-1], tuple):  # a violation: the same one
            assert one[-1] == two[-1]
        else:
            assert isinstance(one[-1], list)
        merged.append(one[-1])
    return merged


@pytest.mark.parametrize("parent", [4, 5, 9])
def test_a_refill_is_one_new_content_and_agrees_with_its_two_ops(parent: int) -> None:
    for fast_ops in _both(SetText(parent, ""), Insert(parent, _rows(100, 30))):
        assert fast_ops == [SetHTML(parent, _rows(100, 30))]


def test_a_refill_past_a_slice_starts_with_the_new_content_and_appends_the_rest() -> None:
    limits = CommitLimits(slice_elements=10)
    rows = [f'<li data-tke-id="{100 + i}">row {i}</li>' for i in range(25)]
    for ops in _both(SetText(4, ""), Insert(4, "".join(rows)), limits):
        assert ops == [SetHTML(4, "".join(rows[:10])), Insert(4, "".join(rows[10:20])), Insert(4, "".join(rows[20:]))]


@pytest.mark.parametrize("then", [
    Insert(4, _rows(40, 2)),  # the rows it just cleared, under their old ids: shown no more, so welcome
    Insert(4, _rows(100, 2) + '<li data-tke-id="100">again</li>'),  # a repeated id
    Insert(4, _rows(100, 2) + '<li data-tke-id="50">shown</li>'),  # an id shown elsewhere
    Insert(4, _rows(100, 2) + '<li data-tke-id="x">bad</li>'),  # not an id
    Insert(4, '<li data-tke-id="100"><script data-tke-id="101">x</script></li>'),  # dropped content
])
def test_a_refill_meets_every_check_its_append_would(then: Insert) -> None:
    _both(SetText(4, ""), then)


def test_a_refill_over_the_window_s_limit_is_the_same_violation() -> None:
    limits = CommitLimits(window_elements=30)
    fast, careful = _both(SetText(4, ""), Insert(4, _rows(100, 40)), limits)
    assert fast[0] == "violation" and "over the limit of 30" in fast[1] and fast == careful


@pytest.mark.parametrize(("clear", "then"), [
    (SetText(4, ""), Insert(4, _rows(100, 3), 40)),  # before a child: the clear removed it
    (SetText(4, ""), Insert(5, _rows(100, 3))),  # into another element
    (SetText(4, "text"), Insert(4, _rows(100, 3))),  # the clear leaves text
    (SetText(12, ""), Insert(12, "p { color: red }")),  # raw text: a style sheet
    (SetText(6, ""), Insert(6, "new")),  # a textarea's text
    (SetText(7, ""), Insert(7, '<option data-tke-id="100">n</option>')),  # a select's options
    (SetText(8, ""), Insert(8, _rows(100, 3))),  # void
    (SetText(3, ""), Insert(3, '<p data-tke-id="100">p</p>')),  # the document's body
    (SetText(2, ""), Insert(2, '<style data-tke-id="100"></style>')),  # its head
    (SetText(1, ""), Insert(1, '<p data-tke-id="100">p</p>')),  # its root
])
def test_what_a_refill_leaves_alone_keeps_its_two_ops(clear: SetText, then: Insert) -> None:
    for ops in _both(clear, then):
        assert not any(isinstance(op, SetHTML) and op.node == clear.node and op.html == then.html for op in ops)
