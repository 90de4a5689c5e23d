"""``app``: the main process's lifecycle, as Electron's ``app`` module.

``app.run(main=None)`` makes Tk's mainloop the host, runs trio on it as a
guest, emits ``ready``, runs the optional ``main()`` coroutine and the plugins'
``tkelectron_ready`` hooks, and returns the exit code once the app quits.
``app.running(...)`` is the same lifecycle as an async context manager inside
an existing trio run (the test harness uses it).

Quitting follows Electron: ``before-quit`` (preventable) → every window is
asked to close (a window that prevents it cancels the quit) → ``will-quit``
(preventable) → ``quit``. By default the app quits when its last window
closes, unless something listens to ``window-all-closed``. After quitting no
renderer process, no task and no window is left.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pluggy
import trio

from ..common._emitter import EventEmitter, PreventableEvent
from ._ipc_main import ipc_main
from ._listeners import main_listeners
from ._heap import freeze_startup_heap
from ._signals import exit_code_for, quit_on_signals

__all__ = ["App", "app"]

log = logging.getLogger("tkelectron")

COMPOSITORS = ("tkhtml", "headless")


class App(EventEmitter):
    """The application (a process-wide singleton: ``tkelectron.app``)."""

    _listener_runner = main_listeners

    def __init__(self) -> None:
        super().__init__()
        self.name = "tkelectron app"
        self.version = "0.0.0"
        #: The app's desktop entry id (``myapp.desktop``): the launcher icon and notifications name it.
        self.desktop_name: str | None = None
        self.nursery: trio.Nursery | None = None
        self.compositor: Any = None
        self.plugin_manager: pluggy.PluginManager | None = None
        self.development = os.environ.get("TKELECTRON_ENV", "development") != "production"
        self._app_path: str | None = None
        self._state = "idle"  # idle -> ready -> quitting -> done
        #: Runs started in this process: the pytest plugin checks for leftovers
        #: only after a test that ran the app (or is marked tkelectron).
        self._runs = 0
        # trio objects need a running loop, so these are made per run.
        self._ready: trio.Event | None = None
        self._quit_done: trio.Event | None = None
        self._exit_code = 0
        self._readable_cache: dict[tuple[str, ...], list[str]] = {}
        self._plugins: list[tuple[Any, str | None]] = []
        #: Every renderer process alive, so quitting can wait for them all.
        self._renderers: set[Any] = set()
        #: How many renderers to keep started ahead of need (Chromium keeps a
        #: spare renderer too): a new window or a reload then skips starting an
        #: interpreter and importing the framework. 0 turns it off.
        self.spare_renderers = 1
        self._spares: list[Any] = []
        # Every main-process emitter's async listeners run as tasks of the app.
        main_listeners.bind(self._spawn)

    # -- state --------------------------------------------------------------------

    def is_ready(self) -> bool:
        return self._state in ("ready", "quitting")

    async def when_ready(self) -> None:
        """Wait until the app is ready (returns at once if it is)."""
        if self._ready is None:
            raise RuntimeError("the app is not running: call app.run() or use tkelectron.testing")
        await self._ready.wait()

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
    def _paths(self) -> Any:
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
        spare = None
        while self._spares and spare is None:
            candidate = self._spares.pop(0)
            if candidate.returncode is None:
                spare = candidate
            else:
                candidate.close()
        self._refill_spares()
        return spare

    def _discard_spares(self) -> None:
        """Kill and reap the spares (never handed out: nothing else holds them)."""
        for spare in self._spares:
            spare.kill()
            spare.popen.wait()  # a SIGKILLed child: reaped at once
            spare.close()
            if spare.popen.stderr is not None:
                spare.popen.stderr.close()
        self._spares.clear()

    def _refill_spares(self) -> None:
        from ._renderer_process import RendererProcess

        while len(self._spares) < self.spare_renderers and self._state != "quitting":
            try:
                self._spares.append(RendererProcess.start())
            except OSError:
                log.exception("could not start a spare renderer")
                return

    # -- plugins ------------------------------------------------------------------

    def register_plugin(self, plugin: Any, name: str | None = None) -> None:
        """Register a plugin (an app module is one) before the app runs."""
        self._plugins.append((plugin, name))
        if self.plugin_manager is not None and not self.plugin_manager.is_registered(plugin):
            self.plugin_manager.register(plugin, name=name)

    def _call_hook(self, hook: str, **kwargs: Any) -> list[Any]:
        """Call a hook; async implementations are started as tasks."""
        if self.plugin_manager is None:
            return []
        results = getattr(self.plugin_manager.hook, hook)(**kwargs)
        plain = []
        for result in results:
            if inspect.isawaitable(result):
                self._spawn(self._await_hook, hook, result)
            else:
                plain.append(result)
        return plain

    async def _await_hook(self, hook: str, awaitable: Awaitable[Any]) -> None:
        try:
            await awaitable
        except Exception:
            log.exception("the async %s hook raised", hook)

    def _call_hook_first(self, hook: str, **kwargs: Any) -> Any:
        if self.plugin_manager is None:
            return None
        return getattr(self.plugin_manager.hook, hook)(**kwargs)

    # -- tasks ----------------------------------------------------------------------

    def start_soon(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run ``await fn(*args)`` as a task of the app (fire and forget).

        What an Electron app does by calling an async function without awaiting
        it: e.g. a ``close`` listener prevents the close, then starts a task
        that asks the page. An exception in the task is logged, never fatal.
        """
        self._spawn(fn, *args)

    def _spawn(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        if self.nursery is None:
            raise RuntimeError("the app is not running")
        self.nursery.start_soon(self._guarded, fn, *args)

    async def _guarded(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        # A failing listener or handler is logged; it never takes the app down.
        try:
            await fn(*args)
        except Exception:
            log.exception("a task of the app raised")

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
                    assert self.nursery is not None
                    self.nursery.start_soon(main)
                assert self._quit_done is not None
                await self._quit_done.wait()
        return self._exit_code

    @contextlib.asynccontextmanager
    async def running(
        self,
        *,
        compositor: str = "headless",
        root: Any = None,
        entry_points: bool = True,
        spare_renderers: int | None = None,
    ) -> AsyncIterator["App"]:
        """Run the app's lifecycle inside the current trio run.

        ``compositor`` is ``tkhtml`` (needs ``root``, a Tk root whose mainloop
        hosts this trio run) or ``headless``. ``spare_renderers`` overrides
        :attr:`spare_renderers` for this run. On exit every window is
        destroyed and every renderer (spares included) has exited.
        """
        if spare_renderers is not None:
            self.spare_renderers = spare_renderers
        from ._plugins import get_plugin_manager, merge_menu_templates

        if self._state != "idle":
            raise RuntimeError("the app is already running")
        self._runs += 1
        self._ready = trio.Event()
        self._quit_done = trio.Event()
        self._exit_code = 0
        self.compositor = _make_compositor(compositor, root)
        self.plugin_manager = get_plugin_manager(entry_points=entry_points)
        for plugin, name in self._plugins:
            if not self.plugin_manager.is_registered(plugin):
                self.plugin_manager.register(plugin, name=name)
        try:
            async with trio.open_nursery() as nursery:
                self.nursery = nursery
                self._call_hook("tkelectron_configure", app=self)
                self._refill_spares()
                self._state = "ready"
                self._install_plugin_menus(merge_menu_templates)
                self._ready.set()
                self.emit("ready", PreventableEvent())
                self._call_hook("tkelectron_ready", app=self)
                try:
                    yield self
                finally:
                    with trio.CancelScope(shield=True):
                        await self._teardown()
                    nursery.cancel_scope.cancel()
        finally:
            self._reset()

    def _install_plugin_menus(self, merge: Callable[[list[Any]], list[dict[str, Any]]]) -> None:
        """Show the app's own application menu, or else the plugins' merged one."""
        from ._menu import Menu

        assert self.plugin_manager is not None
        existing = Menu.get_application_menu()
        if existing is not None:  # set by the app before it ran
            self.compositor.set_application_menu(existing)
            return
        # pluggy's call order: tryfirst (the built-in default menu), then the
        # most recently registered (the app) first.
        contributions = self.plugin_manager.hook.tkelectron_menu_template(app=self)
        template = merge(contributions)
        if template:
            Menu.set_application_menu(Menu.build_from_template(template))

    async def _teardown(self) -> None:
        from ._browser_window import BrowserWindow

        self._state = "quitting"
        for window in BrowserWindow._every_window():
            window.destroy()
        # Renderers were asked to exit; give them a moment, then kill the rest.
        with trio.move_on_after(2):
            for proc in list(self._renderers):
                await proc.wait()
        for proc in list(self._renderers):
            proc.kill()
            await proc.wait()
        self._discard_spares()
        if self.compositor is not None:
            self.compositor.close()

    def _reset(self) -> None:
        from ._browser_window import BrowserWindow
        from ._menu import Menu

        self.nursery = None
        self.compositor = None
        self.plugin_manager = None
        self._state = "idle"
        self._ready = None
        self._quit_done = None
        BrowserWindow._windows.clear()
        self._renderers.clear()  # all reaped by now (teardown waits for them)
        self.spare_renderers = 1
        BrowserWindow._focused = None
        Menu._application_menu = None
        ipc_main._reset()
        self.remove_all_listeners()
        self._plugins = []

    # -- quitting --------------------------------------------------------------------

    def quit(self) -> None:
        """Quit like Electron: before-quit, close every window, will-quit, quit."""
        if self._state != "ready":
            return
        self._spawn(self._quit_flow)

    def _quit_on_signal(self, signum: int) -> None:
        """SIGINT/SIGTERM (see _signals): the normal quit, exit code 128 + signum."""
        log.info("quitting on %s", signal.Signals(signum).name)
        self._exit_code = exit_code_for(signum)
        self.quit()

    async def _quit_flow(self) -> None:
        from ._browser_window import BrowserWindow

        event = PreventableEvent()
        self.emit("before-quit", event)
        if event.default_prevented or self._state != "ready":
            return
        self._call_hook("tkelectron_before_quit", app=self)
        self._state = "quitting"
        for window in BrowserWindow._every_window():
            window.close()
            if not window.is_destroyed():  # its close was prevented: no quit
                self._state = "ready"
                return
        self._finish_quit()

    def _finish_quit(self) -> None:
        event = PreventableEvent()
        self.emit("will-quit", event)
        if event.default_prevented:
            self._state = "ready"
            return
        self.emit("quit", PreventableEvent(), self._exit_code)
        assert self._quit_done is not None
        self._quit_done.set()

    def exit(self, code: int = 0) -> None:
        """Exit at once with ``code``: no before-quit/will-quit, windows destroyed."""
        if self._quit_done is None:
            return
        from ._browser_window import BrowserWindow

        self._exit_code = code
        self._state = "quitting"
        for window in BrowserWindow._every_window():
            window.destroy()
        self._quit_done.set()

    def _close_prevented(self) -> None:
        if self._state == "quitting" and self._quit_done is not None and not self._quit_done.is_set():
            self._state = "ready"

    def _window_closed(self, window: Any) -> None:
        from ._browser_window import BrowserWindow

        if window._framework or BrowserWindow.get_all_windows() or self._state != "ready":
            return
        if self.listener_count("window-all-closed"):
            self.emit("window-all-closed", PreventableEvent())
        else:
            self.quit()


def _make_compositor(name: str, root: Any) -> Any:
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
