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
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ...common._messages import Op

__all__ = ["Compositor", "Surface", "InputEvent", "SurfaceCallbacks", "ElementInfo"]


@dataclass(frozen=True, slots=True)
class InputEvent:
    """What the user did to element ``target`` (a renderer node id).

    ``type`` is a DOM event type: click, input, change, keydown, keyup, submit.
    ``value``/``checked`` carry the control's state after the input.
    """

    type: str
    target: int
    value: str | None = None
    checked: bool | None = None
    key: str | None = None
    x: int = 0
    y: int = 0


@dataclass(slots=True)
class SurfaceCallbacks:
    """How a surface reports back to its BrowserWindow."""

    #: The user produced a DOM event.
    on_input: Callable[[InputEvent], None]
    #: The user asked to close the window (the title bar's close button).
    on_close_request: Callable[[], None]
    #: The window got keyboard focus.
    on_focus: Callable[[], None] = lambda: None


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


class Surface(Protocol):
    """One window: its content and its chrome."""

    def apply(self, ops: list[Op]) -> None:
        """Apply one commit, in order."""

    def show_crashed(self, message: str) -> None:
        """Replace the content with a notice that the page crashed."""

    def set_title(self, title: str) -> None: ...

    def get_title(self) -> str: ...

    def set_menu(self, menu: Any | None) -> None:
        """Show ``menu`` (a tkelectron Menu) as this window's menu bar, or none."""

    def popup_menu(self, menu: Any, x: int | None, y: int | None) -> None: ...

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
    def set_application_menu(self, menu: Any | None) -> None:
        """Every surface without a menu of its own shows ``menu``."""

    @abc.abstractmethod
    async def run_dialog(self, kind: str, surface: Surface | None, options: dict[str, Any]) -> Any:
        """Run a native dialog and return its raw answer.

        ``kind`` is ``open``, ``save``, ``message`` or ``error``. The dialog
        must run from the host loop, never as a nested loop inside a trio task.
        """

    def close(self) -> None:
        """Release app-wide resources (called once, when the app quits)."""
