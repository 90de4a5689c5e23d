"""The headless compositor's layout: a fixed, deterministic block layout.

Nothing is measured (there are no fonts without a display), so every
displayed element is a block as wide as the viewport (the window's content
size), stacked in document order: a run of text, a form control, an image
or a ``<br>``/``<hr>`` takes one :data:`LINE` (20 px) line, an element is as
tall as what it holds. Elements that are not displayed (``<head>`` and its
kind, ``hidden``, ``display: none``, ``<input type=hidden>``) have no box.
The numbers are not a browser's, but they are stable and they move as the
page and the scroll position move: an element further down has a larger
``y``, ``scroll_into_view`` changes what ``get_bounding_client_rect`` says,
so page logic that depends on them is testable anywhere.
"""

from __future__ import annotations

from ...common._html import HtmlElement
from ._headless_dom import _UNRENDERED

__all__ = ["LINE", "HeadlessLayout"]

#: The height of one line of text or one form control, in pixels.
LINE = 20
_LINE_ELEMENTS = frozenset("#text input button select textarea img br hr progress meter video canvas".split())


def _displayed(el: HtmlElement) -> bool:
    if el.tag in _UNRENDERED or "hidden" in el.attrs:
        return False
    if el.tag == "input" and el.attrs.get("type", "").lower() == "hidden":
        return False
    return "display:none" not in el.attrs.get("style", "").replace(" ", "").lower()


class HeadlessLayout:
    """Boxes of one document and the viewport's scroll position."""

    def __init__(self) -> None:
        #: How far the viewport is scrolled down, in pixels.
        self.scroll_y = 0
        self._document = 0  # id() of the root scrolled in: a new document starts at the top, as in Tk

    def _follow(self, root: HtmlElement) -> None:
        if id(root) != self._document:
            self._document = id(root)
            self.scroll_y = 0

    def boxes(self, root: HtmlElement) -> tuple[dict[int, tuple[int, int]], int]:
        """(element id -> (top, height) in document pixels, the document's height)."""
        out: dict[int, tuple[int, int]] = {}
        # An iterative walk: (element, entered?) with each element's top remembered on entry.
        y = 0
        todo: list[tuple[HtmlElement, int | None]] = [(root, None)]
        while todo:
            el, top = todo.pop()
            if top is not None:  # leaving el: its height is what it took
                height = y - top
                if height == 0 and el.tag in _LINE_ELEMENTS:
                    y += LINE
                    height = LINE
                nid = el.attrs.get("data-tke-id", "")
                if nid.isdigit():
                    out[int(nid)] = (top, height)
                continue
            if not _displayed(el):
                continue
            todo.append((el, y))
            for child in reversed(el.children):
                if isinstance(child, HtmlElement):
                    todo.append((child, None))
                elif child.strip():
                    todo.append((_TEXT, None))
        return out, y

    def rect(self, root: HtmlElement, node: int, width: int) -> tuple[float, float, float, float] | None:
        self._follow(root)
        box = self.boxes(root)[0].get(node)
        if box is None:
            return None
        top, height = box
        return 0.0, float(top - self.scroll_y), float(width), float(height)

    def scroll_into_view(self, root: HtmlElement, node: int, block: str, view_h: int) -> None:
        self._follow(root)
        boxes, doc_h = self.boxes(root)
        box = boxes.get(node)
        if box is None:
            return
        top, height = box
        if block == "nearest":
            if top >= self.scroll_y and top + height <= self.scroll_y + view_h:
                return
            block = "start" if top < self.scroll_y or height > view_h else "end"
        target = {"start": top, "end": top + height - view_h, "center": top + (height - view_h) // 2}[block]
        self.scroll_y = max(0, min(target, doc_h - view_h))


#: A stand-in element for one run of text: one line, no id.
_TEXT = HtmlElement("#text")
