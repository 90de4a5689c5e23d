"""Main's unpaused check for small commits (``CommitRules.check_now``) against
the paced one (``CommitRules.check``).

A commit of a few ops that carry no HTML (a click's text change, a toggled
class, a focus) is checked and applied where main reads it. It must meet
exactly the rules the paced path applies: every commit here goes through two
:class:`CommitRules` from the same page, one with ``check_now`` and one with
``check``, and they must agree on the ops handed to the compositor, the
violation raised (its message too) and the shadow of the page afterwards.
What ``check_now`` does not take (HTML to parse, too many ops) it leaves
untouched, for ``check``.
"""

from __future__ import annotations

from typing import Any

import pytest
import trio

from tkelectron.common._messages import (
    Focus,
    Insert,
    Op,
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
from tkelectron.main._commit_rules import UNPACED_OPS, CommitRules
from tkelectron.main._ipc_dispatch import IpcViolation

_PAGE = ('<html data-tke-id="1"><head data-tke-id="2"><style data-tke-id="12"></style></head>'
         '<body data-tke-id="3"><p data-tke-id="4" class="a">x</p><a data-tke-id="5" href="#top">top</a>'
         '<input data-tke-id="6" type="checkbox"><input data-tke-id="7" value="v"><ul data-tke-id="8"></ul>'
         '</body></html>')


async def _no_pace() -> None:
    pass


def _shadow(rules: CommitRules) -> Any:
    entries = {nid: (e.tag, e.parent, e.depth, sorted(e.kids), sorted(e.attrs.items()), e.text, e.link)
               for nid, e in rules.shown.items()}
    return entries, rules.bytes, rules.text, rules.css, list(rules.dropped)


def _loaded() -> CommitRules:
    rules = CommitRules(1)
    trio.run(rules.check, [ReplaceDocument(_PAGE)], _no_pace)
    return rules


def _outcome(check: Any) -> Any:
    try:
        return check()
    except IpcViolation as exc:
        return ("violation", str(exc))


#: Commits an honest renderer makes, and ones only a compromised one would.
UNPACED: list[list[Op]] = [
    [SetText(4, "1")],
    [SetText(4, "1"), SetText(4, "2"), SetText(4, "3")],  # coalesced to the last
    [SetAttr(4, "class", "b"), RemoveAttr(4, "class")],
    [SetAttr(4, "style", "color: red; background: url(http://x/y.png)")],  # the url is cleaned away
    [SetAttr(4, "onclick", "alert(1)")],  # not an allowed attribute: refused quietly
    [SetAttr(5, "href", "https://example.com/")],  # a link's target: kept in the shadow, not drawn
    [SetValue(7, "typed"), SetChecked(6, True), Focus(7)],
    [SetTitle("a title \U0001f600 with\nnewline")],
    [SetText(12, "p { color: red } @import url(x.css);")],  # <style> text is cleaned CSS
    [SetText(4, "a\u200bb" * 3)],  # text that becomes runs (SetHTML out)
    [Remove(8), SetText(8, "gone")],  # an op on a removed node is left out
    [SetText(999, "not shown")],
    [SetText(3, "the body")],  # would take <head> and <body> away: left out
    [Remove(3)],  # Tkhtml crashes when <body> leaves: left out
    [SetAttr(4, "data-tke-id", "44")],  # the framework's id: a violation
    [SetText(4, "x" * (64 * 1024 * 1024 + 1))],  # over the commit's characters: a violation
]


@pytest.mark.parametrize("ops", UNPACED, ids=lambda ops: "+".join(type(op).__name__ for op in ops))
def test_check_now_agrees_with_check(ops: list[Op]) -> None:
    now, paced = _loaded(), _loaded()
    got = _outcome(lambda: now.check_now(ops))
    want = _outcome(lambda: trio.run(paced.check, ops, _no_pace))
    assert got is not None, "an unpaced commit is taken"
    assert got == want
    assert _shadow(now) == _shadow(paced)


@pytest.mark.parametrize("ops", [
    [ReplaceDocument(_PAGE)],
    [SetText(4, "1"), Insert(8, '<li data-tke-id="20">a</li>', None)],
    [SetHTML(4, "<b data-tke-id='21'>b</b>")],
    [SetText(4, str(i)) for i in range(UNPACED_OPS + 1)],
], ids=["document", "insert", "set-html", "too-many-ops"])
def test_check_now_leaves_what_needs_pacing_to_check(ops: list[Op]) -> None:
    rules = _loaded()
    before = _shadow(rules)
    assert rules.check_now(ops) is None
    assert _shadow(rules) == before  # nothing checked, nothing registered
    trio.run(rules.check, ops, _no_pace)  # the paced path takes it
