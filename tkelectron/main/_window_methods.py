"""BrowserWindow's window-manager methods: bounds, states, visibility, focus, relations.

Electron's names in snake_case (``get_bounds``, ``set_full_screen``...). Each
is a request to the surface's window controls
(:class:`~.compositor.base.WindowControls`); the events that follow
(``resize``, ``maximize``, ``show``...) come back from the window manager
through the surface, so a change the user makes and one the app makes are
reported the same way.

Sizes are the page's: ``get_size()`` is what the page has, the window
manager's frame and the menu bar come on top (Tk's geometry), so
``get_content_size()`` is the same size and ``set_content_size`` the same
request as ``set_size``. ``x``/``y`` place the outer corner (the frame's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._window_options import pixels

if TYPE_CHECKING:
    from ._browser_window import BrowserWindow
    from ._context import AppSession
    from .compositor.base import Surface

__all__ = ["WindowMethods"]

_MAX = 32767


def _as_dict(bounds: tuple[int, int, int, int]) -> dict[str, int]:
    x, y, w, h = bounds
    return {"x": x, "y": y, "width": w, "height": h}


class WindowMethods:
    """Mixed into BrowserWindow (which has ``_surface``, ``_session``, ``_destroyed``, ``_parent``, ``_children``)."""

    _surface: Surface
    _session: AppSession
    _destroyed: bool
    _parent: BrowserWindow | None
    _children: list[BrowserWindow]
    id: int

    def _on_focus(self) -> None:
        """The window got the keyboard focus (BrowserWindow's own)."""

    # -- bounds -------------------------------------------------------------------------

    def get_bounds(self) -> dict[str, int]:
        return _as_dict(self._surface.get_bounds())

    def set_bounds(self, bounds: Mapping[str, int]) -> None:
        """Move and/or resize: any of ``x``, ``y``, ``width``, ``height`` (the rest stay)."""
        if not isinstance(bounds, Mapping):
            raise TypeError(f"set_bounds takes a dict with x, y, width, height, not {bounds!r}")
        unknown = set(bounds) - {"x", "y", "width", "height"}
        if unknown:
            raise ValueError(f"set_bounds: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        merged = {**self.get_bounds(), **bounds}
        self._surface.set_bounds(pixels("x", merged["x"], -_MAX), pixels("y", merged["y"], -_MAX),
                                 pixels("width", merged["width"], 1), pixels("height", merged["height"], 1))

    def get_content_bounds(self) -> dict[str, int]:
        """Where the page is on screen (inside the window manager's frame and the menu bar)."""
        return _as_dict(self._surface.get_content_bounds())

    def get_position(self) -> tuple[int, int]:
        b = self.get_bounds()
        return b["x"], b["y"]

    def set_position(self, x: int, y: int) -> None:
        self.set_bounds({"x": x, "y": y})

    def get_size(self) -> tuple[int, int]:
        b = self.get_bounds()
        return b["width"], b["height"]

    def set_size(self, width: int, height: int) -> None:
        self.set_bounds({"width": width, "height": height})

    def get_content_size(self) -> tuple[int, int]:
        b = self.get_content_bounds()
        return b["width"], b["height"]

    def set_content_size(self, width: int, height: int) -> None:
        self.set_size(width, height)  # sizes are the page's already

    def center(self) -> None:
        self._surface.center()

    def set_min_size(self, width: int, height: int) -> None:
        self._surface.set_min_size(pixels("width", width), pixels("height", height))

    def set_max_size(self, width: int, height: int) -> None:
        """0 for no limit."""
        self._surface.set_max_size(pixels("width", width), pixels("height", height))

    def set_resizable(self, resizable: bool) -> None:
        self._surface.set_resizable(bool(resizable))

    # -- states -------------------------------------------------------------------------

    def maximize(self) -> None:
        self._surface.maximize()

    def unmaximize(self) -> None:
        self._surface.unmaximize()

    def is_maximized(self) -> bool:
        return not self._destroyed and self._surface.is_maximized()

    def minimize(self) -> None:
        self._surface.minimize()

    def restore(self) -> None:
        self._surface.restore()

    def is_minimized(self) -> bool:
        return not self._destroyed and self._surface.is_minimized()

    def set_full_screen(self, flag: bool) -> None:
        self._surface.set_full_screen(bool(flag))

    def is_full_screen(self) -> bool:
        return not self._destroyed and self._surface.is_full_screen()

    def set_always_on_top(self, flag: bool) -> None:
        self._surface.set_always_on_top(bool(flag))

    def is_always_on_top(self) -> bool:
        return not self._destroyed and self._surface.is_always_on_top()

    # -- visibility and focus ---------------------------------------------------------------

    def show(self) -> None:
        """Show and focus the window (``show`` follows from the window manager)."""
        self._surface.show()
        self._on_focus()

    def show_inactive(self) -> None:
        """Show the window without taking the keyboard from the window that has it."""
        self._surface.show_inactive()

    def hide(self) -> None:
        self._surface.hide()
        if self._session.focused_id == self.id:
            self._session.focused_id = None

    def is_visible(self) -> bool:
        return not self._destroyed and self._surface.is_visible()

    def focus(self) -> None:
        self._surface.focus()
        self._on_focus()

    def blur(self) -> None:
        """Give the keyboard away (``blur`` follows)."""
        self._surface.blur()
        if self._session.focused_id == self.id:
            self._session.focused_id = None

    def is_focused(self) -> bool:
        return self._session.focused_id == self.id

    # -- relations and hints --------------------------------------------------------------------

    def get_parent_window(self) -> BrowserWindow | None:
        return self._parent if self._parent is not None and not self._parent._destroyed else None

    def get_child_windows(self) -> list[BrowserWindow]:
        return [c for c in self._children if not c._destroyed]

    def flash_frame(self, flag: bool) -> None:
        """Ask for the user's attention (the window manager's urgency hint) or stop asking."""
        self._surface.flash_frame(bool(flag))

    def set_skip_taskbar(self, skip: bool) -> None:
        self._surface.set_skip_taskbar(bool(skip))
