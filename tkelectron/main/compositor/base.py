"""What a compositor is: the main-process side of a window's content.

A compositor turns a renderer's DOM commits (lists of :data:`Op`) into what a
user sees, and what the user does into DOM events for the renderer. It also
owns the window's chrome (title, menu bar, geometry, visibility), because that
is toolkit-specific too. Two exist, chosen per app like toga's backends:

- ``tkhtml``: a real Tk toplevel with tkinterweb's HtmlFrame (Tkhtml3).
- ``headless``: an in-memory mirror of the DOM; no display needed. It records
  what it was asked to do so UI logic is testable anywhere.

Both must pass the shared compositor suite (``tests/compositor``).
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ...common._messages import Op

if TYPE_CHECKING:
    from .._dialog import DialogAnswer, DialogKind
    from .._menu import Menu
from ._context_target import ContextTarget

__all__ = [
    "WINDOW_EVENTS",
    "Compositor",
    "ContextTarget",
    "ElementInfo",
    "FindResult",
    "InputEvent",
    "Surface",
    "SurfaceCallbacks",
    "WindowControls",
    "WindowSettings",
]


@dataclass(frozen=True, slots=True)
class InputEvent:
    """What the user did to element ``target`` (a renderer node id).

    ``type`` is a DOM event type (click, input, change, keydown, keyup,
    mousedown, mouseup, mousemove, mouseover, dblclick, auxclick, contextmenu,
    wheel, focus, blur). ``value``/``checked`` carry the control's state after
    the input; the other fields are those of :class:`~tkelectron.common._messages.DomEvent`.
    A ``contextmenu`` carries ``context``: what the compositor shows at that
    point, from which main builds Electron's ``context-menu`` params.
    """

    type: str
    target: int
    value: str | None = None
    checked: bool | None = None
    key: str | None = None
    x: int = 0
    y: int = 0
    code: str | None = None
    modifiers: int = 0
    repeat: bool = False
    button: int = 0
    buttons: int = 0
    delta_x: float = 0.0
    delta_y: float = 0.0
    related: int = 0
    detail: int = 0
    context: ContextTarget | None = None


@dataclass(slots=True)
class SurfaceCallbacks:
    """How a surface reports back to its BrowserWindow."""

    #: The user produced a DOM event. A true answer to a key event means main
    #: consumed it (``before-input-event`` prevented it): the surface keeps it
    #: from the page and from the widget it was typed in.
    on_input: Callable[[InputEvent], bool | None]
    #: The user asked to close the window (the title bar's close button).
    on_close_request: Callable[[], None]
    #: The window got keyboard focus.
    on_focus: Callable[[], None] = lambda: None
    #: The window manager changed the window: one of :data:`WINDOW_EVENTS`.
    on_window_event: Callable[[str], None] = lambda name: None
    #: The user asked to zoom the page (Ctrl and the mouse wheel): ``"in"`` or ``"out"``.
    on_zoom_request: Callable[[str], None] = lambda direction: None
    #: Whether input of this kind would reach the page now. A surface may skip
    #: building an event that would not (a press nobody listens for, on every
    #: click's path); what it reports is filtered again, so this only saves work.
    hears: Callable[[str], bool] = lambda kind: True


#: What a surface reports through ``on_window_event`` (Electron's BrowserWindow event names).
WINDOW_EVENTS = frozenset({
    "resize", "resized", "move", "moved", "focus", "blur", "maximize", "unmaximize", "minimize", "restore",
    "enter-full-screen", "leave-full-screen", "show", "hide",
})


@dataclass(frozen=True, slots=True)
class WindowSettings:
    """What a window asks of the window manager, from its BrowserWindow options.

    Sizes are the page's (Tk's geometry): 0 in ``max_size`` means no limit.
    ``icon`` is PNG data (checked by the option parser).
    """

    min_size: tuple[int, int] = (0, 0)
    max_size: tuple[int, int] = (0, 0)
    resizable: bool = True
    movable: bool = True
    minimizable: bool = True
    maximizable: bool = True
    closable: bool = True
    always_on_top: bool = False
    fullscreen: bool = False
    frame: bool = True
    background_color: str | None = None
    icon: bytes | None = None
    skip_taskbar: bool = False


@dataclass(frozen=True, slots=True)
class ElementInfo:
    """What a test harness can ask about one displayed element."""

    node: int
    tag: str
    text: str
    value: str | None
    checked: bool | None
    attributes: dict[str, str] = field(default_factory=dict)
    visible: bool = True


@dataclass(frozen=True, slots=True)
class FindResult:
    """What a search of the displayed page found (``Surface.find_text``).

    ``active`` is the 1-based ordinal of the highlighted current match (0:
    no match); ``area`` is its box (x, y, width, height) in the window's page
    view, zeros where the compositor has no layout.
    """

    matches: int
    active: int
    area: tuple[int, int, int, int] = (0, 0, 0, 0)


class WindowControls(Protocol):
    """What a window asks of the window manager, and what it says back.

    The Tk compositor makes these X11 window-manager requests (``_tk_window``);
    the headless one records them and keeps a model of the state a window
    manager would give (``_headless_window``). Changes, whoever made them (the
    app or the user through the window manager), are reported through
    ``SurfaceCallbacks.on_window_event``.
    """

    def apply_settings(self, settings: WindowSettings) -> None:
        """Apply a new window's options (called before it is first shown)."""

    def get_content_bounds(self) -> tuple[int, int, int, int]:
        """(x, y, width, height) of the page on screen (inside the frame and menu bar)."""

    def center(self) -> None: ...

    def maximize(self) -> None: ...

    def unmaximize(self) -> None: ...

    def is_maximized(self) -> bool: ...

    def restore(self) -> None: ...

    def is_minimized(self) -> bool: ...

    def set_full_screen(self, flag: bool) -> None: ...

    def is_full_screen(self) -> bool: ...

    def set_always_on_top(self, flag: bool) -> None: ...

    def is_always_on_top(self) -> bool: ...

    def set_resizable(self, flag: bool) -> None: ...

    def set_min_size(self, width: int, height: int) -> None: ...

    def set_max_size(self, width: int, height: int) -> None:
        """0 for no limit."""

    def show_inactive(self) -> None:
        """Show without taking the keyboard focus."""

    def blur(self) -> None: ...

    def set_parent(self, parent: Surface | None, modal: bool) -> None:
        """Keep this window above ``parent`` (a surface); ``modal``: the parent refuses input meanwhile."""

    def flash_frame(self, flag: bool) -> None:
        """Ask for the user's attention (the urgency hint) or stop asking."""

    def set_skip_taskbar(self, flag: bool) -> None: ...

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once what was applied so far is drawn."""


class Surface(WindowControls, Protocol):
    """One window: its content and its chrome."""

    def apply(self, ops: list[Op]) -> None:
        """Apply one commit, in order."""

    def free_removed(self) -> None:
        """Free what the ops applied so far took out of the page now, not
        after the next redraw: a commit applied in slices calls it before
        main's loop runs between them, so that what it removed is not kept
        while the rest is built."""

    def show_crashed(self, message: str) -> None:
        """Replace the content with a notice that the page crashed."""

    def set_title(self, title: str) -> None: ...

    def get_title(self) -> str: ...

    def set_menu(self, menu: Menu | None) -> None:
        """Show ``menu`` (a tkelectron Menu) as this window's menu bar, or none."""

    def popup_menu(self, menu: Menu, x: int | None, y: int | None) -> None: ...

    def show(self) -> None: ...

    def hide(self) -> None: ...

    def focus(self) -> None: ...

    def is_visible(self) -> bool: ...

    def get_bounds(self) -> tuple[int, int, int, int]:
        """(x, y, width, height) in screen pixels."""

    def set_bounds(self, x: int | None, y: int | None, width: int, height: int) -> None: ...

    def minimize(self) -> None: ...

    def destroy(self) -> None: ...

    # -- queries, for the test harness and devtools --------------------------

    def query(self, selector: str) -> list[int]:
        """Node ids of displayed elements matching a CSS selector, in order."""

    def element(self, node: int) -> ElementInfo | None: ...

    def html(self) -> str:
        """The displayed document as HTML."""

    def screenshot(self, path: str) -> None:
        """Save a PNG of what the window shows (tkhtml only)."""

    # -- what main does to the page's display (find in page, zoom) -------------

    def set_zoom(self, factor: float) -> None:
        """Draw the page at ``factor`` times its size (1.0: as written; main checked it)."""

    def find_text(self, text: str, match_case: bool, active: int) -> FindResult:
        """Highlight every match of ``text`` (a literal, non-empty) in the displayed
        text and the ``active``-th (1-based; wrapped into range) as the current one."""

    def stop_find(self, keep_active: bool) -> None:
        """Take the highlights away (``keep_active``: leave the current match's)."""

    def activate_find(self) -> None:
        """Click the element holding the current match, as the user would (``activateSelection``)."""


class Compositor(abc.ABC):
    """Makes surfaces and the app-wide chrome (application menu, dialogs)."""

    name: str

    @abc.abstractmethod
    def create_surface(
        self,
        *,
        window_id: int,
        width: int,
        height: int,
        title: str,
        show: bool,
        callbacks: SurfaceCallbacks,
    ) -> Surface: ...

    @abc.abstractmethod
    def set_application_menu(self, menu: Menu | None) -> None:
        """Every surface without a menu of its own shows ``menu``."""

    @abc.abstractmethod
    async def run_dialog(self, kind: DialogKind, surface: Surface | None, options: dict[str, Any]) -> DialogAnswer:
        """Run a native dialog and return its raw answer.

        ``kind`` is ``open``, ``save``, ``message`` or ``error``. The dialog
        must run from the host loop, never as a nested loop inside a trio task.
        """

    def close(self) -> None:  # noqa: B027 - a compositor that holds nothing app-wide has nothing to do
        """Release app-wide resources (called once, when the app quits)."""
