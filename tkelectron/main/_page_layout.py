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
Each request costs main a few Tcl calls on one node (a bbox, a yview),
answered within the renderer's fair reading slice; the answer waits at most
:data:`PAINT_WAIT` seconds for Tk to draw what came before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import trio

from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation

__all__ = ["BLOCKS", "CHANNELS", "PAINT_WAIT", "RECT_CHANNEL", "SCROLL_CHANNEL", "PageLayout"]

RECT_CHANNEL = "tke:dom.rect"
SCROLL_CHANNEL = "tke:dom.scroll-into-view"
#: Where ``scroll_into_view`` may put the node (the DOM's ``block`` option).
BLOCKS = ("start", "center", "end", "nearest")
#: Node ids are positive and below JavaScript's safe integers (the renderer counts up from 1).
MAX_NODE_ID = 2**53
#: The longest an answer waits for Tk to draw what came before it (seconds).
PAINT_WAIT = 1.0


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


def _layout(event: Any) -> PageLayout | None:
    window = event.sender._window
    if window.is_destroyed():
        return None
    surface = window._surface
    return surface if isinstance(surface, PageLayout) else None


async def _painted(layout: PageLayout) -> None:
    """Wait (at most PAINT_WAIT) until Tk drew what was applied and asked so far."""
    done = trio.Event()
    token = trio.lowlevel.current_trio_token()
    layout.when_painted(lambda: token.run_sync_soon(done.set))  # Tk calls back outside trio's context
    with trio.move_on_after(PAINT_WAIT):
        await done.wait()


async def _rect(event: Any, node: int) -> list[float]:
    layout = _layout(event)
    if layout is None:
        return [0.0, 0.0, 0.0, 0.0]
    await _painted(layout)  # a scroll asked before this question is drawn first
    if _layout(event) is None:
        return [0.0, 0.0, 0.0, 0.0]
    box = layout.element_rect(node)
    return [float(v) for v in box] if box is not None else [0.0, 0.0, 0.0, 0.0]


async def _scroll(event: Any, node: int, block: str) -> None:
    layout = _layout(event)
    if layout is None:
        return
    layout.scroll_into_view(node, block)
    await _painted(layout)


CHANNELS = {
    RECT_CHANNEL: InternalChannel(_check_rect, _rect),
    SCROLL_CHANNEL: InternalChannel(_check_scroll, _scroll),
}
