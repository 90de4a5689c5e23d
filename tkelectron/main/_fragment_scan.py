"""The fast path of main's commit rules: a fragment in the renderer's own
canonical form, checked in one pass of a regular expression.

A renderer serializes every fragment it commits the same way
(``renderer/_dom_serialize.py``): ``<tag name="value">`` with lowercase names,
one space before each attribute, values double-quoted and escaped (``&amp;``,
``&quot;``, ``&lt;``, ``&gt;``), text escaped (``&amp;``, ``&lt;``, ``&gt;``),
every element closed in order, void elements never closed. For such HTML,
the careful path of :class:`~._commit_rules.CommitRules` (parse with
``html.parser``, clean, rebuild, serialize) gives back the very same string
whenever it has nothing to drop, rewrite or refuse.

:func:`scan_fragment` proves exactly that, or gives up: it walks the
fragment's tokens with one compiled expression and returns ``None`` — the
caller then takes the careful path, which drops, rewrites or raises as it
always did — as soon as anything is not plainly the case:

- a byte that is not part of a canonical token (a comment, a doctype, an
  unquoted or single-quoted attribute, ``/>``, a raw ``<``, ``>`` or ``"``
  where it would be escaped, an entity other than those four);
- an element that is not on the sanitizer's allowlist, or one whose content
  the parser treats specially (``script``, ``style``, ``textarea``,
  ``title``, the document's own ``html``/``head``/``body``);
- an attribute the sanitizer would drop or whose value it would change
  (event handlers, ``href`` other than an in-page anchor, ``src`` other than
  a ``data:image/`` URL, CSS that names a resource, numbers past their
  ceilings), or a repeated one;
- a start tag that would make the parser close an open element (a block in
  a ``<p>``, an ``<li>`` in an ``<li>``, ``<dt>``/``<dd>``, ``<option>``), an
  end tag that does not close the innermost open element, a void element's
  end tag, an element left open;
- a missing, malformed, repeated or already displayed ``data-tke-id``;
  nesting past the window's depth limit; more elements, characters or text
  than the window may still show;
- text long enough to be cut into runs (``split_runs``), or a top-level
  element too big for one slice that would be split into a shell and its
  children.

Two shapes a page commits most, a list's rows (elements holding only short
plain text) and a table's rows (``tr`` of such ``td``/``th``), are checked
without the general walk's Python step per token: a regular expression
proves the shape, C-level passes read the ids and texts, and the checks left
(ids, depth, room, text length) run on those lists; anything else in them
falls to the walk.

What it accepts needs no rebuilding: the ops carry the renderer's string
itself (sliced at top-level node boundaries for large inserts), which is the
string the careful path would have produced. The shadow entries it returns
are those the careful path would have registered (tests/security/
test_fragment_scan.py checks both on a corpus of honest and hostile HTML).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any

from ..common._html import _CLOSES_P, _LIST_SCOPE, _P_SCOPE, RAW_TEXT_ELEMENTS, VOID_ELEMENTS
from ._html_sanitizer import (
    ALLOWED_TAGS,
    PLAIN_ATTRS,
    RUN_CHARS,
    RUN_LINES,
    attribute_allowed,
    clean_value,
    element_allowed,
)

__all__ = ["ID_ATTR", "NODE_ID", "WHOLE_ELEMENTS", "Scanned", "scan_fragment"]

#: The attribute that carries the renderer's node id of an element.
ID_ATTR = "data-tke-id"
#: What a node id looks like: a positive decimal integer of at most 16 digits.
NODE_ID = re.compile(r"[1-9][0-9]{0,15}\Z")
#: Elements whose content Tkhtml must get in one piece: a table's rows need
#: their table, a select's widget lists its options, a textarea holds text.
WHOLE_ELEMENTS = frozenset("table thead tbody tfoot tr colgroup select optgroup datalist textarea head".split())

_NAME = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
# One canonical token: a start tag (1: tag, 2: its id, which the renderer
# writes first, 3: the other attributes), with its text and end tag when that
# is all it holds (4: the text), an end tag (5), or text (6). Anything else
# in the string matches none of them.
_TOKEN = re.compile(
    rf'<({_NAME}) data-tke-id="([1-9][0-9]{{0,15}})"((?: [a-z_:][a-z0-9_.:-]*="[^"<>]*")*)>(?:([^<>]*)</\1>)?'
    rf"|</({_NAME})>"
    r"|([^<>]+)"
)
_ATTR = re.compile(r' ([a-z_:][a-z0-9_.:-]*)="([^"<>]*)"')
# One element holding nothing but plain text, with its id alone (1: the tag,
# 2: the id, 3: the text). A fragment of them, split by it, leaves nothing
# between them (see _leaf_items).
_LEAF = re.compile(r'<([a-z][a-z0-9]*) data-tke-id="([1-9][0-9]{0,15})">([^<>&]*)</\1>')
# A fragment of table rows, each holding nothing but cells of plain text
# (every element with its id alone); one row (1: its cells' last tag); and
# one of its elements (1: the tag, 2: the id, 3: a cell's text).
_ROWS = re.compile(r'(?:<tr data-tke-id="[1-9][0-9]{0,15}">(?:<(t[dh]) data-tke-id="[1-9][0-9]{0,15}">[^<>&]*</\1>)+</tr>)+')
_ROW = re.compile(r'<tr data-tke-id="[1-9][0-9]{0,15}">(?:<(t[dh]) data-tke-id="[1-9][0-9]{0,15}">[^<>&]*</\1>)+</tr>')
_ROW_ITEM = re.compile(r'<(t[rdh]) data-tke-id="([1-9][0-9]{0,15})">([^<>&]*)')
_TAG_AT = re.compile(rf"<({_NAME})")
# An ampersand that is not one of the entities the renderer writes.
_ODD_TEXT_AMP = re.compile(r"&(?!amp;|lt;|gt;)")
_ODD_ATTR_AMP = re.compile(r"&(?!amp;|lt;|gt;|quot;)")

#: Elements the fast path takes: the allowlist, less what the parser reads
#: as raw or escapable text (its content is not tokens) and the document's own.
_FAST_TAGS = ALLOWED_TAGS - RAW_TEXT_ELEMENTS - frozenset({"textarea", "title", "html", "head", "body"})
# Open elements the parser may close implicitly (common/_html.py), and the
# start tags that may make it.
_CLOSABLE = frozenset({"p", "li", "dt", "dd", "option", "optgroup"})
_CLOSING = _CLOSES_P | _CLOSABLE
# Elements that may stand side by side holding text whatever they are (no
# implicit close: none is open when the next starts), void ones left out.
_LEAF_TAGS = _FAST_TAGS - VOID_ELEMENTS
#: Tokens between two chances for the caller to let main's loop run (~2 ms).
_TOKENS_PER_TURN = 2048
#: The longest fragment the table rows' shortcut takes in one go (~900 rows
#: of three cells, ~2.5 ms); a longer one is walked, with turns for main's
#: loop.
_LEAVES_AT_ONCE = 128 * 1024
#: How much of a fragment of leaves (a list's rows) is matched between two
#: turns for main's loop (~1.5 ms); a longer one is matched in pieces.
_LEAVES_PIECE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Scanned:
    """A fragment proved canonical and clean, and what displaying it adds."""

    #: (id, tag, parent id, depth, attribute name -> value length, text length)
    #: of each element, in document order (parents before children); empty
    #: when ``leaves`` holds them instead.
    elements: list[tuple[int, str, int, int, dict[str, int], int]]
    #: The ids of the top-level elements (the new children of the parent).
    top: list[int]
    #: Characters of text at the top level (the parent's own new text).
    top_text: int
    #: (start, end, elements) of each top-level node in the string, in order.
    spans: list[tuple[int, int, int]]
    #: Characters the window shows more (tags, attributes, text), as the
    #: careful path counts them, and of those the text.
    added: int
    text: int
    #: A fragment of elements holding only text, without attributes, all
    #: children of the parent (a list's rows), as columns: their ids, tags
    #: and text lengths, in document order (``elements`` is then empty). The
    #: caller registers them without a Python step per row.
    leaves: tuple[list[int], list[str], list[int]] | None = None


def _decoded_len(value: str) -> int:
    """The length of an escaped value once the parser decodes its entities."""
    return (len(value) - 4 * value.count("&amp;") - 3 * value.count("&lt;") - 3 * value.count("&gt;")
            - 5 * value.count("&quot;"))


def _decode(value: str) -> str:
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _attrs(tag: str, source: str) -> dict[str, int] | None:
    """The value lengths of a start tag's attributes (its id left out), or
    None when the sanitizer would change anything in them."""
    sizes: dict[str, int] = {}
    for name, value in _ATTR.findall(source):
        if name in sizes or name == ID_ATTR:
            return None  # a repeated attribute: the parser keeps the first
        escaped = "&" in value
        if escaped and _ODD_ATTR_AMP.search(value):
            return None
        if name not in PLAIN_ATTRS and not name.startswith(("data-", "aria-")):
            decoded = _decode(value) if escaped else value
            if not attribute_allowed(tag, name, decoded) or clean_value(name, decoded) != decoded:
                return None
        sizes[name] = _decoded_len(value) if escaped else len(value)
    return sizes


def _text_size(chunk: str) -> int:
    """The length of escaped text once decoded; -1 when the careful path
    would read it otherwise (an odd entity) or cut it into runs."""
    if "&" in chunk:
        if _ODD_TEXT_AMP.search(chunk):
            return -1
        size = _decoded_len(chunk)
    else:
        size = len(chunk)
    if size > RUN_LINES and (size > RUN_CHARS or chunk.count("\n") > RUN_LINES):
        return -1  # might be cut into runs (a superset of needs_runs)
    return size


def _leaf_items(html: str) -> Generator[None, None, tuple[list[str], list[str], list[str]] | None]:
    """The tags, ids and texts of the elements of ``html`` when it is only
    elements holding plain text, each with its id alone (a list's rows);
    None when it is not.

    One C-level pass: ``html`` split by :data:`_LEAF` gives, for each match,
    the text before it and its three groups. Every such text is empty
    exactly when the matches cover ``html`` end to end, that is when it is
    a run of leaves and nothing else (a leaf ends at the first ``</`` after
    its start tag, so the run is cut into leaves one way only, the way the
    split finds them).

    Split :data:`_LEAVES_PIECE` characters at a time, yielding between
    pieces: a 10,000-row list (~550 KB) takes this shortcut too, instead of
    the general walk's Python step per token. A piece ends after the end tag
    that follows its limit ("</" appears nowhere else in such a fragment),
    so each piece is a whole run of leaves exactly when the fragment is, and
    the pieces' leaves are the fragment's.
    """
    tags: list[str] = []
    ids: list[str] = []
    texts: list[str] = []
    start, end = 0, len(html)
    while start < end:
        cut = html.find("</", start + _LEAVES_PIECE) if end - start > _LEAVES_PIECE else -1
        stop = end if cut < 0 else html.find(">", cut) + 1
        if stop <= start:
            return None
        parts = _LEAF.split(html[start:stop] if start or stop != end else html)
        if len(parts) < 5 or any(parts[::4]):
            return None  # no leaf, or something between two of them (or before or after)
        tags += parts[1::4]
        ids += parts[2::4]
        texts += parts[3::4]
        start = stop
        if start < end:
            yield
    return tags, ids, texts


def _leaves(tags: list[str], raws: list[str], texts: list[str], parent: int, base_depth: int,
            shown: Mapping[int, object], max_depth: int, room: int, slice_elements: int) -> Scanned | None:
    """:func:`scan_fragment` of a fragment that is only elements holding short
    plain text, each with its id alone (the columns :func:`_leaf_items`
    returns), without a Python step per element (C-level passes over the
    columns); None: let the general walk decide."""
    depth = base_depth + 1
    count = len(raws)
    if depth > max_depth or count > room or not count:
        return None
    if not set(tags) <= _LEAF_TAGS:
        return None
    ids = list(map(int, raws))
    if len(set(ids)) != count or not shown.keys().isdisjoint(ids):
        return None
    sizes = list(map(len, texts))
    if max(sizes) > RUN_LINES:
        return None  # could be cut into runs: the general walk looks closer
    tag_chars = sum(map(len, tags))
    spans: list[tuple[int, int, int]] = []
    if count > slice_elements:  # only slicing reads them
        # <tag data-tke-id="raw">text</tag>: 20 characters and the tag twice,
        # the id and the text.
        lengths = map(sum, zip(map(len, tags), map(len, tags), map(len, raws), sizes, repeat(20), strict=False))  # repeat: endless
        ends = list(accumulate(lengths))
        spans = list(zip([0, *ends[:-1]], ends, repeat(1), strict=False))  # repeat: endless
    text = sum(sizes)
    return Scanned([], ids, 0, spans, text + tag_chars, text, (ids, tags, sizes))


def _table_rows(html: str, parent: int, base_depth: int, shown: Mapping[int, object], max_depth: int,
                room: int, slice_elements: int, parent_tag: str) -> Scanned | None:
    """:func:`scan_fragment` of a fragment that is only table rows of cells
    holding short plain text, each element with its id alone (a table's
    body refilled), with C-level regex passes and one plain loop over the
    elements instead of the general walk's step per token; None: let the
    general walk decide.

    What the walk would check holds by the shape alone: ``tr``, ``td`` and
    ``th`` are on the fast path's list, none makes the parser close an open
    element here (no ``p``, ``li``, ``dt`` or ``dd`` is ever open), every end
    tag closes the innermost element, no text needs decoding. What is left
    is checked below as the walk checks it: depth, ids, room, text length.
    """
    items = _ROW_ITEM.findall(html)
    if base_depth + 2 > max_depth or len(items) > room:
        return None
    ids = [int(raw) for _, raw, _ in items]
    if len(set(ids)) != len(ids) or not shown.keys().isdisjoint(ids):
        return None
    if max(len(text) for _, _, text in items) > RUN_LINES:
        return None  # could be cut into runs: the general walk looks closer
    elements: list[tuple[int, str, int, int, dict[str, int], int]] = []
    top: list[int] = []
    row_depth, cell_depth = base_depth + 1, base_depth + 2
    row = parent
    for (tag, _, text), nid in zip(items, ids, strict=True):
        if tag == "tr":
            row = nid
            top.append(nid)
            elements.append((nid, tag, parent, row_depth, {}, 0))
        else:
            elements.append((nid, tag, row, cell_depth, {}, len(text)))
    spans: list[tuple[int, int, int]] = []
    if parent_tag not in WHOLE_ELEMENTS and len(elements) > slice_elements:  # only slicing reads them
        spans = [(m.start(), m.end(), m.group().count("<t")) for m in _ROW.finditer(html)]
        if any(count > slice_elements for _, _, count in spans):
            return None  # a row to be split into a shell and its cells: the careful path does that
    text = sum(size for *_, size in elements)
    return Scanned(elements, top, 0, spans, text + sum(len(e[1]) for e in elements), text)


def _would_close(stack: list[tuple[str, int]], tag: str) -> bool:
    """Whether the parser closes an open element when start tag ``tag`` comes."""
    if tag in ("option", "optgroup"):
        return stack[-1][0] == "option" or (tag == "optgroup" and stack[-1][0] == "optgroup")
    targets: tuple[str, ...]
    if tag in _CLOSES_P:
        targets, scope = ("p",), _P_SCOPE
    elif tag == "li":
        targets, scope = ("li",), _LIST_SCOPE
    elif tag in ("dt", "dd"):
        targets, scope = ("dt", "dd"), _LIST_SCOPE
    else:
        return False
    for target in targets:
        for name, _ in reversed(stack):
            if name == target:
                return True
            if name in scope:
                break
    return False


def scan_fragment(html: str, *, parent: int, parent_tag: str, base_depth: int, shown: Mapping[int, object],
                  max_depth: int, room: int, slice_elements: int) -> Generator[None, None, Scanned | None]:
    """Check ``html`` going into element ``parent`` (a ``parent_tag`` at
    ``base_depth``) as the careful path would; None: take the careful path.

    ``shown`` holds the ids already displayed; ``room`` is how many more
    elements the window may show. A generator: it yields every few thousand
    tokens so that the caller can let main's loop run, and returns its
    answer. Nothing is changed: the caller registers what is returned.
    """
    if parent_tag in RAW_TEXT_ELEMENTS:
        return None
    if html.startswith("<") and not html.startswith("</"):
        columns = yield from _leaf_items(html)
        if columns is not None:
            flat = _leaves(*columns, parent, base_depth, shown, max_depth, room, slice_elements)
            if flat is not None:
                return flat
    if html.startswith("<tr ") and len(html) <= _LEAVES_AT_ONCE and _ROWS.fullmatch(html):
        rows = _table_rows(html, parent, base_depth, shown, max_depth, room, slice_elements, parent_tag)
        if rows is not None:
            return rows
    # (id, tag, parent id, depth, attribute sizes, text) of each element so far.
    elements: list[list[Any]] = []
    new: set[int] = set()
    top: list[int] = []
    spans: list[tuple[int, int, int]] = []
    stack: list[tuple[str, int]] = []  # open elements: (tag, index in elements), the innermost last
    closable = 0  # how many of them the parser may close implicitly
    top_text = added = text = 0
    top_start = top_count = 0
    pos = 0
    turn = _TOKENS_PER_TURN
    match = _TOKEN.match
    end = len(html)
    while pos < end:
        m = match(html, pos)
        if m is None:
            return None
        start, pos = pos, m.end()
        turn -= 1
        if not turn:
            yield
            turn = _TOKENS_PER_TURN
        kind = m.lastindex
        if kind is not None and kind <= 4:  # a start tag (3), or a whole element holding only text (4)
            tag, raw_id, rest, chunk = m.group(1, 2, 3, 4)
            if tag not in _FAST_TAGS and (tag in ALLOWED_TAGS or not element_allowed(tag)):
                return None
            sizes: dict[str, int] = {}
            if rest:
                got = _attrs(tag, rest)
                if got is None:
                    return None
                sizes = got
                added += sum(len(k) + v for k, v in sizes.items())
            if closable and tag in _CLOSING and _would_close(stack, tag):
                return None
            depth = base_depth + len(stack) + 1
            nid = int(raw_id)
            if depth > max_depth or nid in shown or nid in new or len(elements) >= room:
                return None
            new.add(nid)
            if stack:
                into = elements[stack[-1][1]][0]
            else:
                into = parent
                top.append(nid)
                top_start, top_count = start, len(elements)
            added += len(tag)
            own = 0
            if kind == 4:
                if tag in VOID_ELEMENTS:
                    return None  # a void element's end tag: the parser drops it
                if chunk:
                    own = _text_size(chunk)
                    if own < 0:
                        return None
                    added += own
                    text += own
            elements.append([nid, tag, into, depth, sizes, own])
            if kind == 4 or tag in VOID_ELEMENTS:
                if not stack:
                    spans.append((start, pos, 1))
            else:
                stack.append((tag, len(elements) - 1))
                if tag in _CLOSABLE:
                    closable += 1
        elif kind == 5:  # an end tag
            tag = m.group(5)
            if not stack or stack[-1][0] != tag:
                return None
            stack.pop()
            if tag in _CLOSABLE:
                closable -= 1
            if not stack:
                spans.append((top_start, pos, len(elements) - top_count))
        else:  # text
            size = _text_size(m.group(6))
            if size < 0:
                return None
            added += size
            text += size
            if stack:
                elements[stack[-1][1]][5] += size
            else:
                top_text += size
                spans.append((start, pos, 0))
    if pos != len(html) or stack:
        return None
    if parent_tag not in WHOLE_ELEMENTS and len(elements) > slice_elements:
        for start, _end, count in spans:
            if count > slice_elements:
                found_tag = _TAG_AT.match(html, start)
                if found_tag is None or found_tag.group(1) not in WHOLE_ELEMENTS:
                    return None  # to be split into a shell and its children: the careful path does that
    return Scanned([tuple(e) for e in elements], top, top_text, spans, added, text)
