"""The headless compositor: an in-memory mirror of each window, no display needed.

It applies the same commits as the Tk compositor to a plain
:class:`~tkelectron.common._html.HtmlElement` tree, keeps form controls' live
values beside it, and records everything a window was asked to do (title,
menu, bounds, visibility, focus, crash notice, popups; dialogs at the
compositor), in the spirit of toga's dummy backend, so UI logic is testable on
any machine.

The document itself (applying ops, the query API) is
:class:`~._headless_dom.MirrorDocument`; a surface adds the chrome and
simulated input. User input is *simulated* (:meth:`HeadlessSurface.simulate_click` and
friends, in ``_headless_input``): each call reports through ``callbacks.on_input`` the events the Tk
compositor reports for the same real input, in the same order.
"""

from __future__ import annotations

from typing import Any

from ...common._html import HtmlElement
from ._headless_dnd import HeadlessDragDrop
from ._headless_dom import MirrorDocument, select_ids
from ._headless_find import HeadlessFind
from ._headless_input import HeadlessInput
from ._headless_layout import HeadlessLayout
from ._headless_window import HeadlessWindowControls
from .base import Compositor, FindResult, InputEvent, Surface, SurfaceCallbacks

__all__ = ["HeadlessCompositor", "HeadlessSurface", "select_ids"]

_UNSET: Any = object()


class HeadlessSurface(HeadlessInput, HeadlessDragDrop, HeadlessWindowControls, MirrorDocument):
    """One window's content and chrome, kept in memory (the window manager's part: ``_headless_window``)."""

    def __init__(self, compositor: HeadlessCompositor, *, window_id: int, width: int, height: int,
                 title: str, show: bool, callbacks: SurfaceCallbacks) -> None:
        super().__init__()
        self.compositor = compositor
        self.window_id = window_id
        self.callbacks = callbacks
        self.title = title
        self.bounds: tuple[int, int, int, int] = (0, 0, width, height)
        self.visible = show
        self.minimized = False
        self.focused = False
        self.destroyed = False
        self.popups: list[tuple[Any, int | None, int | None]] = []
        self._menu: Any = _UNSET
        self._init_window()

    # -- simulated user input -------------------------------------------------------------

    def _control(self, node: int) -> HtmlElement:
        if self.destroyed:
            raise RuntimeError("the window was destroyed")
        if self.input_blocked:
            raise RuntimeError("the window refuses input while its modal child is open")
        el = self.nodes.get(node)
        if el is None:
            raise KeyError(f"node {node} is not displayed")
        return el

    def _emit(self, event: InputEvent) -> bool | None:
        consumed: bool | None = self.callbacks.on_input(event)
        return consumed

    # -- chrome ---------------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self.title = title

    def get_title(self) -> str:
        return self.title

    def set_menu(self, menu: Any | None) -> None:
        self._menu = menu

    @property
    def has_own_menu(self) -> bool:
        return self._menu is not _UNSET

    @property
    def menu(self) -> Any | None:
        """The menu bar this window shows: its own, else the application menu."""
        return self._menu if self.has_own_menu else self.compositor.application_menu

    def popup_menu(self, menu: Any, x: int | None, y: int | None) -> None:
        self.popups.append((menu, x, y))

    def destroy(self) -> None:
        self._release_parent()
        self.destroyed = True
        self.visible = False
        self.compositor._forget(self)

    def screenshot(self, path: str) -> None:
        raise RuntimeError("the headless compositor draws nothing: use the tkhtml compositor for screenshots")

    # -- what main does to the display: zoom, find in page (recorded) ---------------------

    #: The zoom factor main set (``web_contents.set_zoom_factor``).
    zoom_factor = 1.0
    _finder: HeadlessFind | None = None

    def set_zoom(self, factor: float) -> None:
        self.zoom_factor = factor

    def simulate_zoom_wheel(self, direction: str) -> None:
        """Turn the wheel with Ctrl held (``"in"``: up, ``"out"``: down), as Tk reports it."""
        if direction not in ("in", "out"):
            raise ValueError(f"direction must be 'in' or 'out', not {direction!r}")
        self.callbacks.on_zoom_request(direction)

    @property
    def finder(self) -> HeadlessFind:
        """What find in page highlights (``highlights``, ``active_highlight``)."""
        if self._finder is None:
            self._finder = HeadlessFind()
        return self._finder

    def find_text(self, text: str, match_case: bool, active: int) -> FindResult:
        return self.finder.find(self.root, text, match_case, active)

    def stop_find(self, keep_active: bool) -> None:
        self.finder.stop(keep_active)

    def activate_find(self) -> None:
        node = self.finder.current_element()
        if node is not None and node in self.nodes:
            self._emit(InputEvent("click", node))

    # -- the page's layout questions (main/_page_layout; a fixed block layout: _headless_layout) --

    _layout: HeadlessLayout | None = None

    @property
    def layout(self) -> HeadlessLayout:
        """The page's boxes and the viewport's scroll position (``scroll_y``)."""
        if self._layout is None:
            self._layout = HeadlessLayout()
        return self._layout

    def element_rect(self, node: int) -> tuple[float, float, float, float] | None:
        """(x, y, width, height) of element ``node`` in viewport pixels, or None without a box."""
        return self.layout.rect(self.root, node, self.get_content_bounds()[2])

    def scroll_into_view(self, node: int, block: str) -> None:
        """Scroll the page so that ``node`` sits at ``block`` (start, center, end, nearest)."""
        self.layout.scroll_into_view(self.root, node, block, self.get_content_bounds()[3])


class HeadlessCompositor(Compositor):
    """Makes :class:`HeadlessSurface` windows; records the app-wide chrome."""

    name = "headless"

    def __init__(self) -> None:
        self.surfaces: list[HeadlessSurface] = []
        self.application_menu: Any | None = None
        #: Every dialog that was asked for: (kind, surface, options).
        self.dialogs: list[tuple[str, Surface | None, dict[str, Any]]] = []
        self.closed = False

    def create_surface(self, *, window_id: int, width: int, height: int, title: str, show: bool,
                       callbacks: SurfaceCallbacks) -> HeadlessSurface:
        surface = HeadlessSurface(self, window_id=window_id, width=width, height=height, title=title,
                                  show=show, callbacks=callbacks)
        self.surfaces.append(surface)
        return surface

    def set_application_menu(self, menu: Any | None) -> None:
        self.application_menu = menu

    async def run_dialog(self, kind: str, surface: Surface | None, options: dict[str, Any]) -> Any:
        self.dialogs.append((kind, surface, dict(options)))
        raise RuntimeError(
            f"the headless compositor cannot show a {kind!r} dialog: answer it with a "
            "`tkelectron_dialog` hook implementation (or the test harness's on_dialog)"
        )

    def _forget(self, surface: HeadlessSurface) -> None:
        if surface in self.surfaces:
            self.surfaces.remove(surface)

    def close(self) -> None:
        self.closed = True
