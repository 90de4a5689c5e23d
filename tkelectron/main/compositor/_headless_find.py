"""Find in page on the headless compositor: matches in the text its mirror would display.

The text is what a browser lays out, roughly as Tkhtml gives it: the text
of elements that are drawn (not ``head``, ``script``, ``style``, hidden or
``display: none`` elements), white space collapsed, a line break around
block elements. The surface records the highlights (``highlights``: the
matches' text offsets, ``active_highlight``: the current one), since nothing
is drawn; there is no layout, so the current match's area is zeros.
"""

from __future__ import annotations

import re

from ...common._html import HtmlElement, Node
from ._tk_find import literal_matches, near, wrap
from .base import FindResult

__all__ = ["HeadlessFind", "displayed_text"]

_SKIPPED = frozenset("head script style title meta link template base noscript".split())
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
_SPACE = re.compile(r"\s+")
_ID = "data-tke-id"


def _drawn(el: HtmlElement) -> bool:
    style = el.attrs.get("style", "").replace(" ", "").lower()
    return el.tag not in _SKIPPED and "hidden" not in el.attrs and "display:none" not in style


def displayed_text(root: HtmlElement) -> str:
    """The document's displayed text, white space collapsed, blocks on their own lines."""
    return _layout(root)[0]


def _layout(root: HtmlElement) -> tuple[str, list[tuple[int, HtmlElement]]]:
    """The displayed text, and where each element's own text starts in it (in order)."""
    pieces: list[tuple[str, HtmlElement | None]] = []
    todo: list[tuple[Node | None, HtmlElement]] = [(root, root)]
    while todo:
        item, parent = todo.pop()
        if item is None:  # the end of a block
            pieces.append(("\n", None))
        elif isinstance(item, str):
            pieces.append((_SPACE.sub(" ", item), parent))
        elif _drawn(item):
            if item.tag in _BLOCKS:
                pieces.append(("\n", None))
                todo.append((None, item))
            todo.extend((child, item) for child in reversed(item.children))
    # Blank lines and the spaces around line breaks go, as Tkhtml lays text out.
    out: list[str] = []
    starts: list[tuple[int, HtmlElement]] = []
    length = 0
    line_start = True
    for piece, owner in pieces:
        if piece == "\n":
            if out and out[-1].endswith(" "):
                trimmed = out[-1].rstrip(" ")
                length -= len(out[-1]) - len(trimmed)
                out[-1] = trimmed
            if not line_start and length:
                out.append("\n")
                length += 1
            line_start = True
            continue
        shown = piece.lstrip(" ") if line_start else piece
        if not shown:
            continue
        if owner is not None:
            starts.append((length, owner))
        out.append(shown)
        length += len(shown)
        line_start = False
    return "".join(out).rstrip("\n").rstrip(" "), starts


class HeadlessFind:
    """The find-in-page state of one headless surface."""

    def __init__(self) -> None:
        #: Offsets (start, end) in :func:`displayed_text` of the highlighted matches, nearest the current first.
        self.highlights: list[tuple[int, int]] = []
        #: The current match's offsets, or None.
        self.active_highlight: tuple[int, int] | None = None
        self._starts: list[tuple[int, HtmlElement]] = []

    def find(self, root: HtmlElement, text: str, match_case: bool, active: int) -> FindResult:
        displayed, self._starts = _layout(root)
        spans = literal_matches(displayed, text, match_case)
        if not spans:
            self.highlights, self.active_highlight = [], None
            return FindResult(0, 0)
        active = wrap(active, len(spans))
        self.highlights = near(spans, active)  # as many as Tkhtml highlights, around the current one
        self.active_highlight = spans[active - 1]
        return FindResult(len(spans), active)

    def current_element(self) -> int | None:
        """The node id of the element holding the current match (its nearest element with one)."""
        if self.active_highlight is None:
            return None
        start = self.active_highlight[0]
        owner = next((el for at, el in reversed(self._starts) if at <= start), None)
        while owner is not None:
            if owner.attrs.get(_ID, "").isdigit():
                return int(owner.attrs[_ID])
            owner = owner.parent
        return None

    def stop(self, keep_active: bool) -> None:
        self.highlights = []
        if not keep_active:
            self.active_highlight = None
