"""Main's rules for a renderer's DOM commits: validated, then sanitized,
before any compositor sees them.

A renderer is hostile input (Chromium's rule: the browser process never
trusts a renderer), and what it commits is drawn by Tkhtml, a C library in
the unsandboxed main process. So every commit passes through
:class:`CommitRules` first, which keeps a *shadow* of what the window shows
(each element's id, tag, parent, depth and size) and:

- **validates**: every element carries a ``data-tke-id`` that is a positive
  decimal integer and is not already displayed; nothing nests deeper than
  :data:`~tkelectron.common._html.MAX_DEPTH`; a commit stays within
  :attr:`CommitLimits.commit_bytes` and :attr:`CommitLimits.commit_ops`, and a
  window within :attr:`CommitLimits.window_elements` and
  :attr:`CommitLimits.window_bytes`. A break is an :class:`IpcViolation`: the
  renderer is killed (``render-process-gone`` with reason ``ipc-violation``)
  and the reason is logged.
- **sanitizes** (:mod:`._html_sanitizer`): every piece of HTML is parsed by
  main and rebuilt from that parse, without the elements, attributes and CSS
  the compositor does not allow, so Tkhtml never sees markup main did not
  read. ``<html>``, ``<head>`` and ``<body>`` are never removed or emptied
  wholesale (Tkhtml crashes when they go).
- **bounds the work**: superseded ops are coalesced, HTML is parsed a piece
  at a time and a large insertion becomes slices of at most
  :attr:`CommitLimits.slice_elements` elements, and the caller's ``pace``
  is awaited between pieces, so main's loop runs between them.

Ops naming a node main does not show (one main dropped, or removed in a race)
are left out quietly: an honest renderer can produce those.

A link's target (an ``<a href>`` that is not an in-page anchor) is not drawn,
but the shadow keeps it (:meth:`CommitRules.link_target`, counted in the
window's size): it is main's own record of the page, which ``context-menu``
reads for ``link_url``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from types import MappingProxyType

import trio
import trio.lowlevel

from ..common._html import (
    MAX_DEPTH,
    RAW_TEXT_ELEMENTS,
    VOID_ELEMENTS,
    HtmlElement,
    HtmlLimitError,
    Node,
    TreeParser,
    serialize,
)
from ..common._messages import (
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
from ..common._op_keys import supersede_key
from ._fragment_scan import ID_ATTR, NODE_ID, WHOLE_ELEMENTS, Scanned, scan_fragment
from ._html_sanitizer import LINK_KEY, attribute_allowed, clean_css, clean_tree, clean_value, needs_runs, split_runs
from ._ipc_dispatch import IpcViolation
from ._terminal_text import printable

__all__ = ["ID_ATTR", "LIMITS", "UNPACED_OPS", "CommitLimits", "CommitRules", "TickBudget", "coalesce"]

log = logging.getLogger("tkelectron")

#: Dropped without a warning: head metadata a browser never draws either (an
#: ordinary page's <meta charset> and its stylesheet <link>, which the renderer
#: has already inlined), so the log names only what the page would have shown.
_UNSEEN_ANYWAY = frozenset({"meta", "link"})

_PARSE_PIECE = 32 * 1024
_DOCUMENT_TAGS = frozenset({"html", "head", "body"})
# Elements whose emptying and refilling stay two ops (see CommitRules._refill).
_NOT_REFILLED = frozenset({"textarea", "select"}) | _DOCUMENT_TAGS
_WHOLE = WHOLE_ELEMENTS


@dataclass(frozen=True, slots=True)
class CommitLimits:
    """What one renderer may ask main to display (see SECURITY.md)."""

    #: Elements nested deeper than this are refused (``<html>`` is depth 1).
    max_depth: int = MAX_DEPTH
    #: Text and HTML carried by one commit, in characters.
    commit_bytes: int = 4 * 1024 * 1024
    #: Ops in one commit.
    commit_ops: int = 100_000
    #: Elements one window displays at a time. Tkhtml re-lays out the whole
    #: document after a change: ~40 ms at 10,000 elements here, ~270 ms at 50,000.
    window_elements: int = 20_000
    #: Attribute values, text and form values one window displays, in characters.
    window_bytes: int = 32 * 1024 * 1024
    #: Text one window displays, in characters. Tkhtml lays text out in time
    #: linear in it at best (~0.2 s per MB of words here, once cut into runs).
    window_text: int = 2 * 1024 * 1024
    #: ``<style>`` text one window displays, in characters. Tkhtml matches every
    #: rule against every element: 160 KB of class rules over 4,000 elements
    #: took 0.7 s here.
    window_css: int = 256 * 1024
    #: Elements main inserts into Tkhtml between two turns of its loop.
    slice_elements: int = 1_000
    #: A page title is cut to this many characters.
    title_chars: int = 1_000


LIMITS = CommitLimits()

Pace = Callable[[], Awaitable[None]]

#: The ops that carry HTML main parses, a piece at a time with pauses between
#: (:meth:`CommitRules.check`); a commit without them needs no pause.
_PACED = (ReplaceDocument, Insert, SetHTML)

#: The most ops :meth:`CommitRules.check_now` takes: each is a dictionary
#: lookup and a Tk call or two, so this many stay far below one pace budget
#: (``TickBudget.seconds``) and main's loop is not held up by one.
UNPACED_OPS = 64


class TickBudget:
    """Awaited between pieces of work: yields to main's loop once ``seconds``
    of work went by since the last yield."""

    def __init__(self, seconds: float = 0.008) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()

    def restart(self) -> None:
        """Count from now: main's loop has just run (a commit's work begins
        after its read, which waited or handled at most a fair slice since).
        Without it a commit arriving after an idle spell yielded at its first
        piece of work, and a two-op commit (clear a list, refill it) had Tkhtml
        lay out the empty list in between."""
        self.start = time.perf_counter()

    def spent(self) -> bool:
        """Whether the next call yields (the budget is spent)."""
        return time.perf_counter() - self.start >= self.seconds

    async def __call__(self) -> None:
        if time.perf_counter() - self.start >= self.seconds:
            await trio.lowlevel.checkpoint()
            self.start = time.perf_counter()


def coalesce(ops: list[Op]) -> list[Op]:
    """Drop every op that a later op of the same kind on the same node overrides.

    Only value-setting ops (text, one attribute, value, checked, title) are
    dropped, and only when no op that adds, removes or focuses nodes stands
    between the two: a thousand text updates to one node become the last one.
    """
    keep: list[Op] = []
    seen: set[Hashable] = set()
    for op in reversed(ops):
        key = supersede_key(op)
        if key is None or key == ("focus",):
            seen.clear()
        elif key in seen:
            continue
        else:
            seen.add(key)
        keep.append(op)
    keep.reverse()
    return keep


#: The children and attribute sizes of an element that has none: shared, and
#: read-only, so that a write meant for one element fails loudly instead of
#: reaching every one (:meth:`_Shown.own_kids` and :meth:`_Shown.own_attrs`
#: give an element its own first). A list's thousand rows made a thousand of
#: each, a third of the cost of registering them.
_NO_KIDS: frozenset[int] = frozenset()
_NO_ATTRS: Mapping[str, int] = MappingProxyType({})
_TAG_OF = attrgetter("tag")
_TEXT_OF = attrgetter("text")
_KIDS_OF = attrgetter("kids")
_ATTRS_OF = attrgetter("attrs")


class _Shown:
    """What main knows of one displayed element."""

    __slots__ = ("attrs", "depth", "kids", "link", "parent", "tag", "text")

    def __init__(self, tag: str, parent: int | None, depth: int, text: int = 0) -> None:
        self.tag = tag
        self.parent = parent
        self.depth = depth
        #: The ids of its children (read-only until :meth:`own_kids`).
        self.kids: AbstractSet[int] = _NO_KIDS
        #: Attribute name -> size of its value (a form value is "\0value");
        #: read-only until :meth:`own_attrs`.
        self.attrs: Mapping[str, int] = _NO_ATTRS
        self.text = text
        #: A link's target that is not drawn (its size is in ``attrs`` as LINK_KEY).
        self.link: str | None = None

    def own_kids(self) -> set[int]:
        """Its children's ids, as a set of its own to change."""
        kids = self.kids
        if type(kids) is not set:
            self.kids = kids = set(kids)
        return kids

    def own_attrs(self) -> dict[str, int]:
        """Its attribute sizes, as a dict of its own to change."""
        attrs = self.attrs
        if type(attrs) is not dict:
            self.attrs = attrs = dict(attrs)
        return attrs

    def size(self) -> int:
        size = len(self.tag) + self.text
        if self.attrs:
            size += sum(len(k) + v for k, v in self.attrs.items())
        return size


def _set_link(shown: _Shown, link: str | None) -> None:
    shown.link = link
    if link is None:
        if LINK_KEY in shown.attrs:
            shown.own_attrs().pop(LINK_KEY)
    else:
        shown.own_attrs()[LINK_KEY] = len(link)


def _short(text: str, limit: int = 60) -> str:
    return printable(text if len(text) <= limit else text[:limit] + "...")


def _payload(op: Op) -> int:
    size = 0
    for name in ("html", "text", "value", "name", "title"):
        value = getattr(op, name, None)
        if isinstance(value, str):
            size += len(value)
    return size


class CommitRules:
    """The validated, sanitized view of one renderer's commits for one window."""

    def __init__(self, window_id: int, limits: CommitLimits = LIMITS, *, fast: bool = True) -> None:
        self.window_id = window_id
        self.limits = limits
        #: Whether fragments in the renderer's canonical form take the fast
        #: path (:mod:`._fragment_scan`); False: every one is parsed and rebuilt.
        self.fast = fast
        self.shown: dict[int, _Shown] = {}
        self.bytes = 0
        self.text = 0
        self.css = 0
        #: Tags of elements left out of the display so far (for tests and logs).
        self.dropped: list[str] = []

    def link_target(self, nid: int) -> str | None:
        """The target of link ``nid`` as this renderer committed it (None: no such link)."""
        entry = self.shown.get(nid)
        return entry.link if entry is not None else None

    # -- the entry point ----------------------------------------------------------

    async def check(self, ops: list[Op], pace: Pace) -> list[Op]:
        """The ops to display for this commit; raises IpcViolation on a break."""
        self._check_size(ops)
        out: list[Op] = []
        dropped = len(self.dropped)
        todo = coalesce(ops)
        i = 0
        while i < len(todo):
            op = todo[i]
            i += 1
            if type(op) is SetText and not op.text and i < len(todo):
                refill = self._refill(op, todo[i])
                if refill is not None:
                    op = refill
                    i += 1
            out.extend(await self._op(op, pace))
            await pace()
        self._log_dropped(dropped)
        return out

    def _refill(self, clear: SetText, then: Op) -> SetHTML | None:
        """The one op that does what emptying an element (``clear``) and then
        appending to it (``then``) do, when ``then`` is that append: a list
        refilled (the page emptied it and appended its new rows).

        Checked and registered as one new content, which is exactly what the
        two ops come to (the same checks, the same shadow), it lets the
        compositor build the new content apart and put it in the old one's
        place at once (``::tke::clear``), not empty the element in the tree
        and then fill it. Not for what either op treats specially: the
        document's own elements, raw text (the SetText is its content),
        void elements, a textarea's text and a select's widget.
        """
        if type(then) is not Insert or then.parent != clear.node or then.before is not None:
            return None
        shown = self.shown.get(clear.node)
        if shown is None or shown.depth == 1 or shown.tag in _NOT_REFILLED or shown.tag in RAW_TEXT_ELEMENTS \
                or shown.tag in VOID_ELEMENTS:
            return None
        return SetHTML(clear.node, then.html)

    def check_now(self, ops: list[Op]) -> list[Op] | None:
        """:meth:`check` without pauses, for a commit that needs none; None for any other.

        A commit of at most :data:`UNPACED_OPS` ops, none of which carries HTML
        to parse (a document, an insertion, an element's new content), is done
        in microseconds: a click's text change, a toggled class. Main applies
        such a commit where it reads it, without a turn of its loop in between.
        The checks are exactly :meth:`check`'s (the same code, op by op), and a
        break raises IpcViolation as it does.
        """
        if len(ops) > UNPACED_OPS or any(isinstance(op, _PACED) for op in ops):
            return None
        self._check_size(ops)
        out: list[Op] = []
        for op in coalesce(ops):
            out.extend(self._unpaced(op))
        return out

    def _check_size(self, ops: list[Op]) -> None:
        limits = self.limits
        if len(ops) > limits.commit_ops:
            raise IpcViolation(f"a commit of {len(ops)} ops, over the limit of {limits.commit_ops}")
        payload = sum(map(_payload, ops))
        if payload > limits.commit_bytes:
            raise IpcViolation(f"a commit carrying {payload} characters, over the limit of {limits.commit_bytes}")

    def _log_dropped(self, since: int) -> None:
        tags = sorted(set(self.dropped[since:]) - _UNSEEN_ANYWAY)
        if tags:
            log.warning("window %d: not drawn: %s (main draws no embedded, fetched or unknown content)",
                        self.window_id, ", ".join(f"<{t}>" for t in tags))
        if len(self.dropped) > 1000:
            del self.dropped[:-1000]

    # -- one op -------------------------------------------------------------------

    async def _op(self, op: Op, pace: Pace) -> list[Op]:
        if isinstance(op, ReplaceDocument):
            return await self._replace(op.html, pace)
        if isinstance(op, Insert):
            shown = self.shown.get(op.parent)
            if shown is None:
                return []  # not displayed (dropped by main, or gone in a race)
            return await self._insert(op.parent, shown, op.html, op.before, pace)
        if isinstance(op, SetHTML):
            shown = self.shown.get(op.node)
            if shown is None:
                return []
            if shown.depth == 1 or shown.tag in RAW_TEXT_ELEMENTS or shown.tag in VOID_ELEMENTS:
                return []  # the renderer sends SetText for raw text; the others cannot be emptied
            self._forget_kids(shown)
            self._resize(shown, lambda: setattr(shown, "text", 0))
            return await self._content(op.node, shown, op.html, None, pace, replace=True)
        return self._unpaced(op)

    def _unpaced(self, op: Op) -> list[Op]:
        """The checks of an op that carries no HTML to parse (any but :data:`_PACED`)."""
        if isinstance(op, SetTitle):
            title = printable(op.title[: self.limits.title_chars], keep_newlines=False)
            # Tk 8.6 cannot draw characters outside the Basic Multilingual Plane.
            return [SetTitle("".join(ch if ch <= "\uffff" else "\ufffd" for ch in title))]
        if isinstance(op, _PACED):
            raise AssertionError(f"{type(op).__name__} is checked by _op")  # check_now never passes one
        shown = self.shown.get(op.node)
        if shown is None:
            return []  # not displayed (dropped by main, or gone in a race)
        if isinstance(op, Remove):
            if shown.tag in _DOCUMENT_TAGS:
                return []  # Tkhtml crashes when one of these leaves the document
            self._forget(op.node)
            return [op]
        if isinstance(op, (SetAttr, RemoveAttr)):
            return self._attr(op, shown)
        if isinstance(op, SetText):
            if shown.depth == 1:
                return []  # would take <head> and <body> away
            self._forget_kids(shown)
            text = clean_css(op.text) if shown.tag == "style" else op.text
            self._resize(shown, lambda: setattr(shown, "text", len(text)))
            self._grow_text(len(text), shown.tag)
            if needs_runs(text, shown.tag):
                return [SetHTML(op.node, serialize(split_runs([text], shown.tag)))]
            return [SetText(op.node, text)]
        if isinstance(op, SetValue):
            self._resize(shown, lambda: shown.own_attrs().__setitem__("\0value", len(op.value)))
            return [op]
        if isinstance(op, (SetChecked, Focus)):
            return [op]
        raise IpcViolation(f"an op main does not know: {type(op).__name__}")

    def _attr(self, op: SetAttr | RemoveAttr, shown: _Shown) -> list[Op]:
        if op.name == ID_ATTR:
            raise IpcViolation(f"an op changing the framework's {ID_ATTR} attribute of node {op.node}")
        if shown.tag == "a" and op.name == "href":
            link = op.value if isinstance(op, SetAttr) and not attribute_allowed("a", "href", op.value) else None
            self._resize(shown, lambda: _set_link(shown, link))
        if isinstance(op, RemoveAttr):
            if op.name not in shown.attrs:
                return []
            self._resize(shown, lambda: shown.own_attrs().pop(op.name))
            return [op]
        if not attribute_allowed(shown.tag, op.name, op.value):
            # A refused value replaces an allowed one: the old one must go too.
            return self._attr(RemoveAttr(op.node, op.name), shown)
        value = clean_value(op.name, op.value)
        self._resize(shown, lambda: shown.own_attrs().__setitem__(op.name, len(value)))
        return [SetAttr(op.node, op.name, value)]

    async def _replace(self, html: str, pace: Pace) -> list[Op]:
        self.shown.clear()
        self.bytes = self.text = self.css = 0
        [root] = await self._parse(html, True, 0, pace)
        assert isinstance(root, HtmlElement)
        head, body = root.children  # parse_document always makes exactly these two
        assert isinstance(head, HtmlElement) and isinstance(body, HtmlElement)
        head.children = clean_tree(head.children, self.dropped)
        body.children = clean_tree(body.children, self.dropped)
        for el in (root, head, body):
            el.attrs = {k: v for k, v in el.attrs.items() if k == ID_ATTR or attribute_allowed(el.tag, k, v)}
        counts = self._register(None, [root])
        body.children = split_runs(body.children, "body")
        if counts[id(body)] <= self.limits.slice_elements:
            return [ReplaceDocument(serialize(root))]
        kids, body.children = body.children, []  # the skeleton (and the whole head) first
        first = ReplaceDocument(serialize(root))
        body.children = kids
        return [first, *self._slices(self._id(body), kids, None, counts)]

    async def _insert(self, parent: int, shown: _Shown, html: str, before: int | None, pace: Pace) -> list[Op]:
        if shown.tag in VOID_ELEMENTS:
            return []
        if before is not None and before not in shown.kids:
            before = None  # Tkhtml cannot insert before a node of another parent
        return await self._content(parent, shown, html, before, pace, replace=False)

    async def _content(self, parent: int, shown: _Shown, html: str, before: int | None, pace: Pace, *,
                       replace: bool) -> list[Op]:
        """The ops that put ``html`` into ``parent`` (all its content when ``replace``)."""
        scanned = await self._scan(parent, shown, html, pace) if self.fast else None
        if scanned is None:
            nodes = await self._parse(html, False, shown.depth, pace)
            return self._fill(parent, shown, nodes, before, replace=replace)
        return self._fill_scanned(parent, shown, html, scanned, before, replace=replace)

    async def _scan(self, parent: int, shown: _Shown, html: str, pace: Pace) -> Scanned | None:
        """The fast path's verdict on ``html`` (None: parse it), limits included."""
        limits = self.limits
        scan = scan_fragment(html, parent=parent, parent_tag=shown.tag, base_depth=shown.depth, shown=self.shown,
                             max_depth=limits.max_depth, room=limits.window_elements - len(self.shown),
                             slice_elements=limits.slice_elements)
        try:
            while True:
                next(scan)
                await pace()
        except StopIteration as done:
            scanned: Scanned | None = done.value
        if scanned is None or self.bytes + scanned.added > limits.window_bytes \
                or self.text + scanned.text > limits.window_text:
            return None  # the careful path raises the violation, with its message
        return scanned

    def _fill_scanned(self, parent: int, shown: _Shown, html: str, scanned: Scanned, before: int | None, *,
                      replace: bool) -> list[Op]:
        """Register what :func:`scan_fragment` proved and return the ops
        :meth:`_fill` would have returned for it: slices of ``html`` itself."""
        table = self.shown
        if scanned.leaves is not None:
            # A list's rows: one shadow entry each, made and stored without a
            # Python step per row.
            ids, tags, sizes = scanned.leaves
            table.update(zip(ids, map(_Shown, tags, repeat(parent), repeat(shown.depth + 1), sizes), strict=True))
            new_elements = len(ids)
        else:
            for nid, tag, into, depth, attrs, text in scanned.elements:
                entry = _Shown(tag, into, depth, text)
                if attrs:
                    entry.attrs = attrs
                table[nid] = entry
                if into != parent:
                    table[into].own_kids().add(nid)
            new_elements = len(scanned.elements)
        if scanned.top:
            shown.own_kids().update(scanned.top)
        shown.text += scanned.top_text
        self._grow(scanned.added)
        self._grow_text(scanned.text)
        budget = self.limits.slice_elements
        if shown.tag in _WHOLE or new_elements <= budget:
            ops: list[Op] = [Insert(parent, html, before)] if html or replace else []
        else:
            ops = []
            start = end = size = 0
            chunk = False
            for node_start, node_end, count in scanned.spans:
                if chunk and size + count > budget:
                    ops.append(Insert(parent, html[start:end], before))
                    chunk, size = False, 0
                if not chunk:
                    chunk, start = True, node_start
                size += count
                end = node_end
            if chunk:
                ops.append(Insert(parent, html[start:end], before))
        if replace:
            if ops:
                first = ops[0]
                assert isinstance(first, Insert)
                ops[0] = SetHTML(parent, first.html)
            else:
                ops.insert(0, SetHTML(parent, ""))
        return ops

    def _fill(self, parent: int, shown: _Shown, nodes: list[Node], before: int | None, *, replace: bool) -> list[Op]:
        """Register and slice ``nodes`` going into ``parent`` (all its content when ``replace``)."""
        if shown.tag in RAW_TEXT_ELEMENTS:
            text = "".join(n for n in nodes if isinstance(n, str))
            nodes = [clean_css(text) if shown.tag == "style" else text] if text else []
        else:
            nodes = [n for n in nodes if isinstance(n, str) or n.tag not in _DOCUMENT_TAGS or self._drop(n)]
            nodes = clean_tree(nodes, self.dropped)
        counts = self._register(parent, nodes)
        nodes = split_runs(nodes, shown.tag)
        whole = shown.tag in _WHOLE or shown.tag in RAW_TEXT_ELEMENTS
        total = sum(counts.get(id(n), 0) for n in nodes)
        if whole or total <= self.limits.slice_elements:
            ops: list[Op] = [Insert(parent, serialize(nodes), before)] if nodes or replace else []
        else:
            ops = self._slices(parent, nodes, before, counts)
        if replace:
            if ops and isinstance(ops[0], Insert) and ops[0].parent == parent:
                ops[0] = SetHTML(parent, ops[0].html)
            else:
                ops.insert(0, SetHTML(parent, ""))
        return ops

    def _drop(self, el: HtmlElement) -> bool:
        self.dropped.append(el.tag)
        return False

    # -- parsing and slicing ------------------------------------------------------------

    async def _parse(self, html: str, document: bool, base_depth: int, pace: Pace) -> list[Node]:
        room = self.limits.window_elements - len(self.shown)
        parser = TreeParser(document, max_depth=self.limits.max_depth, base_depth=base_depth,
                            max_elements=max(room, 0))
        try:
            for start in range(0, len(html), _PARSE_PIECE):
                parser.feed(html[start:start + _PARSE_PIECE])
                await pace()
            return parser.finish()
        except HtmlLimitError as exc:
            if str(exc).startswith("more than"):
                raise IpcViolation(f"window {self.window_id} would display {exc}, over the limit of "
                                   f"{self.limits.window_elements} elements per window") from None
            raise IpcViolation(f"a commit nesting elements too deep: {exc}") from None

    def _slices(self, parent: int, nodes: list[Node], before: int | None, counts: dict[int, int]) -> list[Op]:
        """Inserts of at most ``slice_elements`` elements each that, applied in
        order, build ``nodes`` under ``parent`` (before ``before``).

        A node too big for one slice goes in as an empty shell and its
        children follow, appended to it; elements in :data:`_WHOLE` go whole.
        """
        budget = self.limits.slice_elements
        ops: list[Op] = []
        todo: list[tuple[int, list[Node], int | None]] = [(parent, nodes, before)]
        while todo:
            into, items, where = todo.pop(0)
            chunk: list[Node] = []
            size = 0
            later: list[tuple[int, list[Node], int | None]] = []
            for node in items:
                count = counts.get(id(node), 0)
                if chunk and size + count > budget:
                    ops.append(Insert(into, serialize(chunk), where))
                    chunk, size = [], 0
                if count > budget and isinstance(node, HtmlElement) and node.tag not in _WHOLE \
                        and node.tag not in RAW_TEXT_ELEMENTS:
                    kids, node.children = node.children, []
                    ops.append(Insert(into, serialize(node), where))
                    node.children = kids
                    later.append((self._id(node), kids, None))
                else:
                    chunk.append(node)
                    size += count
            if chunk:
                ops.append(Insert(into, serialize(chunk), where))
            todo[:0] = later  # a shell's children come before the next sibling's content
        return ops

    # -- the shadow ---------------------------------------------------------------------

    @staticmethod
    def _id(el: HtmlElement) -> int:
        return int(el.attrs[ID_ATTR])

    def _register(self, parent: int | None, nodes: list[Node]) -> dict[int, int]:
        """Record these new subtrees under ``parent``; element counts by ``id()``.

        Raises IpcViolation for a missing, malformed or repeated node id, or
        when the window would hold too many elements or characters.
        """
        base = self.shown[parent].depth if parent is not None else 0
        order: list[HtmlElement] = []
        added = text = css = 0
        todo: list[tuple[Node, int | None, int]] = [(n, parent, base + 1) for n in nodes]
        while todo:
            node, into, depth = todo.pop()
            if isinstance(node, str):
                if into is not None:
                    owner = self.shown[into]
                    owner.text += len(node)
                    added += len(node)
                    text += len(node)
                    if owner.tag == "style":
                        css += len(node)
                continue
            raw = node.attrs.get(ID_ATTR)
            if raw is None or not NODE_ID.match(raw):
                shown_id = "no id" if raw is None else f"id {_short(raw)!r}"
                raise IpcViolation(f"an element <{_short(node.tag)}> with {shown_id} (node ids are positive integers)")
            nid = int(raw)
            if nid in self.shown:
                raise IpcViolation(f"node id {nid} is already displayed")
            if depth > self.limits.max_depth:
                raise IpcViolation(f"an element nested {depth} deep, over the limit of {self.limits.max_depth}")
            entry = _Shown(node.tag, into, depth)
            entry.link = node.attrs.pop(LINK_KEY, None)
            sizes = {k: len(v) for k, v in node.attrs.items() if k != ID_ATTR}
            if entry.link is not None:
                sizes[LINK_KEY] = len(entry.link)
            if sizes:
                entry.attrs = sizes
            self.shown[nid] = entry
            if into is not None:
                self.shown[into].own_kids().add(nid)
            added += entry.size()
            order.append(node)
            todo.extend((c, nid, depth + 1) for c in node.children)
        if len(self.shown) > self.limits.window_elements:
            raise IpcViolation(f"window {self.window_id} would display {len(self.shown)} elements, over the limit "
                               f"of {self.limits.window_elements}")
        self._grow(added)
        self._grow_text(text - css)
        self._grow_text(css, "style")
        counts: dict[int, int] = {}
        for el in reversed(order):  # children before their parents
            counts[id(el)] = counts.get(id(el), 0) + 1
            if el.parent is not None:
                counts[id(el.parent)] = counts.get(id(el.parent), 0) + counts[id(el)]
        return counts

    def _grow(self, delta: int) -> None:
        self.bytes += delta
        if self.bytes > self.limits.window_bytes:
            raise IpcViolation(f"window {self.window_id} would display {self.bytes} characters, over the limit "
                               f"of {self.limits.window_bytes}")

    def _grow_text(self, delta: int, tag: str = "") -> None:
        self.text += delta
        if tag == "style":
            self.css += delta
            if self.css > self.limits.window_css:
                raise IpcViolation(f"window {self.window_id} would display {self.css} characters of style sheets, "
                                   f"over the limit of {self.limits.window_css}")
        if self.text > self.limits.window_text:
            raise IpcViolation(f"window {self.window_id} would display {self.text} characters of text, over the "
                               f"limit of {self.limits.window_text}")

    def _resize(self, shown: _Shown, change: Callable[[], object]) -> None:
        before = shown.size()
        change()
        self._grow(shown.size() - before)

    def _forget_kids(self, shown: _Shown) -> None:
        kids = list(shown.kids)
        shown.kids = _NO_KIDS
        self._drop_subtrees(kids)
        self.bytes -= shown.text
        self._grow_text(-shown.text, shown.tag)
        shown.text = 0

    def _forget(self, nid: int) -> None:
        """Drop ``nid`` and its subtree from the shadow."""
        top = self.shown.get(nid)
        if top is None:
            return
        if top.parent is not None and top.parent in self.shown:
            self.shown[top.parent].own_kids().discard(nid)
        self._drop_subtrees([nid])

    def _drop_subtrees(self, todo: list[int]) -> None:
        """Drop these subtrees from the shadow (their parents' ``kids`` are the caller's)."""
        pop = self.shown.pop
        size = text = css = 0
        while todo:
            # One level of the subtrees at a time, with C-level passes over
            # it: a list's rows are dropped a thousand at a time.
            entries = list(filter(None, map(pop, todo, repeat(None))))
            todo = []
            texts = sum(map(_TEXT_OF, entries))
            size += sum(map(len, map(_TAG_OF, entries))) + texts
            text += texts
            for entry in filter(_ATTRS_OF, entries):
                size += sum(len(k) + v for k, v in entry.attrs.items())
            if texts and self.css:  # only a <style> holds style sheet text
                css += sum(entry.text for entry in entries if entry.tag == "style")
            for entry in filter(_KIDS_OF, entries):
                todo.extend(entry.kids)
        self.bytes -= size
        self._grow_text(-(text - css))
        self._grow_text(-css, "style")
