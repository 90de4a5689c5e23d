"""``app``: the main process's lifecycle, as Electron's ``app`` module.

``app.run(main=None)`` makes Tk's mainloop the host, runs trio on it as a
guest, emits ``ready``, runs the optional ``main()`` coroutine and the plugins'
``tkelectron_ready`` hooks, and returns the exit code once the app quits.
``app.running(...)`` is the same lifecycle as an async context manager inside
an existing trio run (the test harness uses it).

The app object lives as long as the process; what one run owns — its
nursery, compositor, plugins, windows, application menu, ``ipc_main``'s
handlers, the app's own listeners, its renderers — is the run's
:class:`~._context.AppSession`. ``app.nursery``, ``app.compositor`` and the
like read the current session; when a run ends, a new empty session starts,
so nothing of one run reaches the next.

Quitting follows Electron: ``before-quit`` (preventable) → every window is
asked to close (a window that prevents it cancels the quit) → ``will-quit``
(preventable) → ``quit``. By default the app quits when its last window
closes, unless something listens to ``window-all-closed``. After quitting no
renderer process, no task and no window is left.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy
import trio

from ..common._emitter import EventEmitter, PreventableEvent
from ._context import (
    DEFAULT_APP_NAME,
    DEFAULT_APP_VERSION,
    AppSession,
    ListenerTable,
    current_session,
    new_session,
)
from ._heap import freeze_startup_heap
from ._listeners import main_listeners
from ._signals import exit_code_for, quit_on_signals
from ._spare_renderers import refill as refill_spares
from ._zygote import stop as stop_zygote
from .compositor.base import Compositor

if TYPE_CHECKING:
    from ._app_paths import AppPaths

__all__ = ["App", "app"]

log = logging.getLogger("tkelectron")

COMPOSITORS = ("tkhtml", "headless")


class App(EventEmitter):
    """The application (a process-wide singleton: ``tkelectron.app``)."""

    _listener_runner = main_listeners

    def __init__(self) -> None:
        super().__init__()
        self.name = DEFAULT_APP_NAME
        self.version = DEFAULT_APP_VERSION
        #: The app's desktop entry id (``myapp.desktop``): the launcher icon and notifications name it.
        self.desktop_name: str | None = None
        self.development = os.environ.get("TKELECTRON_ENV", "development") != "production"
        self._app_path: str | None = None
        #: Runs started in this process: the pytest plugin checks for leftovers
        #: only after a test that ran the app (or is marked tkelectron).
        self._runs = 0
        self._readable_cache: dict[tuple[str, ...], list[str]] = {}
        session = current_session()
        if session.app is None:  # what was registered before the app existed is its first run's
            session.app = self
        # Every main-process emitter's async listeners run as tasks of the app.
        main_listeners.bind(self._spawn)

    # -- what the current run owns (see _context) -------------------------------------

    @property
    def _session(self) -> AppSession:
        return current_session()

    @property
    def _listeners(self) -> ListenerTable:  # the run's table, not the object's
        return current_session().app_listeners

    @_listeners.setter
    def _listeners(self, table: ListenerTable) -> None:
        # EventEmitter.__init__ gives an emitter its table; the app's is its session's.
        current_session().app_listeners = table

    @property
    def nursery(self) -> trio.Nursery | None:
        """The running app's nursery (None while it does not run)."""
        return current_session().nursery

    @property
    def compositor(self) -> Compositor | None:
        """The running app's compositor (None while it does not run)."""
        compositor = current_session().compositor  # the session holds it untyped (see _context)
        return compositor if isinstance(compositor, Compositor) else None

    @property
    def plugin_manager(self) -> pluggy.PluginManager | None:
        return current_session().plugin_manager

    @property
    def spare_renderers(self) -> int:
        """How many renderers to keep started ahead of need (Chromium keeps a
        spare renderer too): a new window or a reload then skips starting an
        interpreter and importing the framework. 0 turns it off; 1 again
        for the next run."""
        return current_session().spare_renderers

    @spare_renderers.setter
    def spare_renderers(self, count: int) -> None:
        current_session().spare_renderers = count

    @property
    def _state(self) -> str:
        return current_session().state

    @property
    def _exit_code(self) -> int:
        return current_session().exit_code

    @property
    def _renderers(self) -> set[Any]:
        return current_session().renderers

    @property
    def _spares(self) -> list[Any]:
        return current_session().spares

    # -- state --------------------------------------------------------------------

    def is_ready(self) -> bool:
        return current_session().is_ready()

    async def when_ready(self) -> None:
        """Wait until the app is ready (returns at once if it is)."""
        ready = current_session().ready
        if ready is None:
            raise RuntimeError("the app is not running: call app.run() or use tkelectron.testing")
        await ready.wait()

    def get_name(self) -> str:
        return self.name

    def set_name(self, name: str) -> None:
        self.name = name

    def get_version(self) -> str:
        return self.version

    def set_badge_count(self, count: int) -> bool:
        """Electron's ``app.setBadgeCount``: the count on the launcher icon (0 hides it)."""
        from ._launcher_entry import launcher_entry

        return launcher_entry.set_badge_count(count)

    def get_badge_count(self) -> int:
        from ._launcher_entry import launcher_entry

        return launcher_entry.count

    def get_app_path(self) -> str:
        """The app's folder (where main.py is); relative page paths start here."""
        if self._app_path is not None:
            return self._app_path
        main = sys.modules.get("__main__")
        main_file = getattr(main, "__file__", None)
        return str(Path(main_file).resolve().parent) if main_file else os.getcwd()

    def set_app_path(self, path: str | Path) -> None:
        self._app_path = str(Path(path).resolve())

    # -- paths and the recently-used list (the logic is in _app_paths) ---------------

    @property
    def _paths(self) -> AppPaths:
        from ._app_paths import AppPaths

        paths = self.__dict__.get("_app_paths")
        if paths is None:
            paths = self.__dict__["_app_paths"] = AppPaths(lambda: self.name)
        return paths

    def get_path(self, name: str) -> str:
        """A named folder (Electron's names: ``userData``, ``documents``, ...)."""
        return self._paths.get(name)

    def set_path(self, name: str, path: str | Path) -> None:
        """Override the folder called ``name`` (absolute; created if missing)."""
        self._paths.set(name, path)

    def _recent_documents(self) -> Any:
        from ._app_paths import RecentDocuments, default_exec_line

        return RecentDocuments(self.name, default_exec_line())

    def add_recent_document(self, path: str | Path) -> None:
        """Add ``path`` to the desktop's recently-used list, as this app's."""
        self._recent_documents().add(path)

    def clear_recent_documents(self) -> None:
        """Remove this app's documents from the recently-used list."""
        self._recent_documents().clear()

    # -- single instance (the logic is in _single_instance) -------------------------

    def request_single_instance_lock(self, additional_data: Any = None) -> bool:
        """True in the first instance; in a later one, False once the first got
        ``second-instance`` (argv, cwd, ``additional_data``): then quit."""
        from ._single_instance import request_lock

        return request_lock(self, additional_data)

    def has_single_instance_lock(self) -> bool:
        lock = self.__dict__.get("_single_instance_lock")
        return lock is not None and lock.held

    def release_single_instance_lock(self) -> None:
        from ._single_instance import release_lock

        release_lock(self)

    def _resolve(self, path: str | Path) -> str:
        p = Path(path)
        if not p.is_absolute():
            p = Path(self.get_app_path()) / p
        return str(p.resolve())

    def _readable_paths(self, roots: list[str]) -> list[str]:
        key = tuple(roots)
        paths = self._readable_cache.get(key)
        if paths is None:
            from ..common._sandbox_policy import readable_paths

            paths = readable_paths(roots[0], roots[1:])
            self._readable_cache[key] = paths
        return paths

    # -- renderers -----------------------------------------------------------------

    def _take_spare(self) -> Any | None:
        """A renderer started ahead of need, if one is alive; another is started."""
        spares = current_session().spares
        spare = None
        while spares and spare is None:
            candidate = spares.pop(0)
            if candidate.returncode is None:
                spare = candidate
            else:
                candidate.close()
        self._refill_spares()
        return spare

    def _discard_spares(self) -> None:
        """Kill and reap the spares (never handed out: nothing else holds them)."""
        spares = current_session().spares
        for spare in spares:
            spare.discard()
        spares.clear()

    def _refill_spares(self) -> None:
        refill_spares(current_session())  # from the zygote when it is on (_spare_renderers)

    # -- plugins ------------------------------------------------------------------

    def register_plugin(self, plugin: Any, name: str | None = None) -> None:
        """Register a plugin (an app module is one) for the next run (or this one)."""
        session = current_session()
        session.plugins.append((plugin, name))
        manager = session.plugin_manager
        if manager is not None and not manager.is_registered(plugin):
            manager.register(plugin, name=name)

    def _call_hook(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook; async implementations are started as tasks."""
        return current_session().call_hook(hook, **kwargs)

    def _call_hook_first(self, hook: str, **kwargs: Any) -> Any:
        return current_session().call_hook_first(hook, **kwargs)

    # -- tasks ----------------------------------------------------------------------

    def start_soon(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run ``await fn(*args)`` as a task of the app (fire and forget).

        What an Electron app does by calling an async function without awaiting
        it: e.g. a ``close`` listener prevents the close, then starts a task
        that asks the page. An exception in the task is logged, never fatal.
        """
        current_session().start_soon(fn, *args)

    _spawn = start_soon  # the listener runner's spawn (bound at import)

    def _report_listener_error(self, exc: BaseException) -> None:
        log.error("an app event listener raised", exc_info=exc)

    # -- running --------------------------------------------------------------------

    def run(self, main: Callable[[], Awaitable[Any]] | None = None, *, compositor: str | None = None) -> int:
        """Start Tk + trio, run ``main()`` if given, return the exit code on quit.

        What ends the app with an exception (a hook, ``main()``, Tk not
        opening) is raised from here; a plain script that lets it out ends
        with one line naming the user's file and line (``_script_errors``).
        """
        name = compositor or os.environ.get("TKELECTRON_COMPOSITOR", "tkhtml")
        from ._script_errors import log_in_user_terms, note_failure

        log_in_user_terms()  # a plain script's log shows the user's frames, as `tkelectron run`'s does
        # Start the spare renderer first: its interpreter and imports then
        # overlap Tk's start and the app's own start-up, and the first window
        # takes it.
        self._refill_spares()
        try:
            if name == "headless":
                return trio.run(self._serve, main, name)
            import tkinter

            from ._host import TkHost

            try:
                host = TkHost()
            except tkinter.TclError as exc:
                raise RuntimeError(
                    f"cannot open Tk: {exc} (run it on a display, or headless: --compositor headless)"
                ) from None
            return host.run(self._serve, main, name, host.root)
        except Exception as exc:
            note_failure(exc)  # one line, not an exception group, if a plain script lets it out
            raise
        finally:
            self._discard_spares()  # normally done by the teardown; not if Tk never started
            stop_zygote()

    async def _serve(self, main: Callable[[], Awaitable[Any]] | None, compositor: str, root: Any = None) -> int:
        freeze_startup_heap()
        # SIGINT/SIGTERM quit normally (the teardown included); a second one forces.
        with quit_on_signals(self):
            async with self.running(compositor=compositor, root=root):
                if main is not None:
                    # The app's entry point, not a listener: what it raises
                    # ends the app (as asyncio.run's main does) and reaches
                    # the caller of run(), instead of a log line and an app
                    # left running with nothing to do.
                    session = current_session()
                    assert session.nursery is not None
                    session.nursery.start_soon(main)
                quit_done = current_session().quit_done
                assert quit_done is not None
                await quit_done.wait()
                exit_code = current_session().exit_code
        return exit_code

    @contextlib.asynccontextmanager
    async def running(
        self,
        *,
        compositor: str = "headless",
        root: Any = None,
        entry_points: bool = True,
        spare_renderers: int | None = None,
    ) -> AsyncIterator[App]:
        """Run the app's lifecycle inside the current trio run.

        ``compositor`` is ``tkhtml`` (needs ``root``, a Tk root whose mainloop
        hosts this trio run) or ``headless``. ``spare_renderers`` overrides
        :attr:`spare_renderers` for this run. On exit every window is
        destroyed and every renderer (spares included) has exited, and a new,
        empty session waits for the next run.
        """
        from ._plugins import get_plugin_manager, merge_menu_templates

        session = current_session()
        if session.state != "idle":
            raise RuntimeError("the app is already running")
        if spare_renderers is not None:
            session.spare_renderers = spare_renderers
        session.app = self
        self._runs += 1
        session.ready = trio.Event()
        session.quit_done = trio.Event()
        session.compositor = made = _make_compositor(compositor, root)
        session.plugin_manager = manager = get_plugin_manager(entry_points=entry_points)
        for plugin, name in session.plugins:
            if not manager.is_registered(plugin):
                manager.register(plugin, name=name)
        try:
            async with trio.open_nursery() as nursery:
                session.nursery = nursery
                session.call_hook("tkelectron_configure", app=self)
                self._refill_spares()
                session.state = "ready"
                self._install_plugin_menus(made, merge_menu_templates)
                session.ready.set()
                self.emit("ready", PreventableEvent())
                session.call_hook("tkelectron_ready", app=self)
                try:
                    yield self
                finally:
                    with trio.CancelScope(shield=True):
                        await self._teardown()
                    nursery.cancel_scope.cancel()
        finally:
            # Everything the run owned is gone with its session (the
            # teardown reaped its renderers): the next run starts empty.
            session.state = "done"
            session.nursery = None
            new_session(self)

    def _install_plugin_menus(
        self, compositor: Compositor, merge: Callable[[list[Any]], list[dict[str, Any]]]
    ) -> None:
        """Show the app's own application menu, or else the plugins' merged one."""
        from ._menu import Menu

        session = current_session()
        assert session.plugin_manager is not None
        existing = session.application_menu
        if existing is not None:  # set by the app before it ran
            compositor.set_application_menu(existing)
            return
        # pluggy's call order: tryfirst (the built-in default menu), then the
        # most recently registered (the app) first.
        contributions = session.plugin_manager.hook.tkelectron_menu_template(app=self)
        template = merge(contributions)
        if template:
            Menu.set_application_menu(Menu.build_from_template(template))

    async def _teardown(self) -> None:
        session = current_session()
        session.state = "quitting"
        for window in list(session.windows.values()):
            window.destroy()
        # Renderers were asked to exit; give them a moment, then kill the rest.
        with trio.move_on_after(2):
            for proc in list(session.renderers):
                await proc.wait()
        for proc in list(session.renderers):
            proc.kill()
            await proc.wait()
        self._discard_spares()
        stop_zygote()  # after every renderer it forked has exited
        if session.compositor is not None:
            session.compositor.close()

    # -- quitting --------------------------------------------------------------------

    def quit(self) -> None:
        """Quit like Electron: before-quit, close every window, will-quit, quit."""
        session = current_session()
        if session.state != "ready":
            return
        session.start_soon(self._quit_flow, session)

    def _quit_on_signal(self, signum: int) -> None:
        """SIGINT/SIGTERM (see _signals): the normal quit, exit code 128 + signum."""
        log.info("quitting on %s", signal.Signals(signum).name)
        current_session().exit_code = exit_code_for(signum)
        self.quit()

    async def _quit_flow(self, session: AppSession) -> None:
        event = PreventableEvent()
        self.emit("before-quit", event)
        if event.default_prevented or session.state != "ready":
            return
        session.call_hook("tkelectron_before_quit", app=self)
        session.state = "quitting"
        for window in list(session.windows.values()):
            window.close()
            if not window.is_destroyed():  # its close was prevented: no quit
                session.state = "ready"
                return
        self._finish_quit(session)

    def _finish_quit(self, session: AppSession) -> None:
        event = PreventableEvent()
        self.emit("will-quit", event)
        if event.default_prevented:
            session.state = "ready"
            return
        self.emit("quit", PreventableEvent(), session.exit_code)
        assert session.quit_done is not None
        session.quit_done.set()

    def exit(self, code: int = 0) -> None:
        """Exit at once with ``code``: no before-quit/will-quit, windows destroyed."""
        session = current_session()
        if session.quit_done is None:
            return
        session.exit_code = code
        session.state = "quitting"
        for window in list(session.windows.values()):
            window.destroy()
        session.quit_done.set()

    def _close_prevented(self) -> None:
        session = current_session()
        if session.state == "quitting" and session.quit_done is not None and not session.quit_done.is_set():
            session.state = "ready"

    def _window_closed(self, window: Any) -> None:
        session = current_session()
        if window._framework or session.app_windows() or session.state != "ready":
            return
        if self.listener_count("window-all-closed"):
            self.emit("window-all-closed", PreventableEvent())
        else:
            self.quit()


def _make_compositor(name: str, root: Any) -> Compositor:
    if name == "headless":
        from .compositor.headless import HeadlessCompositor

        return HeadlessCompositor()
    if name == "tkhtml":
        if root is None:
            raise RuntimeError("the tkhtml compositor needs a Tk root hosting the trio run (use app.run())")
        from .compositor.tkhtml import TkhtmlCompositor

        return TkhtmlCompositor(root)
    raise ValueError(f"unknown compositor {name!r}; choose one of {', '.join(COMPOSITORS)}")


#: The process-wide app.
app = App()
