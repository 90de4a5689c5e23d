"""Main's fast path for commits (``_fragment_scan``) against its careful path.

Every fragment here goes through two :class:`CommitRules` from the same
start: one with the fast path, one that parses, cleans and rebuilds every
fragment (``fast=False``). They must agree on everything: the ops handed to
the compositor, the violation raised (its message too), and the shadow of
the page afterwards (ids, tags, parents, depths, sizes, link targets). The
fragments are what a real renderer DOM commits (its own serializer), hostile
strings a compromised renderer could send instead, and seeded random
mutations of both; the honest clean ones must take the fast path, the ones
the sanitizer changes must not.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import trio

from tkelectron.common._messages import Insert, Op, Remove, ReplaceDocument, SetAttr, SetHTML, SetText
from tkelectron.main._commit_rules import LIMITS, CommitLimits, CommitRules
from tkelectron.main._fragment_scan import Scanned, scan_fragment
from tkelectron.main._ipc_dispatch import IpcViolation
from tkelectron.renderer._dom import Document

_PAGE = ('<html data-tke-id="1"><head data-tke-id="2"></head><body data-tke-id="3">'
         '<ul data-tke-id="4"></ul><div data-tke-id="5"></div><p data-tke-id="6">x</p>'
         '<table data-tke-id="7"><tbody data-tke-id="8"></tbody></table>'
         '<select data-tke-id="9"></select><br data-tke-id="10"><style data-tke-id="11"></style></body></html>')
_PARENTS = (4, 5, 6, 8, 9, 10, 11)


class _Recording(CommitRules):
    """Commit rules that remember which fragments the fast path took."""

    def __init__(self, limits: CommitLimits = LIMITS) -> None:
        super().__init__(1, limits, fast=True)
        self.taken: list[str] = []
        self.refused: list[str] = []

    async def _scan(self, parent: int, shown: Any, html: str, pace: Any) -> Scanned | None:
        found = await super()._scan(parent, shown, html, pace)
        (self.taken if found is not None else self.refused).append(html)
        return found


async def _no_pace() -> None:
    pass


def _shadow(rules: CommitRules) -> Any:
    entries = {nid: (e.tag, e.parent, e.depth, sorted(e.kids), sorted(e.attrs.items()), e.text, e.link)
               for nid, e in rules.shown.items()}
    return entries, rules.bytes, rules.text, rules.css, list(rules.dropped)


async def _run(rules: CommitRules, commits: list[list[Any]]) -> list[Any]:
    out: list[Any] = []
    for ops in commits:
        try:
            out.append(await rules.check(ops, _no_pace))
        except IpcViolation as exc:
            out.append(("violation", str(exc)))
            break
    return out


def _agree(commits: list[list[Op]], limits: CommitLimits = LIMITS) -> _Recording:
    """Run ``commits`` (after the page) through both paths; assert they agree."""
    fast, careful = _Recording(limits), CommitRules(1, limits, fast=False)
    start: list[list[Op]] = [[ReplaceDocument(_PAGE)]]
    got = trio.run(_run, fast, start + commits)
    want = trio.run(_run, careful, start + commits)
    assert got == want
    assert _shadow(fast) == _shadow(careful)
    return fast


def _both_ways(html: str, limits: CommitLimits = LIMITS) -> list[_Recording]:
    """``html`` inserted into and set as the content of each kind of parent."""
    return [_agree([[op]], limits) for parent in _PARENTS
            for op in (Insert(parent, html, None), SetHTML(parent, html))]


# -- what a real renderer DOM commits ---------------------------------------------------------


def _renderer_commits(build: Any) -> tuple[str, list[Op]]:
    """The display HTML of a renderer document and the ops ``build(doc)`` records."""
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc._on_ops = lambda: None
    doc.load_html("<html><head></head><body><ul id='list'></ul><div id='box'></div></body></html>")
    doc.take_ops()
    page = doc.serialize_for_display()
    build(doc)
    return page, doc.take_ops()


def _agree_renderer(build: Any) -> _Recording:
    page, ops = _renderer_commits(build)
    fast, careful = _Recording(), CommitRules(1, fast=False)
    commits: list[list[Op]] = [[ReplaceDocument(page)], ops]
    assert trio.run(_run, fast, commits) == trio.run(_run, careful, commits)
    assert _shadow(fast) == _shadow(careful)
    return fast


def _by_id(doc: Document, element_id: str) -> Any:
    found = doc.get_element_by_id(element_id)
    assert found is not None
    return found


def _rows(doc: Document, count: int = 1000) -> None:
    ul = _by_id(doc, "list")
    for i in range(count):
        li = doc.create_element("li")
        li.text_content = f"row {i} of generation 1"
        ul.append_child(li)


def _rich(doc: Document) -> None:
    box = _by_id(doc, "box")
    box.inner_html = (
        '<table class="grid"><tbody><tr><td colspan="2" title="a &lt;b&gt; &amp; &quot;c&quot;">1 &amp; 2</td>'
        '<td><b>bold</b> <i>it</i></td></tr></tbody></table>'
        '<ul><li><p>para in item</p><ul><li>nested</li></ul></li><li>two</li></ul>'
        '<p style="color: red; margin: 0">styled <span data-x="1" aria-label="l">span</span></p>'
        '<a href="#top">anchor</a><br><img alt="i" src="data:image/png;base64,AAAA">'
        '<input type="number" min="1" max="10" step="1" value="3"><my-widget role="note">custom</my-widget>'
        '<dl><dt>term</dt><dd>def</dd></dl><div hidden>\r\nlines\nand\ttabs \U0001f600 \u00e9 \ufffd</div>'
    )


def _hostile_in_the_dom(doc: Document) -> None:
    """What the page itself may put in its DOM: the sanitizer drops or rewrites it."""
    box = _by_id(doc, "box")
    box.inner_html = (
        '<p onclick="steal()">handler</p><a href="https://example.com/x">remote</a>'
        '<img src="http://example.com/i.png"><div style="background: url(http://x/y)">css</div>'
        '<iframe src="file:///etc/passwd"></iframe><td colspan="1000000">wide</td>'
        '<input type="number" min="-1e100"><script>alert(1)</script><style>p{color:red}</style>'
        '<textarea>text &lt;area&gt;</textarea><title>t</title><svg><circle/></svg><object data="x"></object>'
    )


def test_a_renderer_s_rows_take_the_fast_path_and_agree() -> None:
    rules = _agree_renderer(_rows)
    assert rules.taken and not rules.refused


def test_a_renderer_s_rich_fragment_takes_the_fast_path_and_agrees() -> None:
    rules = _agree_renderer(_rich)
    assert rules.taken and not rules.refused


def test_what_the_sanitizer_changes_never_takes_the_fast_path() -> None:
    rules = _agree_renderer(_hostile_in_the_dom)
    assert rules.refused and not rules.taken


def test_incremental_renderer_changes_agree() -> None:
    def build(doc: Document) -> None:
        _rows(doc, 50)
        ul = _by_id(doc, "list")
        kids = ul.children
        kids[3].text_content = "changed"
        kids[5].set_attribute("class", "on")
        ul.remove_child(kids[7])
        extra = doc.create_element("li")
        extra.inner_html = "<b>new</b> row &amp; more"
        ul.insert_before(extra, kids[10])
        _by_id(doc, "box").inner_html = "<p>replaced <em>box</em></p>"

    rules = _agree_renderer(build)
    assert rules.taken


# -- hostile strings straight from a compromised renderer --------------------------------------

_HOSTILE = [
    "",
    "plain text",
    "   ",
    '<li data-tke-id="100">ok</li>',
    '<li data-tke-id="100">ok</li><li data-tke-id="100">again</li>',  # a repeated id
    '<li data-tke-id="3">an id already shown</li>',
    '<li data-tke-id="0">zero</li>',
    '<li data-tke-id="01">leading zero</li>',
    '<li data-tke-id="12345678901234567">too long</li>',
    '<li data-tke-id="&#49;00">an entity in the id</li>',
    '<li>no id</li>',
    '<li class="a" data-tke-id="100">id not first</li>',
    '<li data-tke-id="100" data-tke-id="101">two ids</li>',
    '<li data-tke-id="100" class="a" class="b">two classes</li>',
    '<li data-tke-id="100" onclick="x()">handler</li>',
    '<li data-tke-id="100" ONCLICK="x()">upper-case handler</li>',
    '<LI data-tke-id="100">upper-case tag</LI>',
    '<li data-tke-id="100" class=a>unquoted</li>',
    "<li data-tke-id='100'>single quotes</li>",
    '<li data-tke-id="100"  class="a">two spaces</li>',
    '<li data-tke-id="100" class="a" >space before the end</li>',
    '<br data-tke-id="100"/>',
    '<br data-tke-id="100"></br>',
    '<img data-tke-id="100" src="http://example.com/x.png">',
    '<img data-tke-id="100" src="data:image/png;base64,AAAA">',
    '<img data-tke-id="100" src=" data:image/png;base64,AAAA">',
    '<a data-tke-id="100" href="javascript:alert(1)">js</a>',
    '<a data-tke-id="100" href="  #x">spaced anchor</a>',
    '<a data-tke-id="100" href="#x">anchor</a>',
    '<a data-tke-id="100" href="file:///etc/passwd">file</a>',
    '<div data-tke-id="100" style="background:url(http://x)">css</div>',
    '<div data-tke-id="100" style="background:u\\72l(http://x)">escaped css</div>',
    '<div data-tke-id="100" style="color: red">clean css</div>',
    '<div data-tke-id="100" style="/* c */color: red">commented css</div>',
    '<td data-tke-id="100" colspan="1000000">wide</td>',
    '<td data-tke-id="100" colspan="3">narrow</td>',
    '<td data-tke-id="100" colspan=" 3">spaced</td>',
    '<input data-tke-id="100" type="number" min="-1e100">',
    '<input data-tke-id="100" type="number" min=" 5">',
    '<input data-tke-id="100" type="number" min="5">',
    '<iframe data-tke-id="100" src="x"></iframe>',
    '<script data-tke-id="100">alert(1)</script>',
    '<style data-tke-id="100">@import "http://x";</style>',
    '<textarea data-tke-id="100">a &lt;b&gt;</textarea>',
    '<title data-tke-id="100">t</title>',
    '<body data-tke-id="100">body</body>',
    '<div data-tke-id="100"><html data-tke-id="101"></html></div>',
    '<svg data-tke-id="100"><circle data-tke-id="101"></circle></svg>',
    '<my-widget data-tke-id="100">custom</my-widget>',
    '<my-Widget data-tke-id="100">odd custom</my-Widget>',
    '<x-1 data-tke-id="100">digit custom</x-1>',
    '<div data-tke-id="100">unclosed',
    '<div data-tke-id="100"><span data-tke-id="101">crossed</div></span>',
    '</div>',
    '<div data-tke-id="100"></div></div>',
    '<p data-tke-id="100"><div data-tke-id="101">a block in a p</div></p>',
    '<p data-tke-id="100"><span data-tke-id="101">inline in a p</span></p>',
    '<li data-tke-id="100"><li data-tke-id="101">li in li</li></li>',
    '<li data-tke-id="100"><ul data-tke-id="101"><li data-tke-id="102">nested list</li></ul></li>',
    '<li data-tke-id="100"><p data-tke-id="101">p in li</p></li>',
    '<dt data-tke-id="100"><dd data-tke-id="101">dd in dt</dd></dt>',
    '<option data-tke-id="100"><option data-tke-id="101">o in o</option></option>',
    '<option data-tke-id="100">one</option><option data-tke-id="101">two</option>',
    '<optgroup data-tke-id="100"><optgroup data-tke-id="101">g</optgroup></optgroup>',
    '<button data-tke-id="100"><p data-tke-id="101">p in button</p></button>',
    '<p data-tke-id="100"><button data-tke-id="101"><div data-tke-id="102">scoped</div></button></p>',
    '<tr data-tke-id="100"><td data-tke-id="101">cell</td></tr>',
    '<li data-tke-id="100">a &amp; b &lt; c &gt; d</li>',
    '<li data-tke-id="100">&quot;quoted entity in text&quot;</li>',
    '<li data-tke-id="100">"raw quotes" and \'apostrophes\'</li>',
    '<li data-tke-id="100">&nbsp;named</li>',
    '<li data-tke-id="100">&#60;numeric&#x3c;</li>',
    '<li data-tke-id="100">&amp</li>',
    '<li data-tke-id="100">&amp;lt; double</li>',
    '<li data-tke-id="100">raw > gt</li>',
    '<li data-tke-id="100">raw < lt</li>',
    '<li data-tke-id="100" title="a &quot;b&quot; &lt;c&gt; &amp;">attr entities</li>',
    '<li data-tke-id="100" title="&#34;numeric&#34;">attr numeric</li>',
    '<li data-tke-id="100" title="&apos;">attr named</li>',
    '<li data-tke-id="100"><!-- a comment --></li>',
    '<!DOCTYPE html><li data-tke-id="100">doctype</li>',
    '<?pi x?><li data-tke-id="100">pi</li>',
    '<![CDATA[x]]><li data-tke-id="100">cdata</li>',
    '<li data-tke-id="100">\x00nul\x01ctl\x7f</li>',
    '<li data-tke-id="100">\r\ncrlf\r</li>',
    '<li data-tke-id="100">\U0001f600 \U00010000 astral \udcff</li>',
    '<li data-tke-id="100" title="\U0001f600">astral attr</li>',
    '<li data-tke-id="100">' + "x" * 5000 + "</li>",
    '<li data-tke-id="100">' + "line\n" * 150 + "</li>",
    '<li data-tke-id="100" title="' + "t" * 100_000 + '">huge attribute</li>',
    '<li data-tke-id="100" data-' + "n" * 300 + '="v">long name</li>',
    '<li data-tke-id="100" 1bad="x">bad name</li>',
    '<li data-tke-id="100" x:y="1">colon name</li>',
    '<li data-tke-id="100" srcdoc="&lt;p&gt;">srcdoc</li>',
    '<form data-tke-id="100" action="http://x"></form>',
    '<button data-tke-id="100" formaction="http://x">b</button>',
    '<base data-tke-id="100" href="http://x">',
    '<meta data-tke-id="100" http-equiv="refresh" content="0;url=http://x">',
    '<li data-tke-id="100"></li><li data-tke-id="101"></li>text between<li data-tke-id="102">x</li>',
]


@pytest.mark.parametrize("html", _HOSTILE, ids=range(len(_HOSTILE)))
def test_hostile_fragments_agree(html: str) -> None:
    _both_ways(html)


def test_deep_nesting_agrees_at_and_past_the_limit() -> None:
    for depth in (LIMITS.max_depth - 4, LIMITS.max_depth - 3, LIMITS.max_depth - 2, LIMITS.max_depth + 10):
        ids = range(100, 100 + depth)
        html = "".join(f'<div data-tke-id="{i}">' for i in ids) + "deep" + "</div>" * depth
        _both_ways(html)


def test_limits_agree_at_and_past_them() -> None:
    limits = CommitLimits(window_elements=40, window_bytes=3000, window_text=1500, slice_elements=10)
    for count in (5, 10, 11, 25, 39, 60):
        rows = "".join(f'<li data-tke-id="{100 + i}">row {i}</li>' for i in range(count))
        _both_ways(rows, limits)
    _both_ways('<li data-tke-id="100">' + "t" * 1400 + "</li>", limits)
    _both_ways('<li data-tke-id="100">' + "t" * 1600 + "</li>", limits)
    _both_ways('<li data-tke-id="100" title="' + "a" * 3100 + '">x</li>', limits)
    # A top-level element bigger than a slice: shelled (careful), or whole when it is a table.
    big = "".join(f'<span data-tke-id="{200 + i}">{i}</span>' for i in range(15))
    _both_ways(f'<div data-tke-id="100">{big}</div><p data-tke-id="101">after</p>', limits)
    cells = "".join(f'<tr data-tke-id="{200 + i}"><td data-tke-id="{300 + i}">{i}</td></tr>' for i in range(12))
    _both_ways(f'<table data-tke-id="100"><tbody data-tke-id="101">{cells}</tbody></table>', limits)


def test_a_large_insert_is_sliced_as_the_careful_path_slices_it() -> None:
    limits = CommitLimits(slice_elements=100)
    rows = "".join(f'<li data-tke-id="{100 + i}">row {i}</li>' if i % 7 else f"text {i}" for i in range(450))
    _both_ways(rows, limits)
    rules = _Recording(limits)
    commits: list[list[Any]] = [[ReplaceDocument(_PAGE)], [Insert(4, rows, None)]]
    [_, ops] = trio.run(_run, rules, commits)
    assert rules.taken and len(ops) == 4
    assert "".join(op.html for op in ops) == rows
    # Rows holding only text, each with its id alone (the leaves' shortcut),
    # short and longer than a run's line budget (the general walk).
    for text in ("row", "r" * 150):
        items = [f'<li data-tke-id="{100 + i}">{text} {i}</li>' for i in range(450)]
        flat = "".join(items)
        _both_ways(flat, limits)
        rules = _Recording(limits)
        commits = [[ReplaceDocument(_PAGE)], [Insert(4, flat, None)]]
        [_, ops] = trio.run(_run, rules, commits)
        assert rules.taken
        assert [op.html for op in ops] == ["".join(items[i:i + 100]) for i in range(0, 450, 100)]


def test_ops_after_a_fast_insert_agree() -> None:
    rows = "".join(f'<li data-tke-id="{100 + i}" class="r">row {i}</li>' for i in range(30))
    _agree([[Insert(4, rows, None)],
            [SetText(105, "changed"), SetAttr(106, "class", "on"), SetAttr(107, "onclick", "x()"),
             SetAttr(108, "style", "background: url(http://x)"), Remove(109)],
            [Insert(4, '<li data-tke-id="500">before</li>', 110), Insert(4, '<li data-tke-id="501">x</li>', 999)],
            [SetHTML(4, '<li data-tke-id="600">only</li>')],
            [Insert(4, '<li data-tke-id="105">a removed id is free again</li>', None)],
            [Insert(4, '<li data-tke-id="600">shown twice</li>', None)]])


# -- seeded random mutations -----------------------------------------------------------------------

_ALPHABET = ['<', '>', '/', '"', "'", '=', '&', ';', '#', ' ', '\n', 'a', 'li', 'p', 'div', 'data-tke-id',
             '1', '0', '9', 'amp', 'lt', 'quot', '!', '-', '\U0001f600', 'on', 'href', 'style', 'url(', ':']
_SEEDS = [
    '<li data-tke-id="100">row &amp; one</li><li data-tke-id="101" class="c">two</li>',
    '<div data-tke-id="100"><p data-tke-id="101">a <b data-tke-id="102">b</b></p><br data-tke-id="103"></div>',
    '<a data-tke-id="100" href="#x" title="&quot;t&quot;">l</a><ul data-tke-id="101"><li data-tke-id="102">x</li></ul>',
    ('<table data-tke-id="100"><tbody data-tke-id="101"><tr data-tke-id="102"><td data-tke-id="103">c</td></tr>'
     '</tbody></table>'),
]


def _mutate(rng: random.Random, html: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(html) + 1)
        roll = rng.random()
        if roll < 0.4:
            html = html[:at] + rng.choice(_ALPHABET) + html[at:]
        elif roll < 0.7:
            html = html[:at] + html[at + rng.randint(1, 4):]
        else:
            html = html[:at] + rng.choice(_ALPHABET) + html[at + 1:]
    return html


def test_random_mutations_agree() -> None:
    rng = random.Random(13)
    taken = refused = 0
    for i in range(600):
        html = _mutate(rng, _SEEDS[i % len(_SEEDS)])
        rules = _agree([[Insert(_PARENTS[i % 3], html, None)]])
        taken += len(rules.taken)
        refused += len(rules.refused)
    assert taken and refused  # both paths were exercised


def test_the_scan_changes_nothing_it_refuses() -> None:
    shown = {1: object()}
    html = '<li data-tke-id="100">a</li><li data-tke-id="1">taken</li>'
    scan = scan_fragment(html, parent=4, parent_tag="ul", base_depth=3, shown=shown, max_depth=512, room=10,
                         slice_elements=10)
    with pytest.raises(StopIteration) as done:
        next(scan)
    assert done.value.value is None
    assert shown == {1: shown[1]}


def test_a_long_fragment_gives_main_s_loop_turns_and_agrees() -> None:
    rows = "".join(f'<li data-tke-id="{100 + i}">row {i}</li>' for i in range(6000))
    assert len(rows) > 128 * 1024  # past what the leaves' shortcut takes at once
    scan = scan_fragment(rows, parent=4, parent_tag="ul", base_depth=3, shown={}, max_depth=512, room=20_000,
                         slice_elements=1000)
    turns = 0
    with pytest.raises(StopIteration) as done:
        while True:
            next(scan)
            turns += 1
    assert turns >= 2 and done.value.value is not None
    rules = _agree([[Insert(4, rows, None)]])
    assert rules.taken


def _decisions(monkeypatch: pytest.MonkeyPatch, shortcut: str) -> list[bool]:
    """Record, for each fragment the named shortcut of _fragment_scan is given,
    whether it decided it (not None) or left it to the general walk."""
    from tkelectron.main import _fragment_scan

    decided: list[bool] = []
    real = getattr(_fragment_scan, shortcut)

    def recording(*args: Any) -> Scanned | None:
        found = real(*args)
        decided.append(found is not None)
        return found

    monkeypatch.setattr(_fragment_scan, shortcut, recording)
    return decided


def _leaves_shortcut(monkeypatch: pytest.MonkeyPatch, at_once: int) -> list[bool]:
    """The leaves' shortcut's decisions, matching ``at_once`` characters at a time."""
    from tkelectron.main import _fragment_scan

    decided = _decisions(monkeypatch, "_leaves")
    monkeypatch.setattr(_fragment_scan, "_LEAVES_PIECE", at_once)
    return decided


def test_a_list_past_what_is_matched_at_once_takes_the_leaves_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 rows (~550 KB) are matched 64 KB at a time, with
    turns for main's loop between, and decided by the shortcut."""
    decided = _leaves_shortcut(monkeypatch, 64 * 1024)
    rows = "".join(f'<li data-tke-id="{100 + i}">row {i} of generation 1</li>' for i in range(10_000))
    scan = scan_fragment(rows, parent=4, parent_tag="ul", base_depth=3, shown={}, max_depth=512, room=20_000,
                         slice_elements=1000)
    turns = 0
    with pytest.raises(StopIteration) as done:
        while True:
            next(scan)
            turns += 1
    assert turns >= 4 and done.value.value is not None and decided == [True]
    _agree([[Insert(4, rows, None)]], CommitLimits(window_elements=20_000))


def test_leaves_matched_in_pieces_agree_whatever_is_wrong_in_a_later_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of ~60 characters: each fault below lies pieces past the first,
    and every cut lands somewhere else in a row (tag, id, text, end tag)."""
    decided = _leaves_shortcut(monkeypatch, 60)

    def rows(count: int, last: str = "", first: int = 100) -> str:
        return "".join(f'<li data-tke-id="{first + i}">row {"x" * (i % 7)}</li>' for i in range(count)) + last

    for html in (
        rows(12),
        rows(12, '<li data-tke-id="100">again</li>'),  # a repeated id
        rows(12, '<li data-tke-id="8">shown</li>'),  # an id the page already shows
        rows(12, '<li data-tke-id="200">a &amp; b</li>'),  # an entity: the general walk
        rows(12, '<li data-tke-id="200"><b data-tke-id="201">b</b></li>'),  # not a leaf
        rows(12, '<li data-tke-id="200">x</p>'),  # a mismatched end tag
        rows(12, '<li data-tke-id="200">x'),  # left open
        rows(12, '</li>'),  # a stray end tag
        rows(12, 'tail text'),
        rows(12, '<li data-tke-id="0">x</li>'),  # not a node id
        rows(12, '<li data-tke-id="200" class="c">x</li>'),  # another attribute: the general walk
        rows(12, '<li data-tke-id="200">' + "y" * 150 + "</li>"),  # text long enough to be looked at closer
    ):
        _both_ways(html)
    assert True in decided
    limits = CommitLimits(window_elements=40, window_bytes=3000, window_text=1500, slice_elements=10)
    for count in (3, 5, 12, 20, 40, 41):
        _both_ways(rows(count), limits)


def test_the_leaves_shortcut_refuses_anything_before_between_or_after_its_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut proves a fragment is rows and nothing else by splitting it
    at each row: whatever stands outside a row, at its start, between two
    rows or at its end, must leave the fragment to the general walk (which
    takes, rewrites or refuses it) and both paths must agree on it."""
    from tkelectron.main import _fragment_scan

    decided = _decisions(monkeypatch, "_leaves")
    row = '<li data-tke-id="{}">row</li>'.format
    rows = row(100) + row(101) + row(102)
    extras = ("text", "&amp;", "<!-- c -->", "<br>", '<li data-tke-id="103">', "</li>", "<", ">", " ",
              '<b data-tke-id="103"><i data-tke-id="104">b</i></b>', '<li data-tke-id="103">x</b>', '<script>x</script>')
    for extra in extras:
        for html in (extra + rows, row(100) + extra + row(101) + row(102), rows + extra):
            decided.clear()
            assert next(_fragment_scan._leaf_items(html), "done") == "done"  # one piece: no turn
            _both_ways(html)
            assert True not in decided, html  # never decided by the shortcut
    decided.clear()
    _both_ways(rows)
    assert decided and all(decided)  # the rows alone are


def _table(doc: Document, rows: int = 500, cells: int = 3) -> None:
    """A table's body filled row by row from app code."""
    box = _by_id(doc, "box")
    box.inner_html = '<table><tbody id="body"></tbody></table>'
    body = _by_id(doc, "body")
    for i in range(rows):
        tr = doc.create_element("tr")
        for j in range(cells):
            td = doc.create_element("th" if j == 0 else "td")
            td.text_content = f"cell {i}.{j}"
            tr.append_child(td)
        body.append_child(tr)


def _rows_shortcut(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The table rows' shortcut's decisions."""
    return _decisions(monkeypatch, "_table_rows")


def test_a_renderer_s_table_rows_take_the_rows_shortcut_and_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    decided = _rows_shortcut(monkeypatch)
    rules = _agree_renderer(_table)
    assert rules.taken and not rules.refused
    assert True in decided  # the body's rows went through the shortcut, not the general walk


def test_table_rows_agree_whatever_is_wrong_with_them(monkeypatch: pytest.MonkeyPatch) -> None:
    decided = _rows_shortcut(monkeypatch)

    def row(nid: int, *cells: str, tag: str = "td") -> str:
        return f'<tr data-tke-id="{nid}">' + "".join(
            f'<{tag} data-tke-id="{nid * 10 + j}">{c}</{tag}>' for j, c in enumerate(cells)) + "</tr>"

    good = row(100, "a", "b") + row(101, "", "c", tag="th")
    for html in (
        good,
        row(100, "a") + row(100, "b"),  # a repeated row id
        row(100, "a") + '<tr data-tke-id="101"><td data-tke-id="1000">x</td></tr>',  # a cell's id repeated
        row(100, "a") + row(8, "b"),  # an id the page already shows
        row(100, "a" * 150),  # text long enough to be looked at closer
        row(100, "a &amp; b"),  # an entity: the general walk
        row(100, "a") + '<tr data-tke-id="101"><td data-tke-id="1010"><b data-tke-id="1011">b</b></td></tr>',
        row(100, "a") + '<tr data-tke-id="101"><td data-tke-id="1010">x</th></tr>',  # mismatched end tag
        row(100, "a") + '<tr data-tke-id="0"><td data-tke-id="1010">x</td></tr>',  # not a node id
    ):
        _both_ways(html)
    assert True in decided and False in decided
    # Depth, room and slicing, at and past their limits.
    limits = CommitLimits(window_elements=40, window_bytes=3000, window_text=1500, slice_elements=10)
    for count in (3, 5, 12, 20):
        _both_ways("".join(row(100 + i, str(i), "x") for i in range(count)), limits)
    _both_ways(row(100, *(str(i) for i in range(12))), limits)  # one row bigger than a slice
    # Rows going into a body so deep that their cells reach the depth limit, or pass it.
    decided.clear()
    for depth in (LIMITS.max_depth - 8, LIMITS.max_depth - 7, LIMITS.max_depth - 6):
        nest = "".join(f'<div data-tke-id="{i}">' for i in range(200, 200 + depth))
        table = '<table data-tke-id="90"><tbody data-tke-id="91"></tbody></table>'
        _agree([[Insert(5, nest + table + "</div>" * depth, None)],
                [Insert(91, row(100, "a") + row(101, "b"), None)]])
    assert decided == [True, True, False]
