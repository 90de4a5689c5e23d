"""A page's zoom: Electron's ``set_zoom_factor``/``set_zoom_level`` on a WebContents.

The zoom factor scales what main draws (Tkhtml's ``zoom`` option on the
window's HTML widget; the headless compositor records it): 1.0 is the page as
written. The zoom level is Chromium's logarithmic scale, a factor of 1.2 per
step (level 0 is 1.0, level 1 is 1.2, level -1 is 1/1.2), so the menu roles'
half steps (``zoomIn``/``zoomOut``, ``resetZoom``: see ``_menu_roles``) move
as they do in Electron. Factors are held to Chromium's limits, 0.25 to 5.0
(Electron lets Chromium clamp them the same way); a factor that is not a
positive number is an error naming it.

The zoom belongs to the window and stays across loads and reloads (a
fresh renderer does not reset it, as Chromium keeps a page's zoom across a
same-origin navigation). The renderer is not involved: nothing a page does
can change it, and the app's own changes emit nothing.

Ctrl and the mouse wheel over the page is the user asking to zoom: the web
contents emits Electron's ``zoom-changed`` ``(event, "in" | "out")`` and,
as in Electron, nothing zooms by itself — the app's listener decides::

    wc.on("zoom-changed", lambda event, direction:
          wc.set_zoom_level(wc.get_zoom_level() + (0.5 if direction == "in" else -0.5)))
"""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING

from ..common._emitter import PreventableEvent

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["MAX_ZOOM_FACTOR", "MIN_ZOOM_FACTOR", "ZOOM_BASE", "PageZoom", "page_zoom", "zoom_requested"]

#: Chromium's zoom limits (``blink::kMinimumBrowserZoomFactor``/``kMaximum...``).
MIN_ZOOM_FACTOR = 0.25
MAX_ZOOM_FACTOR = 5.0
#: One zoom level is this factor (Chromium's ``kTextSizeMultiplierRatio``).
ZOOM_BASE = 1.2


def _number(what: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
        raise TypeError(f"{what} must be a finite number, not {value!r}")
    return float(value)


class PageZoom:
    """The zoom of one WebContents' window."""

    def __init__(self, wc: WebContents) -> None:
        self._wc = weakref.ref(wc)
        self.factor = 1.0

    def set_factor(self, factor: object) -> None:
        value = _number("zoom factor", factor)
        if value <= 0:
            raise ValueError(f"zoom factor must be greater than 0, not {factor!r}")
        self.factor = min(max(value, MIN_ZOOM_FACTOR), MAX_ZOOM_FACTOR)
        wc = self._wc()
        if wc is not None and not wc.is_destroyed() and not wc._window.is_destroyed():
            wc._window._surface.set_zoom(self.factor)

    def set_level(self, level: object) -> None:
        value = _number("zoom level", level)
        # Past the factor limits the level clamps with it (no overflow either).
        value = min(max(value, math.log(MIN_ZOOM_FACTOR, ZOOM_BASE)), math.log(MAX_ZOOM_FACTOR, ZOOM_BASE))
        self.set_factor(ZOOM_BASE ** value)

    @property
    def level(self) -> float:
        level = math.log(self.factor, ZOOM_BASE)
        return round(level, 9) + 0.0  # 1.2 ** 0.5 and back: no 0.49999999999 (and no -0.0)


_zooms: weakref.WeakKeyDictionary[WebContents, PageZoom] = weakref.WeakKeyDictionary()


def page_zoom(wc: WebContents) -> PageZoom:
    """The zoom of ``wc`` (1.0 until the app changes it)."""
    zoom = _zooms.get(wc)
    if zoom is None:
        zoom = _zooms[wc] = PageZoom(wc)
    return zoom


def zoom_requested(wc: WebContents, direction: str) -> None:
    """The user asked to zoom ``wc``'s page (Ctrl and the wheel): Electron's ``zoom-changed``."""
    if not wc.is_destroyed():
        wc.emit("zoom-changed", PreventableEvent(sender=wc), direction)
