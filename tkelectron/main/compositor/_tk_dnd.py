"""Drag and drop on a Tkhtml page: XDND through tkdnd, and in-page drags of ``draggable`` elements.

Three things, one object per window (:class:`TkDragDrop`):

- **Files from another application.** tkdnd (the Tcl extension that the
  ``tkinterdnd2`` package ships) is loaded into main's own Tk interpreter
  once (:func:`load_tkdnd`) and the page's html widget is registered as an
  XDND drop target for files. Its ``<<DropEnter>>``/``<<DropPosition>>``/
  ``<<DropLeave>>``/``<<Drop>>`` events become DOM ``dragenter``,
  ``dragover``, ``dragleave`` and ``drop`` on the element under the pointer
  (``dragenter``/``dragleave`` whenever that element changes, as in a
  browser). Only ``<<Drop>>`` asks the other application for the data (the
  file list), so moving over the window costs no selection round trip.
  Paths go to main (:class:`~.._drag_drop.FileDrop`), never to the renderer.
- **In-page drags.** A press on an element that is ``draggable="true"`` (or
  inside one) followed by a move of more than :data:`DRAG_THRESHOLD` pixels
  with the button held starts a drag: ``dragstart`` on that element, then
  ``drag`` on it and ``dragenter``/``dragover``/``dragleave`` on what the
  pointer is over at each motion, ``drop`` where the button is released and
  ``dragend`` on the source. The data (``set_data``) stays in the renderer.
- **A file out** (:meth:`TkDragDrop.start_drag`): while an in-page drag is
  under way, the app's ``start_drag`` hands it to tkdnd as an XDND source
  of ``text/uri-list``; the page's drag ends (``dragleave`` where it was,
  ``dragend`` on the source) and another application receives the file
  (the data itself is served by main's own X connection: see
  :data:`_HAND_OVER`). The
  drag runs Tk's nested ``tkwait`` until the button is released, so it is
  started from an ``after`` callback (the host loop), never inside a trio
  task; trio's guest callbacks keep being served by that nested loop.

Without tkdnd (another platform, the library missing), in-page drags still
work; files from other applications are not accepted and ``start_drag``
logs why, once.
"""

from __future__ import annotations

import logging
import tkinter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ...common._drag_data import MAX_DROP_FILES, DragData
from .._drag_drop import DragInputEvent, DragItem, FileDrop
from .base import InputEvent

__all__ = ["DRAG_THRESHOLD", "TkDragDrop", "load_tkdnd"]

log = logging.getLogger("tkelectron")

#: Pixels the pointer must move with the button held before a drag starts (GTK's default).
DRAG_THRESHOLD = 8

_PROCS = r"""
namespace eval ::tke {}
# The id of the nearest element under (x, y), or its ancestors, that is draggable="true".
proc ::tke::draggable_at {html x y} {
    if {[info commands ::tke::settle] ne ""} {::tke::settle $html}
    set n [lindex [lindex [$html node $x $y] end] end]
    while {$n ne ""} {
        if {[$n tag] ne ""} {
            if {[string tolower [$n attribute -default "" draggable]] eq "true"} {
                set id [$n attribute -default "" data-tke-id]
                if {$id ne ""} {return $id}
            }
        }
        set n [$n parent]
    }
    return ""
}
"""

#: tkdnd 2.10 serves a drag's text/uri-list with Tk's ``selection handle -format
#: text/uri-list``, which Tk 8.6 sends as 32-bit numbers: the receiver got
#: "0x0 0x0" instead of the files. Served as 8-bit UTF-8 text it arrives.
_FIX_URI_LIST = r"""
if {[info commands ::tkdnd::xdnd::_tke_format_for_type] eq ""} {
    rename ::tkdnd::xdnd::getFormatForType ::tkdnd::xdnd::_tke_format_for_type
    proc ::tkdnd::xdnd::getFormatForType {type} {
        if {[string match -nocase text/uri-list* $type]} {return UTF8_STRING}
        return [::tkdnd::xdnd::_tke_format_for_type $type]
    }
}
"""

#: A drag out hands XdndSelection to main's own X connection (``_clipboard``'s
#: selection server), which types its answer ``text/uri-list`` as receivers
#: (GTK's ``get_uris``) require — Tk can only send 8-bit data typed
#: ``STRING``/``UTF8_STRING``. It takes the selection right after tkdnd's
#: ``selection own``, before the first XDND message goes out; tkdnd must not
#: take that loss for the end of the drag.
_HAND_OVER = r"""
if {[info commands ::tkdnd::xdnd::_tke_ownership_lost] eq ""} {
    namespace eval ::tke { variable dnd_take "" }
    proc ::tkdnd::xdnd::_register_generic_event_handler {} {
        ::_register_generic_event_handler
        if {$::tke::dnd_take ne ""} {uplevel #0 $::tke::dnd_take}
    }
    rename ::tkdnd::xdnd::_selection_ownership_lost ::tkdnd::xdnd::_tke_ownership_lost
    proc ::tkdnd::xdnd::_selection_ownership_lost {} {
        if {$::tke::dnd_take ne ""} return
        ::tkdnd::xdnd::_tke_ownership_lost
    }
}
"""

_warned: list[bool] = []  # tkdnd's failure to load is logged once per process


def load_tkdnd(root: tkinter.Misc) -> str | None:
    """Load tkdnd into ``root``'s interpreter (once); its version, or None when unavailable."""
    if not root.tk.call("info", "procs", "::tke::draggable_at"):
        root.tk.eval(_PROCS)
    if root.tk.call("info", "commands", "::tkdnd::drop_target"):
        return str(root.tk.call("package", "present", "tkdnd"))
    try:
        from tkinterdnd2 import TkinterDnD

        version = str(TkinterDnD._require(root))
        root.tk.eval(_FIX_URI_LIST)
        root.tk.eval(_HAND_OVER)
        return version
    except (ImportError, RuntimeError, tkinter.TclError) as exc:
        if not _warned:
            _warned.append(True)
            log.warning("drag and drop with other applications is off: tkdnd did not load (%s)", exc)
        return None


class TkDragDrop:
    """Drag and drop for one page's html widget, reported as :class:`DragInputEvent`."""

    def __init__(self, html: Any, hit: Callable[[int, int], int | None], emit: Callable[[InputEvent], object]) -> None:
        self.html = html
        self._hit = hit
        self._emit = emit
        self.tkdnd = load_tkdnd(html)
        # The external drag's element under the pointer, or None.
        self._over: int | None = None
        # An in-page drag: where the button went down, on which draggable element.
        self._press: tuple[int, int, int] | None = None
        self._source: int | None = None  # set once the drag started
        self._page_over: int | None = None
        self._out: tuple[DragItem, Callable[[str], None]] | None = None
        self._commands: list[str] = []
        self._icon: tkinter.Toplevel | None = None
        self._follow: str | None = None  # the Tcl command moving the icon
        # Bound in Tcl with the point only: a tkinter binding would build a
        # whole Event (19 substitutions) on every click's press and release.
        for seq, fn in (("<ButtonPress-1>", self._on_press), ("<B1-Motion>", self._on_motion),
                        ("<ButtonRelease-1>", self._on_release)):
            html.tk.call("bind", html._w, seq, f"+{self._command(fn)} %x %y")
        if self.tkdnd is not None:
            self._register_drop_target()

    # -- files from other applications (tkdnd drop target) -----------------------------

    def _command(self, fn: Callable[..., Any]) -> str:
        name = self.html.register(fn)
        self._commands.append(name)
        return str(name)

    def _register_drop_target(self) -> None:
        w = self.html._w
        self.html.tk.call("tkdnd::drop_target", "register", w, ("DND_Files",))
        bind = self.html.tk.call
        bind("bind", w, "<<DropEnter>>", f"{self._command(self._on_drop_position)} %X %Y")
        bind("bind", w, "<<DropPosition>>", f"{self._command(self._on_drop_position)} %X %Y")
        bind("bind", w, "<<DropLeave>>", f"{self._command(self._on_drop_leave)}")
        bind("bind", w, "<<Drop>>", f"{self._command(self._on_drop)} %X %Y %D")

    def _point(self, root_x: Any, root_y: Any) -> tuple[int, int]:
        return int(root_x) - self.html.winfo_rootx(), int(root_y) - self.html.winfo_rooty()

    def _files_event(self, kind: str, target: int, x: int, y: int, drop: FileDrop) -> None:
        self._emit(DragInputEvent(kind, target, x=x, y=y, drag=drop))

    def _move_over(self, target: int | None, x: int, y: int, make: Callable[[], Any],
                   current: int | None) -> None:
        """dragenter on the new element, then dragleave on the old one (a browser's order)."""
        if target == current:
            return
        if target is not None:
            self._emit(DragInputEvent("dragenter", target, x=x, y=y, drag=make()))
        if current is not None:
            self._emit(DragInputEvent("dragleave", current, x=x, y=y, drag=make()))

    def _blocked(self) -> bool:
        """A modal child holds this window (``tk busy``): it takes no drop, as it takes no click."""
        top = self.html.winfo_toplevel()
        return bool(int(self.html.tk.call("tk", "busy", "status", str(top))))

    def _on_drop_position(self, root_x: str, root_y: str) -> str:
        if self._blocked():
            self._on_drop_leave()
            return "refuse_drop"
        x, y = self._point(root_x, root_y)
        target = self._hit(x, y)
        self._move_over(target, x, y, FileDrop, self._over)
        self._over = target
        if target is not None:
            self._files_event("dragover", target, x, y, FileDrop())
        return "copy"

    def _on_drop_leave(self) -> None:
        if self._over is not None:
            self._files_event("dragleave", self._over, 0, 0, FileDrop(left=True))
        self._over = None

    def _on_drop(self, root_x: str, root_y: str, data: str) -> str:
        if self._blocked():
            self._on_drop_leave()
            return "refuse_drop"
        x, y = self._point(root_x, root_y)
        target = self._hit(x, y)
        if target != self._over:
            self._move_over(target, x, y, FileDrop, self._over)
        self._over = None
        try:
            paths = self.html.tk.splitlist(data)
        except tkinter.TclError:
            paths = ()
        if target is not None:
            self._files_event("drop", target, x, y, FileDrop(tuple(str(p) for p in paths[:MAX_DROP_FILES + 1])))
        return "copy"

    # -- in-page drags ------------------------------------------------------------------

    def _draggable_at(self, x: int, y: int) -> int | None:
        found = self.html.tk.call("::tke::draggable_at", self.html._w, x, y)
        # Tcl shares literals: a "" with a list's form comes back from tkinter as ().
        text = " ".join(map(str, found)) if isinstance(found, tuple) else str(found)
        return int(text) if text else None

    def _page(self, kind: str, target: int, x: int, y: int, left: bool = False) -> None:
        self._emit(DragInputEvent(kind, target, x=x, y=y, drag=DragData("page", left=left)))

    def _on_press(self, x_text: str, y_text: str) -> None:
        x, y = int(x_text), int(y_text)
        self._end_page_drag(x, y, drop=False)
        source = self._draggable_at(x, y)
        self._press = (x, y, source) if source is not None else None

    def _inside(self, x: int, y: int) -> bool:
        width, height = int(self.html.winfo_width()), int(self.html.winfo_height())
        return 0 <= x < width and 0 <= y < height

    def _on_motion(self, x_text: str, y_text: str) -> None:
        if self._press is None:
            return
        x, y = int(x_text), int(y_text)
        x0, y0, source = self._press
        if self._source is None:
            if max(abs(x - x0), abs(y - y0)) <= DRAG_THRESHOLD:
                return
            self._source = source
            self._page("dragstart", source, x0, y0)
        self._page("drag", source, x, y)
        target = self._hit(x, y) if self._inside(x, y) else None
        self._move_over(target, x, y, lambda: DragData("page"), self._page_over)
        self._page_over = target
        if target is not None:
            self._page("dragover", target, x, y)

    def _on_release(self, x_text: str, y_text: str) -> None:
        self._end_page_drag(int(x_text), int(y_text), drop=True)

    def _end_page_drag(self, x: int, y: int, *, drop: bool) -> None:
        source, over = self._source, self._page_over
        self._press = self._source = self._page_over = None
        if source is None:
            return
        if over is not None:
            if drop:
                self._page("drop", over, x, y)
            else:
                self._page("dragleave", over, x, y, left=True)
        self._page("dragend", source, x, y, left=not drop or over is None)

    @property
    def dragging(self) -> bool:
        """An in-page drag is under way (the button is held on a draggable element that moved)."""
        return self._source is not None

    # -- a file out (tkdnd drag source) ---------------------------------------------------

    def start_drag(self, item: DragItem, on_end: Callable[[str], None]) -> bool:
        """Carry the in-page drag on as an XDND drag of ``item``'s files; False when none is under way.

        ``on_end(action)`` is called with what the receiving application did
        (``copy``, ``move``, ``link``, or ``refuse_drop`` when nobody took it).
        """
        if self.tkdnd is None:
            log.warning("start_drag: tkdnd is not loaded, so files cannot be dragged to other applications")
            return False
        if not self.dragging or self._out is not None:
            return False
        self._out = (item, on_end)
        self.html.after(0, self._drag_out)
        return True

    def _drag_out(self) -> None:
        out, self._out = self._out, None
        if out is None:
            return
        item, on_end = out
        if not self.dragging:  # released between the request and now
            on_end("refuse_drop")
            return
        x, y = self.html.winfo_pointerx(), self.html.winfo_pointery()
        source, over = self._source, self._page_over
        self._press = self._source = self._page_over = None
        lx, ly = self._point(x, y)
        if over is not None:
            self._page("dragleave", over, lx, ly, left=True)
        uris = [f"file://{quote(p)}" for p in item.files]
        grab = str(self.html.tk.call("::tkdnd::xdnd::_create_grab_window"))
        self._show_icon(item.icon, grab, x, y)
        served: list[Any] = []
        take = self._command(lambda: self._serve_uris(uris, served))
        self.html.tk.call("set", "::tke::dnd_take", take)
        try:
            action = str(self.html.tk.call("::tkdnd::xdnd::_dodragdrop", self.html._w, ("copy",),
                                           ("text/uri-list",), (tuple(uris),), 1))
            # tkdnd answers the last target's status even when no drop happened
            # (Escape, or the window closed under the drag): nobody took the files then.
            if str(self.html.tk.getvar("::tkdnd::xdnd::_dodragdrop_drop_occured")) != "1":
                action = "refuse_drop"
        except tkinter.TclError as exc:
            log.warning("start_drag: the drag could not start: %s", exc)
            action = "refuse_drop"
        finally:
            self.html.tk.call("set", "::tke::dnd_take", "")
            self._hide_icon(grab)
            for server in served:
                server.disown("XdndSelection")
            self._forget_command(take)  # (already gone if the window closed during the drag)
        if source is not None:
            self._page("dragend", source, lx, ly, left=True)
        on_end(action)

    @staticmethod
    def _serve_uris(uris: list[str], served: list[Any]) -> None:
        """Own XdndSelection on main's X connection with the files as ``text/uri-list``."""
        try:
            from .._clipboard import clipboard

            server = clipboard._serving()
            server.own("XdndSelection", {"text/uri-list": "".join(f"{u}\r\n" for u in uris).encode()})
        except Exception as exc:  # noqa: BLE001 - no X connection of main's own: Tk keeps serving (as UTF8_STRING)
            log.warning("start_drag: the files are offered as UTF8_STRING (main's X connection: %s)", exc)
            return
        served.append(server)

    def _show_icon(self, icon: bytes | None, grab: str, x: int, y: int) -> None:
        """Show ``icon`` beside the pointer for the drag (never under it: the target is found there)."""
        if icon is None:
            return
        top = self._icon = tkinter.Toplevel(self.html)
        top.overrideredirect(True)
        image = tkinter.PhotoImage(master=top, data=icon)
        label = tkinter.Label(top, image=image, borderwidth=0)
        label.image = image  # type: ignore[attr-defined]  # keep the image alive with its label
        label.pack()
        top.geometry(f"+{x + 12}+{y + 12}")
        follow = self._follow = self._command(lambda rx, ry: top.geometry(f"+{int(rx) + 12}+{int(ry) + 12}"))
        self.html.tk.call("bind", grab, "<Motion>", f"{follow} %X %Y")

    def _hide_icon(self, grab: str) -> None:
        self.html.tk.call("bind", grab, "<Motion>", "")
        self._hide_icon_quietly()
        if self._follow is not None:
            self._forget_command(self._follow)
            self._follow = None

    def _forget_command(self, name: str) -> None:
        if name in self._commands:
            self._commands.remove(name)
            try:
                self.html.deletecommand(name)
            except tkinter.TclError:
                pass

    def close(self) -> None:
        """Forget the Tcl commands this object made (the widget is going away)."""
        self._hide_icon_quietly()
        for name in list(self._commands):
            self._forget_command(name)

    def _hide_icon_quietly(self) -> None:
        if self._icon is not None:
            try:
                self._icon.destroy()
            except tkinter.TclError:
                pass
            self._icon = None
