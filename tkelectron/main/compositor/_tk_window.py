"""A Tk toplevel's window-manager side: requests to the X11 window manager and its answers.

:class:`TkWindowControls` is mixed into :class:`~.tkhtml.TkhtmlSurface`.
Requests go through Tk where Tk has them (``wm geometry``, ``wm attributes
-zoomed/-fullscreen/-topmost``, ``wm iconify``, ``wm minsize``,
``wm transient``, ``wm iconphoto``) and through main's own X connection
(:mod:`.._x11`) for the EWMH/ICCCM/Motif ones Tk lacks:

- ``frame=False``, ``movable``, ``minimizable``, ``maximizable``,
  ``closable``: the ``_MOTIF_WM_HINTS`` property on Tk's wrapper window. The
  window stays managed (it still gets focus, stacking and a taskbar entry);
  only the decorations and the refused functions go. Tk's
  ``overrideredirect`` would take the window away from the window manager
  altogether (no focus from clicks, no stacking, no taskbar), so it is not
  used.
- ``skip_taskbar``: ``_NET_WM_STATE_SKIP_TASKBAR`` through an EWMH
  ``_NET_WM_STATE`` client message once the window is mapped.
- ``flash_frame``: the ICCCM urgency bit in ``WM_HINTS``.
- ``show_inactive``: ``_NET_WM_USER_TIME`` 0 before mapping (EWMH: "do not
  focus"), ``focus``: ``_NET_ACTIVE_WINDOW``.
- a modal child: the parent gets ``tk busy`` (an input-only window over it
  swallows its pointer input) and gives the keyboard focus to the child
  whenever it gets it; the child is ``wm transient`` for it.

The window manager's answers are Tk's own events, never polled:
``<Configure>`` (move, resize), ``<Map>``/``<Unmap>`` (show, hide, minimize,
restore), ``<FocusIn>``/``<FocusOut>`` and, on main's X connection,
``PropertyNotify`` of ``_NET_WM_STATE`` on the wrapper (maximize,
full screen). Each event re-reads the state and reports what differs from
the last report, so the order a window manager sends its events in never
matters. ``resized``/``moved`` follow once the bounds stayed put for
:data:`SETTLE_MS`.

Bounds are Tk's geometry: ``x``/``y`` place the window's outer corner (the
window manager's frame included), ``width``/``height`` are the page's size
(without frame and menu bar). Without main's X connection (a compositor
made outside a running app) the Motif/EWMH requests are skipped.
"""

from __future__ import annotations

import contextlib
import logging
import tkinter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .base import SurfaceCallbacks, WindowSettings

if TYPE_CHECKING:
    from .tkhtml import TkhtmlCompositor

__all__ = ["SETTLE_MS", "TkWindowControls"]

log = logging.getLogger("tkelectron.compositor")

#: How long the bounds must stay the same before ``resized``/``moved``.
SETTLE_MS = 250
_NO_LIMIT = 32767
# _MOTIF_WM_HINTS (Motif's MwmUtil.h): flags, functions, decorations, input mode, status.
_MWM_HINTS_FUNCTIONS, _MWM_HINTS_DECORATIONS = 1 << 0, 1 << 1
_MWM_FUNC_RESIZE, _MWM_FUNC_MOVE, _MWM_FUNC_MINIMIZE, _MWM_FUNC_MAXIMIZE, _MWM_FUNC_CLOSE = 2, 4, 8, 16, 32
_MWM_DECOR_ALL = 1
_URGENCY_HINT = 1 << 8
_NET_WM_STATE_REMOVE, _NET_WM_STATE_ADD = 0, 1


def _x_connection() -> Any | None:
    """Main's X connection, or None outside a running app or without X (requests are skipped)."""
    from .._x11 import XUnavailableError, connection

    try:
        return connection()
    except (RuntimeError, XUnavailableError):
        return None


class TkWindowControls:
    """The window-manager requests and events of ``self.toplevel`` (see the module)."""

    toplevel: tkinter.Toplevel
    callbacks: SurfaceCallbacks
    compositor: TkhtmlCompositor
    frame: Any  # the surface's tkinterweb HtmlFrame (untyped)

    def _init_window(self, width: int, height: int) -> None:
        self.settings = WindowSettings()
        self._requested: tuple[int, int, int, int] = (0, 0, width, height)
        self._reported: dict[str, Any] = {}
        self._settled: tuple[int, int, int, int] | None = None
        self._settle_job: str | None = None
        self._parent_surface: TkWindowControls | None = None
        self._modal = False
        self._modal_children: list[TkWindowControls] = []
        self._busy = False
        self._icon: tkinter.PhotoImage | None = None
        self._skip_taskbar = False
        self._x = _x_connection()
        self._wrapper_window: Any = None
        top = self.toplevel
        self._wrapper_id = 0
        self._ever_mapped = False
        self._pending_show = False
        self._limits_menu_height = 0
        for sequence in ("<Configure>", "<Map>", "<Unmap>"):
            top.bind(sequence, self._on_own_event, add="+")
        for sequence in ("<FocusIn>", "<FocusOut>"):
            top.bind(sequence, self._on_focus_event, add="+")
        if self._x is not None:
            from Xlib import X

            # Tk's wrapper (the window the window manager manages, holding the
            # menu bar and the toplevel) is made when the toplevel is first
            # mapped. Mapped withdrawn, it is made and stays hidden: the
            # properties the window manager reads once, at its first map
            # (decorations, functions), are set on it before it is shown.
            self._pending_show = str(top.state()) != "withdrawn"
            top.withdraw()
            top.update_idletasks()
            top.winfo_pointerxy()  # a round trip: Tk's buffered requests reach the server before ours
            tree = self._x.display.create_resource_object("window", top.winfo_id()).query_tree()
            self._wrapper_id = int(tree.parent.id)
            self._wrapper_window = self._x.display.create_resource_object("window", self._wrapper_id)
            self._wrapper_window.change_attributes(event_mask=X.PropertyChangeMask | X.StructureNotifyMask)
            self._x.on(X.PropertyNotify, self._on_property)
            self._x.display.flush()
            if self._pending_show:
                top.after_idle(self._first_show)
        self._reported = self._state()

    def _first_show(self) -> None:
        if self._pending_show and self.toplevel.winfo_exists():
            self._pending_show = False
            self.toplevel.deiconify()

    def _close_window(self) -> None:
        for child in list(self._modal_children):
            child.set_parent(None, False)
        self.set_parent(None, False)
        if self._settle_job is not None:
            with contextlib.suppress(tkinter.TclError):
                self.toplevel.after_cancel(self._settle_job)
            self._settle_job = None
        if self._x is not None:
            from Xlib import X

            self._x.off(X.PropertyNotify, self._on_property)

    # -- reading the state --------------------------------------------------------------

    def _net_state(self) -> set[str]:
        """The atoms of ``_NET_WM_STATE`` on the wrapper (what the window manager says)."""
        if self._x is None or self._wrapper_window is None:
            top = self.toplevel
            found = set()
            if int(top.wm_attributes("-zoomed")):
                found |= {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"}
            if int(top.wm_attributes("-fullscreen")):
                found.add("_NET_WM_STATE_FULLSCREEN")
            return found
        from Xlib import X, error

        try:
            prop = self._wrapper_window.get_full_property(self._x.atom("_NET_WM_STATE"), X.AnyPropertyType)
        except error.XError:
            return set()
        return {self._x.atom_name(a) for a in prop.value} if prop is not None else set()

    def _iconic(self) -> bool:
        """Minimized: ICCCM ``WM_STATE`` IconicState as the window manager set it (else Tk's state)."""
        if self._x is not None and self._wrapper_window is not None:
            from Xlib import error

            try:
                wm_state = self._wrapper_window.get_wm_state()
            except error.XError:
                return False
            return wm_state is not None and int(wm_state.state) == 3
        # Tk says "iconic" for any unmapped window not withdrawn, also before its first map.
        return self._ever_mapped and str(self.toplevel.state()) == "iconic"

    def _state(self) -> dict[str, Any]:
        top = self.toplevel
        if not top.winfo_exists():
            return dict(self._reported)
        wm_state = str(top.state())
        net = self._net_state()
        return {
            "visible": wm_state in ("normal", "zoomed") and bool(top.winfo_ismapped()),
            "minimized": self._iconic(),
            "maximized": {"_NET_WM_STATE_MAXIMIZED_VERT", "_NET_WM_STATE_MAXIMIZED_HORZ"} <= net,
            "fullscreen": "_NET_WM_STATE_FULLSCREEN" in net,
            "bounds": self.get_bounds(),
        }

    def _sync(self) -> None:
        """Report every change since the last report, in Electron's order."""
        if not self.toplevel.winfo_exists():
            return
        old, new = self._reported, self._state()
        new["focused"] = old.get("focused", False)  # focus has its own events (_sync_focus)
        self._reported = new
        events: list[str] = []
        if old.get("minimized") != new["minimized"]:
            events.append("minimize" if new["minimized"] else "restore")
        if old.get("visible") != new["visible"] and not (new["minimized"] or old.get("minimized")):
            events.append("show" if new["visible"] else "hide")
        if old.get("maximized") != new["maximized"]:
            events.append("maximize" if new["maximized"] else "unmaximize")
        if old.get("fullscreen") != new["fullscreen"]:
            events.append("enter-full-screen" if new["fullscreen"] else "leave-full-screen")
        if new["visible"] and old.get("bounds") != new["bounds"]:
            before = old.get("bounds") or new["bounds"]
            if before[2:] != new["bounds"][2:]:
                events.append("resize")
            if before[:2] != new["bounds"][:2]:
                events.append("move")
            self._restart_settle(before)
        if new["visible"] and not old.get("visible") and self._skip_taskbar:
            self._send_state(_NET_WM_STATE_ADD, "_NET_WM_STATE_SKIP_TASKBAR")
        for name in events:
            self.callbacks.on_window_event(name)

    def _restart_settle(self, before: tuple[int, int, int, int]) -> None:
        """(Re)start the wait for the bounds to settle; ``before``: the bounds when the change began."""
        if self._settle_job is not None:
            self.toplevel.after_cancel(self._settle_job)
        if self._settled is None:
            self._settled = before
        self._settle_job = self.toplevel.after(SETTLE_MS, self._settle)

    def _settle(self) -> None:
        self._settle_job = None
        if not self.toplevel.winfo_exists():
            return
        before, now = self._settled, self.get_bounds()
        self._settled = None
        if before is None or before == now:
            return
        if before[2:] != now[2:]:
            self.callbacks.on_window_event("resized")
        if before[:2] != now[:2]:
            self.callbacks.on_window_event("moved")

    def _on_own_event(self, event: Any) -> None:
        if event.widget is self.toplevel:
            if str(event.type) == "Map":
                self._ever_mapped = True
            if self.settings.max_size[1] and self._menu_height() != self._limits_menu_height:
                self._apply_size_limits()  # the menu bar got (or changed) its height
            elif self.settings.min_size[1]:
                self._fix_size_hints()
            self._sync()

    def _on_property(self, event: Any) -> None:
        if self._x is None or getattr(event.window, "id", None) != self._wrapper_id:
            return
        if event.atom in (self._x.atom("_NET_WM_STATE"), self._x.atom("WM_STATE")):
            with contextlib.suppress(tkinter.TclError):
                self._sync()

    def _on_focus_event(self, _event: Any) -> None:
        # Focus moves between widgets inside the window too: look once Tk
        # settled. Tk moves its idea of the focus when the window getting it
        # hears its FocusIn, so a FocusIn here settles the window losing it too.
        with contextlib.suppress(tkinter.TclError):
            self.toplevel.after_idle(self._sync_all_focus)

    def _sync_all_focus(self) -> None:
        for surface in list(self.compositor.surfaces):
            if isinstance(surface, TkWindowControls):
                with contextlib.suppress(tkinter.TclError):
                    surface._sync_focus()

    def _sync_focus(self) -> None:
        if not self.toplevel.winfo_exists():
            return
        focused = self.is_focused()
        child = self._modal_child() if focused else None
        if child is not None:
            child.focus()
            return
        if focused != self._reported.get("focused", False):
            self._reported["focused"] = focused
            self.callbacks.on_window_event("focus" if focused else "blur")

    def is_focused(self) -> bool:
        top = self.toplevel
        current = str(top.tk.call("focus", "-displayof", str(top)))
        return bool(current) and (current == str(top) or current.startswith(str(top) + "."))

    # -- geometry -----------------------------------------------------------------------

    def get_bounds(self) -> tuple[int, int, int, int]:
        if not self.toplevel.winfo_ismapped():
            return self._requested
        size, _, pos = str(self.toplevel.wm_geometry()).partition("+")
        w, h = (int(v) for v in size.split("x"))
        x, y = (int(v) for v in pos.replace("+-", "-").split("+"))
        return (x, y, w, h)

    def get_content_bounds(self) -> tuple[int, int, int, int]:
        top = self.toplevel
        if not top.winfo_ismapped():
            return self._requested
        return (top.winfo_rootx(), top.winfo_rooty(), top.winfo_width(), top.winfo_height())

    def set_bounds(self, x: int | None, y: int | None, width: int, height: int) -> None:
        width, height = self._clamp(width, height)
        where = f"+{x}+{y}" if x is not None and y is not None else ""
        self.toplevel.geometry(f"{width}x{height}{where}")
        old = self._requested
        self._requested = (old[0] if x is None else x, old[1] if y is None else y, width, height)

    def center(self) -> None:
        top = self.toplevel
        _, _, w, h = self.get_bounds()
        x = max(0, (top.winfo_screenwidth() - w) // 2)
        y = max(0, (top.winfo_screenheight() - h) // 2)
        self.set_bounds(x, y, w, h)

    def set_resizable(self, flag: bool) -> None:
        self.settings = replace(self.settings, resizable=flag)
        self.toplevel.resizable(flag, flag)
        self._set_motif_hints()

    def set_min_size(self, width: int, height: int) -> None:
        self.settings = replace(self.settings, min_size=(width, height))
        self._apply_size_limits()

    def set_max_size(self, width: int, height: int) -> None:
        self.settings = replace(self.settings, max_size=(width, height))
        self._apply_size_limits()

    def _menu_height(self) -> int:
        """The menu bar's height: Tk's wrapper holds it above the page."""
        if self._x is None or self._wrapper_window is None or not self.toplevel.winfo_ismapped():
            return 0
        from Xlib import error

        try:
            return max(0, int(self._wrapper_window.get_geometry().height) - self.toplevel.winfo_height())
        except error.XError:
            return 0

    def _apply_size_limits(self) -> None:
        """The page's min/max size, for Tk's own geometry and for the window manager.

        Tk holds its geometry (the page) to ``wm minsize``/``maxsize`` but writes
        the same numbers into the WM_NORMAL_HINTS of its wrapper, which holds
        the menu bar too. So the max size Tk gets is the menu bar's height
        larger (the window manager then holds the page to it; requests of the
        app are clamped in :meth:`set_bounds`), and the min hint is corrected
        after Tk writes it (:meth:`_fix_size_hints`).
        """
        (min_w, min_h), (max_w, max_h) = self.settings.min_size, self.settings.max_size
        self._limits_menu_height = extra = self._menu_height()
        self.toplevel.minsize(max(min_w, 1), max(min_h, 1))
        self.toplevel.maxsize(max_w or _NO_LIMIT, (max_h + extra) if max_h else _NO_LIMIT)
        self._fix_size_hints()

    def _clamp(self, width: int, height: int) -> tuple[int, int]:
        (min_w, min_h), (max_w, max_h) = self.settings.min_size, self.settings.max_size
        return (min(max(width, min_w), max_w or _NO_LIMIT), min(max(height, min_h), max_h or _NO_LIMIT))

    def _fix_size_hints(self) -> None:
        # Tk's own clamp is on the page, but the WM_NORMAL_HINTS it writes give
        # the same numbers for its wrapper, which also holds the menu bar: the
        # window manager would let the page shrink by the menu bar's height.
        # Tk rewrites the hints when its geometry changes, which a <Configure>
        # follows: they are corrected then (and once mapped, when the menu bar
        # has its height).
        if self._x is None or self._wrapper_window is None:
            return
        min_h = self.settings.min_size[1]
        extra = self._menu_height()
        if not extra or not min_h:
            return
        from Xlib import error

        try:
            hints = self._wrapper_window.get_wm_normal_hints()
            if hints is None or int(hints.min_height) == min_h + extra:
                return
            fields = {k: getattr(hints, k) for k in ("flags", "min_width", "min_height", "max_width", "max_height",
                                                     "width_inc", "height_inc", "min_aspect", "max_aspect",
                                                     "base_width", "base_height", "win_gravity")}
            fields["min_height"] = min_h + extra
            self._wrapper_window.set_wm_normal_hints(**fields)
            self._x.display.flush()
        except error.XError:
            return

    # -- options --------------------------------------------------------------------------

    def apply_settings(self, settings: WindowSettings) -> None:
        top = self.toplevel
        self.settings = settings
        if settings.min_size != (0, 0) or settings.max_size != (0, 0):
            self._apply_size_limits()
        if not settings.resizable:
            top.resizable(False, False)
        if settings.always_on_top:
            top.wm_attributes("-topmost", 1)
        if settings.fullscreen:
            top.wm_attributes("-fullscreen", 1)
        if settings.background_color is not None:
            top.configure(background=settings.background_color)
            with contextlib.suppress(tkinter.TclError, AttributeError):
                self.frame.configure(background=settings.background_color)
        if settings.icon is not None:
            self._icon = tkinter.PhotoImage(master=top, data=settings.icon, format="png")
            top.iconphoto(False, self._icon)
        self._skip_taskbar = settings.skip_taskbar
        self._set_motif_hints()

    def _set_motif_hints(self) -> None:
        """Decorations and the functions the window manager offers (``_MOTIF_WM_HINTS``)."""
        if self._x is None or self._wrapper_window is None:
            return
        s = self.settings
        functions = (_MWM_FUNC_RESIZE * s.resizable | _MWM_FUNC_MOVE * s.movable
                     | _MWM_FUNC_MINIMIZE * s.minimizable | _MWM_FUNC_MAXIMIZE * (s.maximizable and s.resizable)
                     | _MWM_FUNC_CLOSE * s.closable)
        atom = self._x.atom("_MOTIF_WM_HINTS")
        hints = [_MWM_HINTS_FUNCTIONS | _MWM_HINTS_DECORATIONS, functions, _MWM_DECOR_ALL if s.frame else 0, 0, 0]
        self._wrapper_window.change_property(atom, atom, 32, hints)
        self._x.display.flush()

    def _send_state(self, action: int, *atoms: str) -> None:
        """An EWMH ``_NET_WM_STATE`` request to the window manager (a client message to the root)."""
        if self._x is None or self._wrapper_window is None:
            return
        from Xlib import X
        from Xlib.protocol import event

        x = self._x
        names = [x.atom(a) for a in atoms] + [0, 0]
        message = event.ClientMessage(window=self._wrapper_window, client_type=x.atom("_NET_WM_STATE"),
                                      data=(32, [action, names[0], names[1], 1, 0]))
        x.root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        x.display.flush()

    def set_skip_taskbar(self, flag: bool) -> None:
        self._skip_taskbar = flag
        if self.toplevel.winfo_ismapped():
            self._send_state(_NET_WM_STATE_ADD if flag else _NET_WM_STATE_REMOVE, "_NET_WM_STATE_SKIP_TASKBAR")

    # -- states ---------------------------------------------------------------------------

    def maximize(self) -> None:
        if not self.toplevel.winfo_ismapped():
            self.show()
        self.toplevel.wm_attributes("-zoomed", 1)

    def unmaximize(self) -> None:
        self.toplevel.wm_attributes("-zoomed", 0)

    def is_maximized(self) -> bool:
        return bool(self._state()["maximized"])

    def minimize(self) -> None:
        self.toplevel.iconify()

    def restore(self) -> None:
        if str(self.toplevel.state()) == "iconic":
            self.toplevel.deiconify()
        elif self.is_maximized():
            self.unmaximize()

    def is_minimized(self) -> bool:
        return self._iconic()

    def set_full_screen(self, flag: bool) -> None:
        self.toplevel.wm_attributes("-fullscreen", int(flag))

    def is_full_screen(self) -> bool:
        return bool(self._state()["fullscreen"])

    def set_always_on_top(self, flag: bool) -> None:
        self.settings = replace(self.settings, always_on_top=flag)
        self.toplevel.wm_attributes("-topmost", int(flag))  # _NET_WM_STATE_ABOVE, through the window manager

    def is_always_on_top(self) -> bool:
        # What the app asked (as Electron answers): without a window manager Tk reads back 0.
        return self.settings.always_on_top

    # -- visibility and focus ---------------------------------------------------------------

    def show(self) -> None:
        self.toplevel.deiconify()
        self.toplevel.lift()

    def show_inactive(self) -> None:
        if self._x is not None and self._wrapper_window is not None:
            from Xlib import Xatom

            # EWMH: a _NET_WM_USER_TIME of 0 asks the window manager not to focus the window it maps.
            self._wrapper_window.change_property(self._x.atom("_NET_WM_USER_TIME"), Xatom.CARDINAL, 32, [0])
            self._x.display.flush()
        self.toplevel.deiconify()

    def hide(self) -> None:
        self._pending_show = False
        self.toplevel.withdraw()

    def focus(self) -> None:
        top = self.toplevel
        top.deiconify()
        top.lift()
        if self._x is not None and self._wrapper_window is not None:
            self._activate(self._wrapper_id)
        top.focus_force()

    def blur(self) -> None:
        if not self.is_focused():
            return
        # Lowered below the others, and the keyboard to the window the window
        # manager stacks next (EWMH _NET_CLIENT_LIST_STACKING, as Alt+Tab
        # would): giving it to the root only makes a window manager's focus
        # fallback hand it straight back (openbox does).
        self.toplevel.lower()
        if self._x is None or self._wrapper_window is None:
            return
        from Xlib import X, error

        x = self._x
        try:
            prop = x.root.get_full_property(x.atom("_NET_CLIENT_LIST_STACKING"), X.AnyPropertyType)
        except error.XError:
            prop = None
        others = [w for w in (prop.value if prop is not None else []) if int(w) != self._wrapper_id]
        if others:
            self._activate(int(others[-1]))
        else:
            x.display.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
            x.display.flush()

    def _activate(self, window_id: int) -> None:
        """EWMH ``_NET_ACTIVE_WINDOW`` for ``window_id``, source 2 (a pager: the user's own request)."""
        from Xlib import X
        from Xlib.protocol import event

        assert self._x is not None
        target = self._x.display.create_resource_object("window", window_id)
        message = event.ClientMessage(window=target, client_type=self._x.atom("_NET_ACTIVE_WINDOW"),
                                      data=(32, [2, X.CurrentTime, 0, 0, 0]))
        self._x.root.send_event(message, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        self._x.display.flush()

    def is_visible(self) -> bool:
        if self._pending_show:
            return True  # shown at the next idle moment, once its options are set
        if not self.toplevel.winfo_exists() or str(self.toplevel.state()) == "withdrawn":
            return False
        # Minimized or not as the window manager says (WM_STATE), like
        # is_minimized: Tk's own state follows only once it has read the
        # unmap or map that comes after, so the two could disagree just
        # after a minimize or restore event.
        return not self._iconic()

    # -- relations and hints ------------------------------------------------------------------

    def _modal_child(self) -> TkWindowControls | None:
        for child in self._modal_children:
            if child.toplevel.winfo_exists() and child.is_visible():
                return child
        return None

    def _update_busy(self) -> None:
        """``tk busy`` on this window while a modal child is open: its pointer input is refused."""
        want = self._modal_child() is not None
        if want == self._busy or not self.toplevel.winfo_exists():
            return
        self._busy = want
        self.toplevel.tk.call("tk", "busy", "hold" if want else "forget", str(self.toplevel))

    def set_parent(self, parent: Any | None, modal: bool) -> None:
        old = self._parent_surface
        if old is not None and self in old._modal_children:
            old._modal_children.remove(self)
            old._update_busy()
        self._parent_surface, self._modal = parent, modal and parent is not None
        if not self.toplevel.winfo_exists():
            return
        if parent is None:
            # Tk's "no master" is an empty name, which wm_transient's types leave out.
            self.toplevel.tk.call("wm", "transient", str(self.toplevel), "")
            return
        self.toplevel.wm_transient(parent.toplevel)
        if self._modal:
            parent._modal_children.append(self)
            parent._update_busy()
            # The parent follows its modal child being shown or hidden.
            for sequence in ("<Map>", "<Unmap>"):
                self.toplevel.bind(sequence, self._tell_parent, add="+")

    def _tell_parent(self, event: Any) -> None:
        if event.widget is self.toplevel and self._parent_surface is not None:
            self._parent_surface._update_busy()

    def flash_frame(self, flag: bool) -> None:
        """The ICCCM urgency hint on the wrapper's ``WM_HINTS`` (taskbars flash or mark the window)."""
        if self._x is None or self._wrapper_window is None:
            return
        hints = self._wrapper_window.get_wm_hints()
        flags = int(hints.flags) if hints is not None else 0
        flags = flags | _URGENCY_HINT if flag else flags & ~_URGENCY_HINT
        fields = {k: getattr(hints, k) for k in ("input", "initial_state", "icon_pixmap", "icon_window",
                                                 "icon_x", "icon_y", "icon_mask", "window_group")} if hints else {}
        self._wrapper_window.set_wm_hints(flags=flags, **fields)
        self._x.display.flush()

    def when_painted(self, callback: Callable[[], None]) -> None:
        # Tkhtml lays out and draws in idle callbacks queued by the commit: one queued after them runs once drawn.
        self.toplevel.after_idle(lambda: self.toplevel.after_idle(callback))

