"""BrowserWindow: a native window whose content a renderer process draws."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ..common._emitter import EventEmitter, PreventableEvent
from ._listeners import main_listeners
from ._web_contents import LoadRequest, WebContents
from ._web_preferences import WebPreferences
from .compositor.base import InputEvent, Surface, SurfaceCallbacks

__all__ = ["BrowserWindow", "SandboxUnavailableError"]


class SandboxUnavailableError(RuntimeError):
    """A window asked for ``sandbox="required"`` and a layer is missing here."""

_ids = itertools.count(1)


class BrowserWindow(EventEmitter):
    """A top-level window, as Electron's ``new BrowserWindow(options)``.

    Events: ``close`` (preventable with ``event.prevent_default()``),
    ``closed``, ``focus``, ``page-title-updated`` (preventable: the window
    keeps its title), ``show``, ``hide``.
    """

    _listener_runner = main_listeners
    _windows: ClassVar[dict[int, BrowserWindow]] = {}
    _focused: ClassVar[int | None] = None

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
        from ._app import app

        super().__init__()
        if not app.is_ready():
            raise RuntimeError("Cannot create BrowserWindow before the app is ready (await app.when_ready())")
        if "webPreferences" in options:
            web_preferences = options.pop("webPreferences")
        if options:
            raise TypeError(f"unknown BrowserWindow option(s): {', '.join(sorted(options))}")
        prefs = WebPreferences.from_dict(web_preferences, app._resolve)
        if prefs.sandbox == "required":
            from ..common._sandbox_policy import missing_layers

            missing = missing_layers()
            if missing:
                raise SandboxUnavailableError(
                    f"this window requires the renderer sandbox, but these layers are unavailable here: "
                    f"{', '.join(missing)} (run `tkelectron doctor`)"
                )
        self.id = next(_ids)
        self._title = title
        self._destroyed = False
        self._menu: Any = None
        self._close_requests = 0  # how often the user pressed the close button
        self.web_contents = WebContents(self, prefs)
        self._surface: Surface = app.compositor.create_surface(
            window_id=self.id,
            width=width,
            height=height,
            title=title,
            show=show,
            callbacks=SurfaceCallbacks(
                on_input=self._on_input,
                on_close_request=self._on_close_request,
                on_focus=self._on_focus,
            ),
        )
        if x is not None or y is not None:
            self._surface.set_bounds(x, y, width, height)
        BrowserWindow._windows[self.id] = self
        if show:
            BrowserWindow._focused = self.id
        app.emit("browser-window-created", PreventableEvent(), self)
        app._call_hook("tkelectron_window_created", window=self)

    # -- page ---------------------------------------------------------------

    def load_file(self, path: str | Path) -> LoadRequest:
        """Load a page (relative paths are inside the app folder); awaitable."""
        return self.web_contents.load_file(path)

    loadFile = load_file

    def reload(self) -> LoadRequest | None:
        return self.web_contents.reload()

    def _on_input(self, event: InputEvent) -> None:
        self.web_contents._input(event)

    def _on_close_request(self) -> None:
        self._close_requests += 1
        self.close()

    def _on_focus(self) -> None:
        if not self._destroyed and BrowserWindow._focused != self.id:
            BrowserWindow._focused = self.id
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

    def set_menu(self, menu: Any) -> None:
        """This window's own menu bar (None: the application menu applies)."""
        self._menu = menu
        self._surface.set_menu(menu)

    def remove_menu(self) -> None:
        self.set_menu(None)

    def focus(self) -> None:
        self._surface.focus()
        self._on_focus()

    def show(self) -> None:
        self._surface.show()
        self._on_focus()
        self.emit("show", PreventableEvent())

    def hide(self) -> None:
        self._surface.hide()
        if BrowserWindow._focused == self.id:
            BrowserWindow._focused = None
        self.emit("hide", PreventableEvent())

    def is_visible(self) -> bool:
        return not self._destroyed and self._surface.is_visible()

    def is_focused(self) -> bool:
        return BrowserWindow._focused == self.id

    def minimize(self) -> None:
        self._surface.minimize()

    def get_bounds(self) -> dict[str, int]:
        x, y, w, h = self._surface.get_bounds()
        return {"x": x, "y": y, "width": w, "height": h}

    def set_bounds(self, bounds: Mapping[str, int]) -> None:
        cur = self.get_bounds()
        merged = {**cur, **bounds}
        self._surface.set_bounds(merged["x"], merged["y"], merged["width"], merged["height"])

    def get_size(self) -> tuple[int, int]:
        b = self.get_bounds()
        return b["width"], b["height"]

    def set_size(self, width: int, height: int) -> None:
        self.set_bounds({"width": width, "height": height})

    # -- closing ----------------------------------------------------------------

    def close(self) -> None:
        """Ask to close: emits ``close`` (preventable), then destroys the window."""
        if self._destroyed:
            return
        event = PreventableEvent()
        self.emit("close", event)
        if event.default_prevented:
            from ._app import app

            app._close_prevented()
            return
        self.destroy()

    def destroy(self) -> None:
        """Close at once: no ``close`` event; the renderer is stopped."""
        from ._app import app

        if self._destroyed:
            return
        self._destroyed = True
        self.web_contents._shutdown()
        self._surface.destroy()
        BrowserWindow._windows.pop(self.id, None)
        if BrowserWindow._focused == self.id:
            BrowserWindow._focused = None
        self.emit("closed")
        app._call_hook("tkelectron_window_closed", window=self)
        app._window_closed(self)

    def is_destroyed(self) -> bool:
        return self._destroyed

    # -- lookup -------------------------------------------------------------------

    @classmethod
    def get_all_windows(cls) -> list["BrowserWindow"]:
        return list(cls._windows.values())

    @classmethod
    def get_focused_window(cls) -> "BrowserWindow | None":
        return cls._windows.get(cls._focused) if cls._focused is not None else None

    @classmethod
    def from_id(cls, window_id: int) -> "BrowserWindow | None":
        return cls._windows.get(window_id)

    @classmethod
    def from_web_contents(cls, web_contents: WebContents) -> "BrowserWindow | None":
        window = web_contents._window
        return window if not window._destroyed else None

    def __repr__(self) -> str:
        return f"<BrowserWindow id={self.id} title={self._title!r}>"
