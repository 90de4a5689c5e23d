"""Find in page on Tkhtml: matches in the text the widget lays out, highlighted with its tags.

Tkhtml gives the laid-out text of the document (``$html text text``: what is
displayed, hidden elements left out), maps a character offset in it back to a
node and index (``text index``) and highlights ranges with tags (``tag
add``), which is what tkinterweb's own ``find_text`` does too. Its search
takes a regular expression from the caller; here the text is a literal, as
Electron's ``findInPage`` is, so a page's ``.*`` finds only those two
characters and no pattern can be slow.

At most :data:`MAX_HIGHLIGHTS` matches are highlighted, those nearest the
current one, within :data:`HIGHLIGHT_BUDGET` of main's time (one Tcl call
each, which Tkhtml pays with a walk of the document; the highlights move
with the current match); every match is counted. The current match is
scrolled into view.
"""

from __future__ import annotations

import re
import time
from typing import Any

from ._tk_stale_layout import settle
from .base import FindResult

__all__ = ["MAX_HIGHLIGHTS", "TkFind", "literal_matches", "near", "wrap"]

#: The most matches given a highlight in one search: those around the current
#: one (each is a Tkhtml tag range, about 0.3 ms to add on this machine).
MAX_HIGHLIGHTS = 200
#: Seconds main spends tagging the other matches of one search (the current one is always tagged).
HIGHLIGHT_BUDGET = 0.02
_ALL = "tke-find"
_ACTIVE = "tke-find-active"
_ALL_COLOURS = ("-bg", "#fff176", "-fg", "#000000")
_ACTIVE_COLOURS = ("-bg", "#ff9632", "-fg", "#000000")


def literal_matches(haystack: str, text: str, match_case: bool) -> list[tuple[int, int]]:
    """Start and end offsets of every non-overlapping occurrence of ``text``."""
    flags = 0 if match_case else re.IGNORECASE
    return [m.span() for m in re.finditer(re.escape(text), haystack, flags)]


def wrap(active: int, matches: int) -> int:
    """``active`` (1-based, may be 0 or past the end) wrapped into 1..matches."""
    return (active - 1) % matches + 1 if matches else 0


def near(spans: list[tuple[int, int]], active: int) -> list[tuple[int, int]]:
    """The at most :data:`MAX_HIGHLIGHTS` matches nearest the ``active``-th (1-based), nearest first."""
    first = min(max(active - 1 - MAX_HIGHLIGHTS // 2, 0), max(len(spans) - MAX_HIGHLIGHTS, 0))
    window = range(first, min(first + MAX_HIGHLIGHTS, len(spans)))
    return [spans[i] for i in sorted(window, key=lambda i: abs(i - (active - 1)))]


class TkFind:
    """Find-in-page highlights on one Tkhtml widget (one per surface: it keeps the current match)."""

    def __init__(self, html: Any) -> None:
        self.html = html
        #: The current match as Tkhtml's (node, index, node, index), or None.
        self.current: tuple[Any, ...] | None = None

    def _ranges(self, spans: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
        """Each span as Tkhtml's (node, index, node, index), in one ``text index`` call."""
        offsets = [offset for span in spans for offset in span]
        flat = self.html.tk.splitlist(self.html.tk.call(self.html._w, "text", "index", *offsets))
        return [tuple(flat[i:i + 4]) for i in range(0, len(flat), 4)]

    def find(self, text: str, match_case: bool, active: int) -> FindResult:
        self.stop(keep_active=False)  # which settles the layout first
        call = self.html.tk.call
        w = self.html._w
        spans = literal_matches(str(call(w, "text", "text")), text, match_case)
        if not spans:
            return FindResult(0, 0)
        active = wrap(active, len(spans))
        shown = [span for span in near(spans, active) if span != spans[active - 1]]
        *others, current = self._ranges([*shown, spans[active - 1]])
        # Tkhtml walks the document for every range it tags (200 ranges: 3 ms
        # in 500 paragraphs, 220 ms in 5,000), so the nearest matches go first
        # and tagging stops once HIGHLIGHT_BUDGET seconds went by.
        deadline = time.perf_counter() + HIGHLIGHT_BUDGET
        for match in others:
            if time.perf_counter() >= deadline:
                break
            call(w, "tag", "add", _ALL, *match)
        call(w, "tag", "configure", _ALL, *_ALL_COLOURS)
        call(w, "tag", "add", _ACTIVE, *current)  # the current match's colours drawn over the others'
        call(w, "tag", "configure", _ACTIVE, *_ACTIVE_COLOURS)
        self.current = current
        return FindResult(len(spans), active, self._show(current))

    def current_element(self) -> int | None:
        """The renderer's id of the element holding the current match (its text's nearest element with one)."""
        if self.current is None:
            return None
        node = str(self.current[0])
        call = self.html.tk.call
        while node:
            if str(call(node, "tag")):
                found = str(call(node, "attribute", "-default", "", "data-tke-id"))
                if found.isdigit():
                    return int(found)
            node = str(call(node, "parent"))
        return None

    def _show(self, current: tuple[Any, ...]) -> tuple[int, int, int, int]:
        """Scroll the current match into view; its box in the view's coordinates."""
        html = self.html
        x1, y1, x2, y2 = (int(v) for v in html.tk.splitlist(html.tk.call(html._w, "text", "bbox", *current)))
        doc = [int(v) for v in html.tk.splitlist(html.tk.call(html._w, "bbox"))]
        doc_w, doc_h = max(doc[2], 1), max(doc[3], 1)
        top = float(html.tk.splitlist(html.yview())[0]) * doc_h
        view_h = html.winfo_height()
        if y1 < top or y2 > top + view_h:
            html.yview("moveto", max(0.0, (y1 - view_h / 3) / doc_h))
            top = float(html.tk.splitlist(html.yview())[0]) * doc_h
        left = float(html.tk.splitlist(html.xview())[0]) * doc_w
        return (x1 - round(left), y1 - round(top), x2 - x1, y2 - y1)

    def stop(self, keep_active: bool) -> None:
        settle(self.html)  # a commit may have left the layout pending: tagging a stale one crashes
        call = self.html.tk.call
        call(self.html._w, "tag", "delete", _ALL)
        if not keep_active:
            call(self.html._w, "tag", "delete", _ACTIVE)
            self.current = None
