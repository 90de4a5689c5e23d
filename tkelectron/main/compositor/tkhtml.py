"""The real compositor: each window is a Tk toplevel showing tkinterweb's HtmlFrame.

Tkhtml3 (through tkinterweb) lays out and draws the renderer's HTML and CSS
inside the toplevel. Its script support stays off: page scripts run in the
sandboxed renderer, never in the main process, so the ``<script>`` handler is
replaced by one that ignores scripts, and link clicks and form submissions,
which tkinterweb would act on by navigating, are reported to the renderer as
clicks and go no further.

The pieces live in small modules: :mod:`._tk_apply` applies commits,
:mod:`._tk_input` turns user input into DOM events, :mod:`._tk_dom` holds the
Tcl walks, :mod:`._tk_screenshot` captures the window. Menus and dialogs
belong to :mod:`._tk_menus` and :mod:`._tk_dialogs`.
"""

from __future__ import annotations

import tkinter
from typing import Any

from tkinterweb import HtmlFrame

from ...common._html import escape_text, parse_document
from ...common._messages import Op, ReplaceDocument
from . import _tk_layout
from ._tk_active import ActiveLook
from ._tk_apply import TkDocument
from ._tk_dnd import TkDragDrop
from ._tk_dom import ID_ATTR, TkDom
from ._tk_find import TkFind
from ._tk_images import DataUrls, decode_data_url
from ._tk_input import TkInput
from ._tk_screenshot import capture_window
from ._tk_selection import skip_empty_selection
from ._tk_stale_layout import guard_layout_reads
from ._tk_window import TkWindowControls
from ._tk_zoom import bind_zoom_wheel
from .base import Compositor, ElementInfo, FindResult, InputEvent, Surface, SurfaceCallbacks
from .headless import select_ids

__all__ = ["TkhtmlCompositor", "TkhtmlSurface"]

# Rules a browser's user-agent sheet has and Tkhtml's lacks.
_EXTRA_CSS = "\n[hidden] { display: none }\n"
_BLANK = '<html><head></head><body></body></html>'
_CRASHED = """<html><head><style>
body {{ background: #f4f4f6; color: #222; font-family: sans-serif; }}
.box {{ margin: 48px auto; width: 70%; padding: 24px; background: white; border: 1px solid #ccc; }}
h1 {{ font-size: 20px; color: #b00020; }}
pre {{ white-space: pre-wrap; color: #444; }}
</style></head><body><div class="box"><h1>This page crashed</h1>
<p>The page's renderer process stopped. Reload the window to start it again.</p>
<pre>{message}</pre></div></body></html>"""
_UNSET: Any = object()


#: tkinterweb's resource loader without the image bounds (kept for its callers).
_only_data_urls = decode_data_url


def _ignore(*_args: Any) -> None:
    """Swallows tkinterweb's navigation callbacks: the renderer decides."""


class TkhtmlSurface(TkWindowControls):
    """One window: a Toplevel, its HtmlFrame and the document shown in it (its window manager's side: ``_tk_window``)."""

    def __init__(self, compositor: TkhtmlCompositor, *, window_id: int, width: int, height: int,
                 title: str, show: bool, callbacks: SurfaceCallbacks) -> None:
        self.compositor = compositor
        self.window_id = window_id
        self.callbacks = callbacks
        self.crashed: str | None = None
        self.toplevel = top = tkinter.Toplevel(compositor.root)
        if not show:
            top.withdraw()  # before it is ever mapped, so it never flashes up
        top.title(title)
        top.geometry(f"{width}x{height}")
        self._init_window(width, height)
        self._menu: Any = _UNSET
        top.protocol("WM_DELETE_WINDOW", lambda: self.callbacks.on_close_request())
        top.bind("<FocusIn>", self._on_focus_in, add="+")
        # objects_enabled=False: no <iframe>/<object> handler, so tkinterweb never
        # makes a nested frame (which would not get _only_data_urls) nor hands
        # an <object data="..."> another window's Tk widget. Main's commit rules
        # drop those elements before Tkhtml sees them; this is the second wall.
        #: data: URLs only, and images bounded (_tk_images).
        self.requests = DataUrls()
        # threading_enabled=False: tkinterweb's thread queue is polled by an
        # `after 50` timer in every window, forever (3 % of a core idle with
        # 20 windows). Nothing here needs its threads: every request is a
        # data: URL decoded inline, so with threading off its callbacks run
        # immediately and an idle window schedules nothing.
        self.frame = HtmlFrame(top, messages_enabled=False, javascript_enabled=False, objects_enabled=False,
                               threading_enabled=False,
                               on_link_click=_ignore, on_form_submit=_ignore, request_func=self.requests)
        self.frame.pack(fill="both", expand=True)
        html = self.frame.html
        html.configure(defaultstyle=str(html.cget("defaultstyle")) + _EXTRA_CSS)
        # Scripts run in the renderer; a handler returning "" drops them here.
        html.tk.call(html._w, "handler", "script", "script", html.register(lambda *_: ""))
        guard_layout_reads(html)  # tkinterweb's selection must not walk a stale layout (_tk_stale_layout)
        skip_empty_selection(html)  # a click's empty selection costs Tkhtml no restyle (_tk_selection)
        self.active = ActiveLook(html)  # a release's :active clear is laid out with the click's commit
        self.html_widget = html
        self.dom = TkDom(html)
        self.inputs = TkInput(html, self.dom, self._emit, self._page_target, self._hears)
        bind_zoom_wheel(html, lambda direction: self.callbacks.on_zoom_request(direction))
        self.drags = TkDragDrop(html, self.dom.hit, self._emit)
        self.document = TkDocument(self.frame, self.dom, self.inputs)
        self.document.replace_document(_BLANK)

    # -- content ------------------------------------------------------------------

    def apply(self, ops: list[Op]) -> None:
        """Apply one commit, in order, without running Tk's event loop."""
        self.crashed = None
        self.active.release()
        if any(isinstance(op, ReplaceDocument) for op in ops):
            self.requests.reset()
        self.document.apply(ops)

    def free_removed(self) -> None:
        """Destroy the nodes removed so far now, with the layout that must
        come first forced (``TkDom.free``)."""
        self.dom.free()

    @property
    def document_title(self) -> str:
        """The page's ``document.title`` (the window title is the BrowserWindow's call)."""
        return self.document.title

    def show_crashed(self, message: str) -> None:
        self.crashed = message
        self.document.replace_document(_CRASHED.format(message=escape_text(message)))

    def _emit(self, event: InputEvent) -> bool | None:
        return self.callbacks.on_input(event)

    def _hears(self, kind: str) -> bool:
        return self.callbacks.hears(kind)

    def start_drag(self, item: Any, on_end: Any) -> bool:
        """Carry the user's in-page drag out of the window (``_tk_dnd``)."""
        return self.drags.start_drag(item, on_end)

    def _page_target(self) -> int | None:
        for tag in ("body", "html"):
            found = self.dom.search(tag)
            if found and self.dom.attr(found[0], ID_ATTR):
                return int(self.dom.attr(found[0], ID_ATTR))
        return None

    # -- chrome ---------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self.toplevel.title(title)

    def get_title(self) -> str:
        return str(self.toplevel.title())

    def set_menu(self, menu: Any | None) -> None:
        """Give this window its own menu bar (``None``: no menu bar at all)."""
        self._menu = menu
        self._attach(menu)

    def _attach(self, menu: Any | None) -> None:
        from ._tk_menus import attach_menu

        attach_menu(self.toplevel, menu)

    @property
    def has_own_menu(self) -> bool:
        return self._menu is not _UNSET

    def popup_menu(self, menu: Any, x: int | None, y: int | None) -> None:
        from ._tk_menus import popup_menu

        popup_menu(self.toplevel, menu, x, y)

    def destroy(self) -> None:
        self.compositor._forget(self)
        self._close_window()
        self.inputs.close()
        self.drags.close()
        self.active.close()
        self.document.close()
        if self.toplevel.winfo_exists():
            self.toplevel.destroy()

    def _on_focus_in(self, event: Any) -> None:
        # A focus request the page made while another window had the keyboard.
        self.inputs.focus_arrived()
        # Focus moving between widgets inside the window targets those widgets;
        # only the toplevel itself receiving focus means the window got it.
        if event.widget is self.toplevel:
            self.callbacks.on_focus()

    # -- queries ------------------------------------------------------------------------

    def query(self, selector: str) -> list[int]:
        """Ids matching ``selector``, by the same engine as the headless compositor.

        The displayed tree is read back in one Tcl walk and matched in Python;
        Tkhtml's own selector engine knows too little CSS to be the reference.
        """
        return select_ids(parse_document(self.html()), selector)

    def element(self, node: int) -> ElementInfo | None:
        handle = self.document.nodes.get(node)
        if handle is None:
            return None
        tag = self.dom.tag(handle)
        attrs = self.dom.attrs(handle)
        attrs.pop(ID_ATTR, None)
        value = self.inputs.value(node)
        if value is None and tag in ("input", "textarea", "select"):
            value = self.document.values.get(node, attrs.get("value", ""))
        checked = self.inputs.checked(node)
        if checked is None and tag == "input" and attrs.get("type", "").lower() in ("checkbox", "radio"):
            checked = "checked" in attrs
        return ElementInfo(node=node, tag=tag, text=self.dom.text(handle), value=value,
                           checked=checked, attributes=attrs, visible=not self.dom.hidden(handle))

    def html(self) -> str:
        root = self.dom.root()
        return self.dom.outer_html(root) if root else ""

    def screenshot(self, path: str) -> None:
        """Save a PNG of the window as the X server shows it now.

        The window must be shown; this does not pump Tk, so call it after the
        latest changes were drawn.
        """
        if not self.toplevel.winfo_ismapped():
            raise RuntimeError("cannot take a screenshot of a window that is not shown")
        # The toplevel's own window: the page, without the menu bar (Tk's
        # wrapper) or a window manager's frame (wm frame, when one runs).
        capture_window(self.toplevel.winfo_id(), str(self.toplevel.winfo_screen()), path)

    # -- what main does to the display: zoom, find in page (_zoom, _find_in_page) -----------

    def set_zoom(self, factor: float) -> None:
        """Tkhtml's own zoom: lengths and fonts scaled, the document laid out again."""
        self.frame.configure(zoom=factor)

    _finder: TkFind | None = None

    @property
    def finder(self) -> TkFind:
        """The window's find-in-page highlights and current match."""
        if self._finder is None:
            self._finder = TkFind(self.html_widget)
        return self._finder

    def find_text(self, text: str, match_case: bool, active: int) -> FindResult:
        return self.finder.find(text, match_case, active)

    def stop_find(self, keep_active: bool) -> None:
        self.finder.stop(keep_active)

    def activate_find(self) -> None:
        node = self.finder.current_element()
        if node is not None:
            self._emit(InputEvent("click", node))

    # -- the page's layout questions (main/_page_layout; Tkhtml's boxes: _tk_layout) ----------

    def element_rect(self, node: int) -> tuple[float, float, float, float] | None:
        """(x, y, width, height) of element ``node`` in viewport pixels, or None without a box."""
        return _tk_layout.element_rect(self, node)

    def scroll_into_view(self, node: int, block: str) -> None:
        """Scroll the page so that ``node`` sits at ``block`` (start, center, end, nearest)."""
        _tk_layout.scroll_into_view(self, node, block)

    # -- for the test harness -------------------------------------------------------------

    def click_point(self, node: int) -> tuple[int, int]:
        """Screen coordinates of the centre of element ``node``, for a real click.

        When the element is outside the viewport this scrolls it into view, as
        a user would before clicking; the scroll takes effect when Tk next
        redraws, so let Tk run and ask again for the point to click.
        """
        handle = self.document.nodes.get(node)
        if handle is None:
            raise KeyError(f"node {node} is not displayed")
        x1, y1, x2, y2 = (int(v) for v in self.tk_bbox(handle))
        if x2 <= x1 or y2 <= y1:
            raise RuntimeError(f"node {node} has no box on screen (not laid out or hidden)")
        top, left = self._scroll_offset()
        view_h = self.html_widget.winfo_height()
        if y1 - top < 0 or y2 - top > view_h:
            self.html_widget.yview(handle)
            top, left = self._scroll_offset()
        return (self.html_widget.winfo_rootx() + (x1 + x2) // 2 - left,
                self.html_widget.winfo_rooty() + (y1 + y2) // 2 - top)

    def tk_bbox(self, handle: str) -> tuple[int, ...]:
        return tuple(int(v) for v in self.html_widget.tk.splitlist(self.html_widget.bbox(handle)))

    def _scroll_offset(self) -> tuple[int, int]:
        root = self.dom.root()
        if not root:
            return (0, 0)
        bbox = self.tk_bbox(root)
        first_y = float(self.html_widget.tk.splitlist(self.html_widget.yview())[0])
        first_x = float(self.html_widget.tk.splitlist(self.html_widget.xview())[0])
        return (round(first_y * bbox[3]), round(first_x * bbox[2]))

    def entry_widget(self, node: int) -> Any | None:
        """The Tk widget that takes the keyboard for form control ``node``."""
        control = self.inputs.control(node)
        return TkInput.key_widget(control) if control else None


class TkhtmlCompositor(Compositor):
    """Makes :class:`TkhtmlSurface` windows on one Tk root."""

    name = "tkhtml"

    def __init__(self, root: tkinter.Tk) -> None:
        from ._tk_xerrors import absorb_x_errors

        self.root = root
        self.surfaces: list[TkhtmlSurface] = []
        # A page can size an embedded widget past what X allows; that must not end main.
        absorb_x_errors(root)
        self.application_menu: Any | None = None

    def create_surface(self, *, window_id: int, width: int, height: int, title: str, show: bool,
                       callbacks: SurfaceCallbacks) -> TkhtmlSurface:
        surface = TkhtmlSurface(self, window_id=window_id, width=width, height=height, title=title,
                                show=show, callbacks=callbacks)
        self.surfaces.append(surface)
        if self.application_menu is not None:
            surface._attach(self.application_menu)
        return surface

    def set_application_menu(self, menu: Any | None) -> None:
        self.application_menu = menu
        for surface in self.surfaces:
            if not surface.has_own_menu:
                surface._attach(menu)

    async def run_dialog(self, kind: str, surface: Surface | None, options: dict[str, Any]) -> Any:
        from ._tk_dialogs import run_tk_dialog

        parent = surface.toplevel if isinstance(surface, TkhtmlSurface) else None
        return await run_tk_dialog(self.root, kind, parent, options)

    def _forget(self, surface: TkhtmlSurface) -> None:
        if surface in self.surfaces:
            self.surfaces.remove(surface)

    def close(self) -> None:
        for surface in list(self.surfaces):
            surface.destroy()
