"""The page's layout as Tkhtml has it: element boxes and scrolling, for the page's questions.

Tkhtml's ``bbox`` gives a node's box in document pixels (it lays the document
out first when a commit left that pending); the viewport's offset comes from
``yview``/``xview`` (fractions of the document). A box relative to the
viewport, in CSS pixels (Tkhtml's are multiplied by the page's zoom), is what
the DOM's ``getBoundingClientRect`` answers. Scrolling asks
``yview moveto``; Tkhtml moves the view when it next runs its idle
callbacks, so until then the boxes are read against the view asked for
(and a scroll's answer waits for ``when_painted``).
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tkhtml import TkhtmlSurface

__all__ = ["element_rect", "scroll_into_view"]


def _box(surface: TkhtmlSurface, node: int) -> tuple[int, int, int, int] | None:
    handle = surface.document.nodes.get(node)
    if handle is None:
        return None
    x1, y1, x2, y2 = surface.tk_bbox(handle)[:4]
    if x2 <= x1 and y2 <= y1:
        return None  # display: none, or not laid out at all
    return x1, y1, x2, y2


def _axis(fractions: tuple[Any, ...], view: float) -> tuple[float, float]:
    """(document length, view start) in pixels along one axis, from Tk's (first, last) fractions."""
    first, last = (float(v) for v in fractions[:2])
    length = view / (last - first) if last > first else view
    return length, float(round(first * length))  # Tkhtml scrolls by whole pixels


#: A scroll asked of a surface and not applied by Tk yet: (Tk's yview when it was asked, the fraction asked).
_asked: weakref.WeakKeyDictionary[TkhtmlSurface, tuple[tuple[Any, ...], float]] = weakref.WeakKeyDictionary()


def _yview(surface: TkhtmlSurface) -> tuple[Any, ...]:
    """Tk's (first, last) fractions, or those of a scroll asked and not applied yet (Tkhtml moves
    the view in an idle callback, so a rect read right after a scroll must not see the old view)."""
    html = surface.html_widget
    fractions = tuple(html.tk.splitlist(html.yview()))[:2]
    asked = _asked.get(surface)
    if asked is None:
        return fractions
    before, fraction = asked
    if fractions != before:  # applied (or the view moved since): Tk's word again
        del _asked[surface]
        return fractions
    return fraction, fraction + float(fractions[1]) - float(fractions[0])


def _view(surface: TkhtmlSurface) -> tuple[float, float, float]:
    """(document height, view top, view height) in pixels."""
    view_h = float(surface.html_widget.winfo_height())
    doc_h, top = _axis(_yview(surface), view_h)
    return doc_h, top, view_h


def element_rect(surface: TkhtmlSurface, node: int) -> tuple[float, float, float, float] | None:
    """(x, y, width, height) of ``node`` relative to the viewport, or None without a box."""
    box = _box(surface, node)
    if box is None:
        return None
    x1, y1, x2, y2 = box
    html = surface.html_widget
    _doc_h, top, _view_h = _view(surface)
    _doc_w, left = _axis(html.tk.splitlist(html.xview()), float(html.winfo_width()))
    zoom = float(html.cget("zoom")) or 1.0  # Tkhtml's boxes are zoomed; the DOM's are CSS pixels
    return (x1 - left) / zoom, (y1 - top) / zoom, (x2 - x1) / zoom, (y2 - y1) / zoom


def scroll_into_view(surface: TkhtmlSurface, node: int, block: str) -> None:
    """Scroll so that ``node`` sits at ``block`` (start, center, end, nearest) of the viewport."""
    box = _box(surface, node)
    if box is None:
        return
    _x1, y1, _x2, y2 = box
    doc_h, top, view_h = _view(surface)
    if doc_h <= view_h:
        return  # everything is in view already
    if block == "nearest":
        if y1 >= top and y2 <= top + view_h:
            return
        block = "start" if y1 < top or y2 - y1 > view_h else "end"
    target = {"start": y1, "end": y2 - view_h, "center": (y1 + y2 - view_h) / 2}[block]
    target = min(max(target, 0.0), doc_h - view_h)
    html = surface.html_widget
    asked = _asked.get(surface)
    before = asked[0] if asked is not None else tuple(html.tk.splitlist(html.yview()))[:2]
    _asked[surface] = (before, target / doc_h)
    html.yview_moveto(target / doc_h)
