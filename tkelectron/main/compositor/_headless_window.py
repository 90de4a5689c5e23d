"""The headless compositor's window manager: every request recorded, the state modelled.

In the spirit of toga's dummy backend, :class:`HeadlessWindowControls` (mixed
into :class:`~.headless.HeadlessSurface`) appends each window-manager request
to ``requests`` and keeps the state a window manager would give the window —
bounds held within the min/max size, maximized over the whole screen, the
bounds before that remembered for unmaximize, a modal child disabling its
parent — and reports each change through ``callbacks.on_window_event`` in
the order a real window manager's events arrive (the change itself, then
``resize``/``move``, then ``resized``/``moved`` as the bounds settle at once).

What a user does to a window through the window manager is simulated with
:meth:`~HeadlessWindowControls.simulate_move`, ``simulate_resize``,
``simulate_focus`` and ``simulate_blur``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .base import SurfaceCallbacks, WindowSettings

if TYPE_CHECKING:
    from .headless import HeadlessCompositor

__all__ = ["SCREEN_SIZE", "HeadlessWindowControls"]

#: The screen the model's windows maximize to (the size of the suite's Xvfb).
SCREEN_SIZE = (1280, 1024)
_NO_LIMIT = 32767


class HeadlessWindowControls:
    """Window-manager requests, recorded and modelled (needs ``bounds``, ``visible``,
    ``minimized``, ``focused``, ``destroyed`` and ``callbacks`` from the surface)."""

    bounds: tuple[int, int, int, int]
    visible: bool
    minimized: bool
    focused: bool
    destroyed: bool
    callbacks: SurfaceCallbacks
    compositor: HeadlessCompositor

    def _init_window(self) -> None:
        #: Every window-manager request, in order: (name, *arguments).
        self.requests: list[tuple[Any, ...]] = []
        self.settings = WindowSettings()
        self.maximized = False
        self.fullscreen = False
        self.always_on_top = False
        self.urgent = False
        self.skip_taskbar = False
        self.parent: HeadlessWindowControls | None = None
        self.modal = False
        #: The modal children open over this window (its input is refused meanwhile).
        self.modal_children: list[HeadlessWindowControls] = []
        self._normal_bounds: tuple[int, int, int, int] | None = None

    def _record(self, *request: Any) -> None:
        self.requests.append(request)

    def _event(self, *names: str) -> None:
        for name in names:
            self.callbacks.on_window_event(name)

    @property
    def input_blocked(self) -> bool:
        """True while a modal child is open: the user's input to this window is refused."""
        return any(child.visible and not child.destroyed for child in self.modal_children)

    # -- geometry -------------------------------------------------------------------

    def _clamp(self, width: int, height: int) -> tuple[int, int]:
        (min_w, min_h), (max_w, max_h) = self.settings.min_size, self.settings.max_size
        width = min(max(width, min_w, 1), max_w or _NO_LIMIT)
        height = min(max(height, min_h, 1), max_h or _NO_LIMIT)
        return width, height

    def _move_to(self, bounds: tuple[int, int, int, int]) -> None:
        old, self.bounds = self.bounds, bounds
        moved, resized = old[:2] != bounds[:2], old[2:] != bounds[2:]
        self._event(*(["resize"] if resized else []), *(["move"] if moved else []))
        self._event(*(["resized"] if resized else []), *(["moved"] if moved else []))

    def get_bounds(self) -> tuple[int, int, int, int]:
        return self.bounds

    def get_content_bounds(self) -> tuple[int, int, int, int]:
        return self.bounds  # no frame and no menu bar take room here

    def set_bounds(self, x: int | None, y: int | None, width: int, height: int) -> None:
        self._record("set_bounds", x, y, width, height)
        old = self.bounds
        self._move_to((old[0] if x is None else x, old[1] if y is None else y, *self._clamp(width, height)))

    def center(self) -> None:
        self._record("center")
        _, _, w, h = self.bounds
        self._move_to(((SCREEN_SIZE[0] - w) // 2, (SCREEN_SIZE[1] - h) // 2, w, h))

    def apply_settings(self, settings: WindowSettings) -> None:
        self._record("apply_settings", settings)
        self.settings = settings
        self.always_on_top = settings.always_on_top
        self.skip_taskbar = settings.skip_taskbar
        if settings.fullscreen:
            self.set_full_screen(True)
        else:
            self._move_to((*self.bounds[:2], *self._clamp(*self.bounds[2:])))

    def set_resizable(self, flag: bool) -> None:
        self._record("set_resizable", flag)
        self.settings = replace(self.settings, resizable=flag)

    def set_min_size(self, width: int, height: int) -> None:
        self._record("set_min_size", width, height)
        self.settings = replace(self.settings, min_size=(width, height))
        self._move_to((*self.bounds[:2], *self._clamp(*self.bounds[2:])))

    def set_max_size(self, width: int, height: int) -> None:
        self._record("set_max_size", width, height)
        self.settings = replace(self.settings, max_size=(width, height))
        self._move_to((*self.bounds[:2], *self._clamp(*self.bounds[2:])))

    # -- states -----------------------------------------------------------------------

    def maximize(self) -> None:
        self._record("maximize")
        if not self.visible:
            self.show()
        if not self.maximized:
            self._normal_bounds = self.bounds
            self.maximized = True
            self._event("maximize")
            self._move_to((0, 0, *SCREEN_SIZE))

    def unmaximize(self) -> None:
        self._record("unmaximize")
        if self.maximized:
            self.maximized = False
            self._event("unmaximize")
            self._move_to(self._normal_bounds or self.bounds)

    def is_maximized(self) -> bool:
        return self.maximized

    def minimize(self) -> None:
        self._record("minimize")
        if not self.minimized:
            self.minimized = True
            self.focused = False  # the app stays the focused window's owner until another gets focus
            self._event("minimize")

    def restore(self) -> None:
        self._record("restore")
        if self.minimized:
            self.minimized = False
            self.visible = True
            self._event("restore")
        elif self.maximized:
            self.unmaximize()

    def is_minimized(self) -> bool:
        return self.minimized

    def set_full_screen(self, flag: bool) -> None:
        self._record("set_full_screen", flag)
        if flag == self.fullscreen:
            return
        self.fullscreen = flag
        if flag:
            self._normal_bounds = self._normal_bounds if self.maximized else self.bounds
            self._event("enter-full-screen")
            self._move_to((0, 0, *SCREEN_SIZE))
        else:
            self._event("leave-full-screen")
            if not self.maximized:
                self._move_to(self._normal_bounds or self.bounds)

    def is_full_screen(self) -> bool:
        return self.fullscreen

    def set_always_on_top(self, flag: bool) -> None:
        self._record("set_always_on_top", flag)
        self.always_on_top = flag

    def is_always_on_top(self) -> bool:
        return self.always_on_top

    # -- visibility and focus -------------------------------------------------------------

    def show(self) -> None:
        self._record("show")
        self._map()

    def _map(self) -> None:
        was_shown = self.visible and not self.minimized
        self.visible = True
        if self.minimized:
            self.minimized = False
            self._event("restore")
        elif not was_shown:
            self._event("show")

    def show_inactive(self) -> None:
        self._record("show_inactive")
        self._map()

    def hide(self) -> None:
        self._record("hide")
        if self.visible:
            self.visible = False
            was_focused, self.focused = self.focused, False
            self._event(*(["blur"] if was_focused else []), "hide")

    def focus(self) -> None:
        """Show and focus the window; reports ``on_focus`` as a real window would."""
        self._record("focus")
        self._map()
        self.simulate_focus()

    def blur(self) -> None:
        self._record("blur")
        self.simulate_blur()

    def is_visible(self) -> bool:
        return self.visible and not self.minimized and not self.destroyed

    # -- relations and hints ----------------------------------------------------------------

    def set_parent(self, parent: Any | None, modal: bool) -> None:
        self._record("set_parent", parent, modal)
        if self.parent is not None and self in self.parent.modal_children:
            self.parent.modal_children.remove(self)
        self.parent, self.modal = parent, modal and parent is not None
        if self.modal and parent is not None:
            parent.modal_children.append(self)

    def flash_frame(self, flag: bool) -> None:
        self._record("flash_frame", flag)
        self.urgent = flag

    def set_skip_taskbar(self, flag: bool) -> None:
        self._record("set_skip_taskbar", flag)
        self.skip_taskbar = flag

    def when_painted(self, callback: Callable[[], None]) -> None:
        callback()  # applying a commit here is all the drawing there is

    def _release_parent(self) -> None:
        if self.parent is not None and self in self.parent.modal_children:
            self.parent.modal_children.remove(self)

    # -- what a user does through the window manager ------------------------------------------

    def simulate_move(self, x: int, y: int) -> None:
        """The user drags the window's title bar to (x, y)."""
        if self.settings.movable:
            self._move_to((x, y, *self.bounds[2:]))

    def simulate_resize(self, width: int, height: int) -> None:
        """The user drags the window's border (refused when not resizable)."""
        if self.settings.resizable:
            self._move_to((*self.bounds[:2], *self._clamp(width, height)))

    def simulate_focus(self) -> None:
        """The user clicks into the window (a modal child takes the focus instead)."""
        for child in self.modal_children:
            if child.visible and not child.destroyed:
                child.simulate_focus()
                return
        if not self.focused:
            for other in self.compositor.surfaces:  # one window has the keyboard at a time
                if other is not self and other.focused:
                    other.simulate_blur()
            self.focused = True
            self.callbacks.on_focus()
            self._event("focus")

    def simulate_blur(self) -> None:
        """The user gives the keyboard to another application."""
        if self.focused:
            self.focused = False
            self._event("blur")

