"""BrowserWindow: a native window whose content a renderer process draws.

A window belongs to the app session it was created under (``_context``): it
keeps that session as ``_session``, is registered in its ``windows`` (and its
``focused_id`` when it has the focus), and reaches the app's services — the
compositor, hooks, tasks, the app's events — through it. The class methods
(``get_all_windows``, ``get_focused_window``, ``from_id``) read the current
session, so a new run starts with no window.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common._emitter import EventEmitter, PreventableEvent
from ._context import AppSession, current_session
from ._listeners import main_listeners
from ._web_contents import LoadRequest, WebContents
from ._web_preferences import WebPreferences
from ._window_methods import WindowMethods
from ._window_options import parse_window_options
from ._zoom import zoom_requested
from .compositor.base import Compositor, InputEvent, Surface, SurfaceCallbacks

if TYPE_CHECKING:
    from ._menu import Menu

__all__ = ["BrowserWindow", "SandboxUnavailableError"]


class SandboxUnavailableError(RuntimeError):
    """A window asked for ``sandbox="required"`` and a layer is missing here."""

_ids = itertools.count(1)


class BrowserWindow(WindowMethods, EventEmitter):
    """A top-level window, as Electron's ``new BrowserWindow(options)``.

    Options are Electron's in snake_case (:mod:`._window_options` checks
    them). Events: ``close`` (preventable with ``event.prevent_default()``),
    ``closed``, ``page-title-updated`` (preventable: the window keeps its
    title), ``ready-to-show`` (the first page is drawn), and what the window
    manager reports (``compositor.base.WINDOW_EVENTS``): ``focus``, ``blur``,
    ``show``, ``hide``, ``resize``, ``resized``, ``move``, ``moved``,
    ``maximize``, ``unmaximize``, ``minimize``, ``restore``,
    ``enter-full-screen``, ``leave-full-screen``.
    """

    _listener_runner = main_listeners

    def __init__(
        self,
        width: int = 800,
        height: int = 600,
        *,
        x: int | None = None,
        y: int | None = None,
        title: str = "tkelectron",
        show: bool = True,
        web_preferences: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        session = current_session()
        compositor = session.compositor
        if not session.is_ready() or not isinstance(compositor, Compositor):
            raise RuntimeError("Cannot create BrowserWindow before the app is ready (await app.when_ready())")
        app = session.require_app()
        #: The run this window belongs to (its registry, compositor, hooks and tasks).
        self._session: AppSession = session
        given = dict(options, width=width, height=height, x=x, y=y, title=title, show=show)
        if web_preferences is not None:
            given["web_preferences"] = web_preferences
        opts = parse_window_options(given, app._resolve, BrowserWindow)
        prefs = WebPreferences.from_dict(opts.web_preferences, app._resolve)
        if prefs.sandbox == "required":
            from ..common._sandbox_policy import missing_layers

            missing = missing_layers()
            if missing:
                raise SandboxUnavailableError(
                    f"this window requires the renderer sandbox, but these layers are unavailable here: "
                    f"{', '.join(missing)} (run `tkelectron doctor`)"
                )
        self.id = next(_ids)
        #: A window of the framework (devtools), not of the app: absent from
        #: get_all_windows()/get_focused_window(), no browser-window-created,
        #: and it does not count for window-all-closed.
        self._framework = session.creating_framework_window
        self._title = title
        self._destroyed = False
        self._menu: Menu | None = None
        self._close_requests = 0  # how often the user pressed the close button
        self._closable = opts.settings.closable
        self._parent: BrowserWindow | None = opts.parent
        self._children: list[BrowserWindow] = []
        self.web_contents = WebContents(self, prefs)
        self._surface: Surface = compositor.create_surface(
            window_id=self.id,
            width=opts.width,
            height=opts.height,
            title=opts.title,
            show=opts.show,
            callbacks=SurfaceCallbacks(
                on_input=self._on_input,
                on_close_request=self._on_close_request,
                on_focus=self._on_focus,
                on_window_event=self._on_window_event,
                on_zoom_request=lambda direction: zoom_requested(self.web_contents, direction),
                hears=self.web_contents._page_input.hears,
            ),
        )
        self._surface.apply_settings(opts.settings)
        if opts.x is not None or opts.y is not None:
            self._surface.set_bounds(opts.x, opts.y, *self._surface.get_bounds()[2:])
        elif opts.center:
            self._surface.center()
        if opts.parent is not None:
            opts.parent._children.append(self)
            self._surface.set_parent(opts.parent._surface, opts.modal)
        self.web_contents.once("did-finish-load", lambda *_: self._surface.when_painted(self._ready_to_show))
        session.windows[self.id] = self
        if opts.show:
            session.focused_id = self.id
        if not self._framework:
            app.emit("browser-window-created", PreventableEvent(), self)
        session.call_hook("tkelectron_window_created", window=self)

    # -- page ---------------------------------------------------------------

    def load_file(self, path: str | Path) -> LoadRequest:
        """Load a page (relative paths are inside the app folder); awaitable."""
        return self.web_contents.load_file(path)

    loadFile = load_file

    def load_url(self, url: str, options: dict[str, Any] | None = None) -> LoadRequest:
        """Load a ``file:`` or ``data:`` URL (``web_contents.load_url``); awaitable."""
        return self.web_contents.load_url(url, options)

    loadURL = load_url

    def reload(self) -> LoadRequest | None:
        return self.web_contents.reload()

    def _on_input(self, event: InputEvent) -> bool:
        return self.web_contents._input(event)

    def _on_close_request(self) -> None:
        self._close_requests += 1
        if self._closable:  # closable=False: the window manager's close button does nothing
            self.close()

    def _on_window_event(self, name: str) -> None:
        """What the window manager did to the window (or the app asked of it)."""
        if self._destroyed:
            return
        if name == "focus":
            self._on_focus()
            return
        # The surface reports real transitions only: a blur is emitted even
        # when another window's focus event already took the focused slot.
        if name in ("blur", "hide") and self._session.focused_id == self.id:
            self._session.focused_id = None
        self.emit(name, PreventableEvent())

    def _ready_to_show(self) -> None:
        if not self._destroyed:
            self.emit("ready-to-show", PreventableEvent())

    def _on_focus(self) -> None:
        if not self._destroyed and self._session.focused_id != self.id:
            self._session.focused_id = self.id
            self.emit("focus", PreventableEvent())

    def _page_title_updated(self, title: str) -> None:
        self.web_contents.title = title
        event = PreventableEvent()
        self.emit("page-title-updated", event, title)
        if not event.default_prevented and not self._destroyed:
            self.set_title(title)

    # -- chrome ---------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self._title = str(title)
        self._surface.set_title(self._title)

    def get_title(self) -> str:
        return self._title

    def set_progress_bar(self, progress: float, mode: str = "normal") -> None:
        """Electron's ``win.setProgressBar``: shown on the app's launcher icon (one per app on Linux)."""
        from ._launcher_entry import launcher_entry

        launcher_entry.set_progress_bar(progress, mode)

    def set_menu(self, menu: Menu | None) -> None:
        """This window's own menu bar (None: the application menu applies)."""
        self._menu = menu
        self._surface.set_menu(menu)

    def remove_menu(self) -> None:
        self.set_menu(None)


    # -- closing ----------------------------------------------------------------

    def close(self) -> None:
        """Ask to close: emits ``close`` (preventable), then destroys the window."""
        if self._destroyed:
            return
        event = PreventableEvent()
        self.emit("close", event)
        if event.default_prevented:
            self._session.require_app()._close_prevented()
            return
        self.destroy()

    def destroy(self) -> None:
        """Close at once: no ``close`` event; the renderer is stopped."""
        if self._destroyed:
            return
        for child in list(self._children):  # Electron closes a parent's children with it
            child.destroy()
        if self._parent is not None and self in self._parent._children:
            self._parent._children.remove(self)
        self._destroyed = True
        self.web_contents._shutdown()
        self._surface.destroy()
        session = self._session
        session.windows.pop(self.id, None)
        if session.focused_id == self.id:
            session.focused_id = None
        self.emit("closed")
        session.call_hook("tkelectron_window_closed", window=self)
        session.require_app()._window_closed(self)

    def is_destroyed(self) -> bool:
        return self._destroyed

    # -- lookup -------------------------------------------------------------------

    @classmethod
    def get_all_windows(cls) -> list[BrowserWindow]:
        """The app's open windows (not the framework's own, such as devtools)."""
        return current_session().app_windows()

    @classmethod
    def get_focused_window(cls) -> BrowserWindow | None:
        """The app's window that has the focus (None while a devtools window has it)."""
        window: BrowserWindow | None = current_session().focused_window()
        return window

    @classmethod
    def _every_window(cls) -> list[BrowserWindow]:
        """Every open window, the framework's own included (to close them all)."""
        return list(current_session().windows.values())

    @classmethod
    @contextlib.contextmanager
    def _framework_windows(cls) -> Iterator[None]:
        """Windows created inside this block are the framework's, not the app's."""
        session = current_session()
        session.creating_framework_window = True
        try:
            yield
        finally:
            session.creating_framework_window = False

    @classmethod
    def from_id(cls, window_id: int) -> BrowserWindow | None:
        window: BrowserWindow | None = current_session().windows.get(window_id)
        return window

    @classmethod
    def from_web_contents(cls, web_contents: WebContents) -> BrowserWindow | None:
        window = web_contents._window
        return window if not window._destroyed else None

    def __repr__(self) -> str:
        return f"<BrowserWindow id={self.id} title={self._title!r}>"
