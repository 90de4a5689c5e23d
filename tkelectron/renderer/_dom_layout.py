"""What only main knows about an element: its box on screen, and scrolling to it.

The renderer has no layout (main draws the page), so these two DOM methods
ask main over the framework channels of ``main/_page_layout``:

- ``await el.get_bounding_client_rect()`` → a :class:`DOMRect` (``x``,
  ``y``, ``width``, ``height``, ``top``, ``right``, ``bottom``, ``left``)
  relative to the viewport, as the DOM's ``getBoundingClientRect()`` gives
  synchronously; here it is awaited. An element main does not display (a
  detached one, ``hidden``, ``display: none``) is all zeros, as in browsers.
- ``el.scroll_into_view(arg=True)`` scrolls main's display to the element: a
  bool (``True``: to the top of the view, ``False``: to the bottom) or the
  DOM's options dict ``{"block": "start" | "center" | "end" | "nearest",
  "inline": ..., "behavior": ...}`` (``inline`` and ``behavior`` are accepted
  and have no effect: main scrolls vertically, at once). It starts at once
  and returns an awaitable that resolves once main has drawn the scroll;
  awaiting it is optional.

Both send the page's pending DOM changes first, so main answers about the
document as the page left it. Without a renderer process (a page loaded in a
test's own process) there is no layout: ``get_bounding_client_rect`` raises
``RuntimeError`` and ``scroll_into_view`` does nothing.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

import trio

if TYPE_CHECKING:
    from ._dom import Document

__all__ = ["DOMRect", "ElementLayout", "ScrollRequest"]

RECT_CHANNEL = "tke:dom.rect"  # main's _page_layout.RECT_CHANNEL
SCROLL_CHANNEL = "tke:dom.scroll-into-view"  # main's _page_layout.SCROLL_CHANNEL
_BLOCKS = ("start", "center", "end", "nearest")
_SCROLL_OPTIONS = ("block", "inline", "behavior")


class DOMRect:
    """A box in viewport pixels (the DOM's ``DOMRect``)."""

    __slots__ = ("height", "width", "x", "y")

    def __init__(self, x: float = 0.0, y: float = 0.0, width: float = 0.0, height: float = 0.0) -> None:
        self.x, self.y, self.width, self.height = float(x), float(y), float(width), float(height)

    @property
    def left(self) -> float:
        return min(self.x, self.x + self.width)

    @property
    def top(self) -> float:
        return min(self.y, self.y + self.height)

    @property
    def right(self) -> float:
        return max(self.x, self.x + self.width)

    @property
    def bottom(self) -> float:
        return max(self.y, self.y + self.height)

    def to_json(self) -> dict[str, float]:
        """The DOM's ``toJSON()``: every field as a dict."""
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height,
                "top": self.top, "right": self.right, "bottom": self.bottom, "left": self.left}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DOMRect):
            return NotImplemented
        return (self.x, self.y, self.width, self.height) == (other.x, other.y, other.width, other.height)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the DOM's

    def __repr__(self) -> str:
        return f"DOMRect(x={self.x:g}, y={self.y:g}, width={self.width:g}, height={self.height:g})"


class ScrollRequest:
    """What ``scroll_into_view`` returns: await it to know that main has scrolled (optional)."""

    __slots__ = ("_done", "_error")

    def __init__(self) -> None:
        self._done = trio.Event()
        self._error: BaseException | None = None

    def _finish(self, error: BaseException | None = None) -> None:
        self._error = error
        self._done.set()

    def __await__(self) -> Generator[Any, None, None]:
        return self._wait().__await__()

    async def _wait(self) -> None:
        await self._done.wait()
        if self._error is not None:
            raise self._error


class _Order:
    """The last scroll asked for: scrolls reach main one after another, and a
    rect asked after a scroll is answered after it (as the DOM's layout would be)."""

    last: ScrollRequest | None = None


def _runtime() -> Any:
    from ._ipc_renderer import ipc_renderer

    return ipc_renderer._rt


def _block(arg: bool | Mapping[str, Any] | None) -> str:
    if arg is None or isinstance(arg, bool):
        return "end" if arg is False else "start"
    if not isinstance(arg, Mapping):
        raise TypeError(f"scroll_into_view takes a bool or an options dict, not {type(arg).__name__}")
    unknown = [k for k in arg if k not in _SCROLL_OPTIONS]
    if unknown:
        raise TypeError(f"unknown scroll_into_view option {unknown[0]!r}; the options are {', '.join(_SCROLL_OPTIONS)}")
    block = arg.get("block", "start")
    if block not in _BLOCKS:
        raise ValueError(f"block must be one of {', '.join(_BLOCKS)}, not {block!r}")
    return str(block)


class ElementLayout:
    """``get_bounding_client_rect`` and ``scroll_into_view`` of :class:`Element` (a mixin)."""

    __slots__ = ()

    if TYPE_CHECKING:
        _nid: int
        _document: Document

        def _connected(self) -> bool: ...

    async def get_bounding_client_rect(self) -> DOMRect:
        """The element's box relative to the viewport, from main's layout (see the module docstring)."""
        if not self._connected():
            return DOMRect()
        rt = _runtime()
        if rt is None:
            raise RuntimeError("get_bounding_client_rect needs a renderer process: only main lays the page out")
        last = _Order.last
        if last is not None:
            await last._done.wait()  # a scroll asked before this question comes first
        rt.flush()  # main answers about the document as the page left it
        x, y, width, height = await rt.calls.invoke(RECT_CHANNEL, [self._nid])
        return DOMRect(x, y, width, height)

    def scroll_into_view(self, arg: bool | Mapping[str, Any] | None = None) -> ScrollRequest:
        """Ask main to scroll to this element; await the result to wait until it has (optional)."""
        block = _block(arg)
        request = ScrollRequest()
        rt = _runtime()
        if rt is None or not self._connected():
            request._finish()
            return request
        rt.flush()
        before, _Order.last = _Order.last, request
        self._document._spawn(_scroll, rt, self._nid, block, request, before)
        return request


async def _scroll(rt: Any, nid: int, block: str, request: ScrollRequest, before: ScrollRequest | None) -> None:
    try:
        if before is not None:
            await before._done.wait()
        await rt.calls.invoke(SCROLL_CHANNEL, [nid, block])
    except Exception as exc:  # noqa: BLE001 - handed to whoever awaits the request
        request._finish(exc)
        return
    request._finish()
