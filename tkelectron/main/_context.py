"""The app context: the running app session, and how main's modules reach it.

One run of the app — :meth:`App.running() <._app.App.running>`, which
``app.run()`` uses — is an :class:`AppSession`. The session owns the state
that lives and dies with the run:

- the run itself: its nursery, compositor, plugin manager and lifecycle
  state (``idle`` → ``ready`` → ``quitting`` → ``done``), the ready and
  quit events, the exit code;
- the registries: every open window (the framework's devtools windows
  included) and which one has the focus, the application menu,
  ``ipc_main``'s handlers and listeners, the app's own event listeners, the
  plugins registered for the run;
- the renderer processes alive and the spares started ahead of need.

Its services are what every module of main needs of the running app:
:meth:`AppSession.start_soon` (a task of the app, whose exception is logged),
:meth:`AppSession.call_hook` / :meth:`AppSession.call_hook_first` (the
plugins' hooks), and :attr:`AppSession.app` (the :class:`RunningApp` that
started it: its name, paths, events and quit).

How main's modules reach it
---------------------------
- An object made while the app runs keeps the session it was made under
  (toga's ``window.app``): a :class:`~._browser_window.BrowserWindow` takes
  :func:`current_session` in its constructor and registers itself there; its
  web contents and renderer reach the app through the window.
- Process-wide objects (``app``, ``ipc_main``, ``Menu``'s class methods) and
  module-level services (ports, menus' roles, D-Bus, tray, notifications)
  ask :func:`current_session` (Textual's ``active_app``).

The slot is a module global, not a contextvar: Tk calls main back (a menu
click, a window-manager event) outside any trio task, and an app registers
its ``ipc_main`` handlers and its application menu before the run starts;
all of them must meet the same session. What is registered before a run
belongs to the session that run starts with; when the run ends, a new, empty
session takes the slot, so the next run starts clean.

This module imports nothing from ``tkelectron.main``: it is the bottom of
main's import graph, so reaching the app never needs an import of ``_app``
inside a function, and main's modules import one another without a cycle
(``tests/main/test_app_context.py`` walks the graph).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

import pluggy
import trio

__all__ = [
    "DEFAULT_APP_NAME", "DEFAULT_APP_VERSION", "AppSession", "RunningApp", "current_app", "current_session",
    "new_session",
]

log = logging.getLogger("tkelectron")

#: The app's name and version until it sets its own (``app.name``): what a
#: menu role names before the app module was even loaded, too.
DEFAULT_APP_NAME = "tkelectron app"
DEFAULT_APP_VERSION = "0.0.0"

#: An emitter's listener table (``common._emitter.EventEmitter._listeners``):
#: per event, (listener, once, is a coroutine function) in registration order.
ListenerTable = dict[str, list[tuple[Callable[..., Any], bool, bool]]]


class RunningApp(Protocol):
    """What main's modules ask of the app (``tkelectron.app`` is the one)."""

    name: str
    version: str
    development: bool
    desktop_name: str | None

    def get_name(self) -> str: ...

    def get_version(self) -> str: ...

    def get_app_path(self) -> str: ...

    def emit(self, event: str, *args: Any) -> bool: ...

    def quit(self) -> None: ...

    def clear_recent_documents(self) -> None: ...

    def _resolve(self, path: str | Path) -> str: ...

    def _spawn(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None: ...

    def _call_hook(self, hook: str, **kwargs: Any) -> list[Any]: ...

    def _call_hook_first(self, hook: str, **kwargs: Any) -> Any: ...

    @property
    def compositor(self) -> Any: ...

    @property
    def _renderers(self) -> set[Any]: ...

    def _readable_paths(self, roots: list[str]) -> list[str]: ...

    def _take_spare(self) -> Any | None: ...

    def _close_prevented(self) -> None: ...

    def _window_closed(self, window: Any) -> None: ...


class AppSession:
    """The state one run of the app owns, and the services of that run."""

    def __init__(self, app: RunningApp | None = None) -> None:
        #: The app this session is a run of (None until an app exists).
        self.app = app
        #: idle -> ready -> quitting -> done
        self.state = "idle"
        self.nursery: trio.Nursery | None = None
        #: The run's ``compositor.base.Compositor`` (Any here: this module imports
        #: nothing of main; ``App.compositor`` gives it typed).
        self.compositor: Any = None
        self.plugin_manager: pluggy.PluginManager | None = None
        #: Plugins registered for this run (an app module is one): (plugin, name).
        self.plugins: list[tuple[Any, str | None]] = []
        # trio objects need a running loop: made when the run starts.
        self.ready: trio.Event | None = None
        self.quit_done: trio.Event | None = None
        self.exit_code = 0
        #: How many renderers to keep started ahead of need (0: none).
        self.spare_renderers = 1
        #: Renderers started ahead of need, not yet handed to a window.
        self.spares: list[Any] = []
        #: Every renderer process alive, so quitting can wait for them all.
        self.renderers: set[Any] = set()
        #: Every open BrowserWindow by id, devtools windows included.
        self.windows: dict[int, Any] = {}
        #: The id of the window that has the focus, if one has it.
        self.focused_id: int | None = None
        #: True while a framework plugin (devtools) creates one of its own
        #: windows (``BrowserWindow._framework_windows()``).
        self.creating_framework_window = False
        #: What ``Menu.set_application_menu`` set (a Menu, or None).
        self.application_menu: Any = None
        #: ``ipc_main``'s invoke handlers and its listener table.
        self.ipc_handlers: dict[str, Callable[..., Any]] = {}
        self.ipc_listeners: ListenerTable = {}
        #: The listener table of ``app`` itself (``app.on("ready", ...)``).
        self.app_listeners: ListenerTable = {}

    def __repr__(self) -> str:
        return f"<AppSession {self.state} windows={sorted(self.windows)}>"

    # -- state -----------------------------------------------------------------------

    def is_ready(self) -> bool:
        return self.state in ("ready", "quitting")

    def app_windows(self) -> list[Any]:
        """The app's open windows: not the framework's own (devtools)."""
        return [window for window in self.windows.values() if not window._framework]

    def focused_window(self) -> Any | None:
        """The app's window that has the focus (None while a devtools window has it)."""
        window = self.windows.get(self.focused_id) if self.focused_id is not None else None
        return window if window is not None and not window._framework else None

    def require_app(self) -> RunningApp:
        """The app of this session; RuntimeError when no app exists yet."""
        if self.app is None:
            raise RuntimeError("the app is not running: call app.run() or use tkelectron.testing")
        return self.app

    # -- tasks -----------------------------------------------------------------------

    def start_soon(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run ``await fn(*args)`` as a task of this run; its exception is logged."""
        if self.nursery is None:
            raise RuntimeError("the app is not running")
        self.nursery.start_soon(self._guarded, fn, *args)

    async def _guarded(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        # A failing listener or handler is logged; it never takes the app down.
        try:
            await fn(*args)
        except Exception:
            log.exception("a task of the app raised")

    # -- plugins' hooks ----------------------------------------------------------------

    def call_hook(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook; async implementations are started as tasks."""
        if self.plugin_manager is None:
            return []
        results = getattr(self.plugin_manager.hook, hook)(**kwargs)
        plain = []
        for result in results:
            if inspect.isawaitable(result):
                self.start_soon(_await_hook, hook, result)
            else:
                plain.append(result)
        return plain

    def implements(self, hook: str) -> bool:
        """Whether any plugin implements ``hook`` now (a caller about to run a
        per-message hook for a batch of messages asks once for the batch)."""
        if self.plugin_manager is None:
            return False
        return bool(getattr(self.plugin_manager.hook, hook).get_hookimpls())

    def call_hook_first(self, hook: str, **kwargs: Any) -> Any:
        """Call a ``firstresult`` hook: its one answer, or None.

        A hook no plugin implements is not called: pluggy's call costs more
        than the rest of a per-message check (``tkelectron_validate_ipc`` runs
        for every message a renderer sends). Asked each time, since plugins may
        register while the app runs.
        """
        if self.plugin_manager is None:
            return None
        caller = getattr(self.plugin_manager.hook, hook)
        if not caller.get_hookimpls():
            return None
        return caller(**kwargs)


async def _await_hook(hook: str, awaitable: Awaitable[Any]) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("the async %s hook raised", hook)


_current: AppSession | None = None


def current_session() -> AppSession:
    """The session that owns the app's state now.

    While the app runs, the running session; otherwise the one the next run
    starts with (what is registered before a run is that run's).
    """
    global _current
    if _current is None:
        _current = AppSession()
    return _current


def current_app() -> RunningApp:
    """The app (RuntimeError if the app module was never loaded)."""
    return current_session().require_app()


def new_session(app: RunningApp) -> AppSession:
    """Install a fresh, empty session of ``app`` (a run ended) and return it."""
    global _current
    _current = AppSession(app)
    return _current
