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


def _drawn(el: HtmlElement) -> bool:
    style = el.attrs.get("style", "").replace(" ", "").lower()
    return el.tag not in _SKIPPED and "hidden" not in el.attrs and "display:none" not in style


def displayed_text(root: HtmlElement) -> str:
    """The document's displayed text, white space collapsed, blocks on their own lines."""
    out: list[str] = []
    todo: list[Node | None] = [root]
    while todo:
        item = todo.pop()
        if item is None:  # the end of a block
            out.append("\n")
        elif isinstance(item, str):
            out.append(_SPACE.sub(" ", item))
        elif _drawn(item):
            block = item.tag in _BLOCKS
            if block:
                out.append("\n")
                todo.append(None)
            todo.extend(reversed(item.children))
    lines = (line.strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


class HeadlessFind:
    """The find-in-page state of one headless surface."""

    def __init__(self) -> None:
        #: Offsets (start, end) in :func:`displayed_text` of the highlighted matches, nearest the current first.
        self.highlights: list[tuple[int, int]] = []
        #: The current match's offsets, or None.
        self.active_highlight: tuple[int, int] | None = None

    def find(self, root: HtmlElement, text: str, match_case: bool, active: int) -> FindResult:
        spans = literal_matches(displayed_text(root), text, match_case)
        if not spans:
            self.highlights, self.active_highlight = [], None
            return FindResult(0, 0)
        active = wrap(active, len(spans))
        self.highlights = near(spans, active)  # as many as Tkhtml highlights, around the current one
        self.active_highlight = spans[active - 1]
        return FindResult(len(spans), active)

    def stop(self, keep_active: bool) -> None:
        self.highlights = []
        if not keep_active:
            self.active_highlight = None
