"""Layout questions a page asks main: ``get_bounding_client_rect`` and ``scroll_into_view``.

Only main lays the page out (Tkhtml in the ``tkhtml`` compositor; a fixed
block layout in ``headless``, see ``compositor/_headless_layout``), so the
renderer's ``await el.get_bounding_client_rect()`` and
``el.scroll_into_view()`` invoke two framework channels:

- ``tke:dom.rect`` ``[node]`` answers ``[x, y, width, height]``, the node's
  border box relative to the page's viewport (what the DOM's
  ``getBoundingClientRect`` gives), or zeros when main displays no box for it
  (not displayed, ``display: none``, dropped by main's sanitizer);
- ``tke:dom.scroll-into-view`` ``[node, block]`` scrolls main's display so that
  the node is at the viewport's ``start``, ``center`` or ``end``, or just in
  view (``nearest``), and answers once the scroll is drawn.

The node id is hostile input, like everything a renderer sends: anything but
one positive integer (and, for a scroll, one of the four ``block`` words) is
an ``ipc-violation``. An id main does not display is no violation (an honest
page may ask about an element in ``<head>``): it gets zeros, or no scroll.
Each request costs main a few Tcl calls on one node (a bbox, a yview). A
rect is answered at once, without a task, unless a scroll asked before it is
still to be drawn (then it waits for that, at most :data:`PAINT_WAIT`
seconds); a scroll is answered once Tk drew it (at most :data:`PAINT_WAIT`).
The renderer sends its scrolls one after another, so more than
:data:`MAX_SCROLLS` of one window waiting to be drawn is an ``ipc-violation``:
what a renderer sends cannot pile up tasks in main.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import trio

from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation

__all__ = ["BLOCKS", "CHANNELS", "MAX_SCROLLS", "PAINT_WAIT", "RECT_CHANNEL", "SCROLL_CHANNEL", "PageLayout"]

RECT_CHANNEL = "tke:dom.rect"
SCROLL_CHANNEL = "tke:dom.scroll-into-view"
#: Where ``scroll_into_view`` may put the node (the DOM's ``block`` option).
BLOCKS = ("start", "center", "end", "nearest")
#: Node ids are positive and below JavaScript's safe integers (the renderer counts up from 1).
MAX_NODE_ID = 2**53
#: The longest an answer waits for Tk to draw what came before it (seconds).
PAINT_WAIT = 1.0
#: Scrolls of one window waiting to be drawn at once (an honest renderer sends them one after another).
MAX_SCROLLS = 16


@runtime_checkable
class PageLayout(Protocol):
    """What a surface offers for the page's layout questions (both compositors' surfaces do)."""

    def element_rect(self, node: int) -> tuple[float, float, float, float] | None:
        """(x, y, width, height) of ``node``'s box in viewport pixels, or None when it has none."""

    def scroll_into_view(self, node: int, block: str) -> None:
        """Scroll the display so that ``node`` sits at ``block`` (one of :data:`BLOCKS`)."""

    def when_painted(self, callback: Callable[[], None]) -> None: ...


def _check_node(channel: str, value: Any) -> None:
    if type(value) is not int or not 0 < value < MAX_NODE_ID:
        raise IpcViolation(f"{channel} takes a node id (a positive integer), not {type(value).__name__}")


def _check_rect(wc: Any, args: list[Any]) -> None:
    if len(args) != 1:
        raise IpcViolation(f"{RECT_CHANNEL} takes [node]")
    _check_node(RECT_CHANNEL, args[0])


def _check_scroll(wc: Any, args: list[Any]) -> None:
    if len(args) != 2:
        raise IpcViolation(f"{SCROLL_CHANNEL} takes [node, block]")
    _check_node(SCROLL_CHANNEL, args[0])
    if type(args[1]) is not str or args[1] not in BLOCKS:
        raise IpcViolation(f"{SCROLL_CHANNEL}: block must be one of {', '.join(BLOCKS)}")
    waiting = _unpainted.get(wc._window._surface, ())
    if len(waiting) >= MAX_SCROLLS:
        raise IpcViolation(f"{len(waiting)} scrolls of {SCROLL_CHANNEL} wait to be drawn (at most {MAX_SCROLLS}; "
                           "the renderer sends one after another)")


#: Scrolls asked of a surface and not drawn yet, oldest first (each set once drawn).
_unpainted: weakref.WeakKeyDictionary[Any, list[trio.Event]] = weakref.WeakKeyDictionary()


def _layout(event: Any) -> PageLayout | None:
    window = event.sender._window
    if window.is_destroyed():
        return None
    surface = window._surface
    return surface if isinstance(surface, PageLayout) else None


def _answer(layout: PageLayout | None, node: int) -> list[float]:
    box = layout.element_rect(node) if layout is not None else None
    return [float(v) for v in box] if box is not None else [0.0, 0.0, 0.0, 0.0]


def _rect(event: Any, node: int) -> Any:
    """Answered at once (no task), unless a scroll asked before is still to be drawn:
    then an awaitable of the answer (``Any``: the call engine checks no return type)."""
    layout = _layout(event)
    waiting = _unpainted.get(layout) if layout is not None else None
    if waiting:
        return _rect_after(event, waiting[-1], node)
    return _answer(layout, node)


async def _rect_after(event: Any, drawn: trio.Event, node: int) -> list[float]:
    with trio.move_on_after(PAINT_WAIT):
        await drawn.wait()
    return _answer(_layout(event), node)


def _scroll(event: Any, node: int, block: str) -> Any:
    """Scroll now (and count the scroll as waiting to be drawn before the next request's
    check); an awaitable that ends once it is drawn (``Any``: the call engine checks no return type)."""
    layout = _layout(event)
    if layout is None:
        return None
    layout.scroll_into_view(node, block)
    drawn = trio.Event()
    waiting = _unpainted.setdefault(layout, [])
    waiting.append(drawn)
    token = trio.lowlevel.current_trio_token()

    def painted() -> None:  # Tk calls back outside trio's context: set the event from trio's
        token.run_sync_soon(drawn.set)

    layout.when_painted(painted)
    return _until_drawn(drawn, waiting)


async def _until_drawn(drawn: trio.Event, waiting: list[trio.Event]) -> None:
    try:
        with trio.move_on_after(PAINT_WAIT):
            await drawn.wait()
    finally:
        drawn.set()  # rects waiting on it go on, drawn or not (a closed window never paints)
        waiting.remove(drawn)


CHANNELS = {
    RECT_CHANNEL: InternalChannel(_check_rect, _rect),
    SCROLL_CHANNEL: InternalChannel(_check_scroll, _scroll),
}
