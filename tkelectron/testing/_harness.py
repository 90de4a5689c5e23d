"""Drive a tkelectron app like a user, in Playwright's shape.

``async with launch(app_path) as app:`` runs the app (its plugin hooks, its
windows, real renderer processes) inside the test's trio run; ``app`` is an
:class:`AppHarness`, and ``await app.first_window()`` a :class:`WindowHarness`
with ``click``, ``fill``, ``press``, ``text_content`` and friends.

With the ``tkhtml`` compositor the harness acts on real Tk widgets through the
X server (xdotool moves the pointer, clicks and types), so an event takes the
same path as a user's. With ``headless`` it injects the same DOM events into
the in-memory surface. Either way every action waits until the app has
*settled* — the renderer handled the event and every task and invoke it
started finished — instead of sleeping.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import trio

from ..main._app import app as _app
from ..main._browser_window import BrowserWindow
from ..main._dialog import DialogAnswer, MessageBoxResult, OpenDialogResult, SaveDialogResult
from ..main._plugins import load_app_module
from ..main.hookspecs import hookimpl
from ._runner import current_tk_root
from ._window import WindowHarness

__all__ = ["launch", "AppHarness", "DEFAULT_TIMEOUT"]

#: How long a wait may take before it fails the test with a clear message.
DEFAULT_TIMEOUT = 15.0
#: How often a wait re-checks a condition that no event announces.
POLL = 0.02

T = TypeVar("T")
#: A test's ``on_dialog`` function: ``(kind, window, options)`` -> the answer (or an awaitable of it).
DialogAnswerer = Callable[[str, Any, dict[str, Any]], DialogAnswer | Awaitable[DialogAnswer]]


class _Changes:
    """Wakes waiters whenever anything observable about the app changes."""

    def __init__(self) -> None:
        self._event = trio.Event()

    def notify(self, *_: Any) -> None:
        self._event.set()
        self._event = trio.Event()

    async def wait_until(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        """Re-check ``predicate`` on every change, and at least every POLL seconds;
        return its first true value.

        The framework's own state changes always notify; the poll is for
        predicates over app state that nothing announces (Playwright's
        ``wait_for_function`` polls the same way).
        """
        with trio.move_on_after(timeout):
            while True:
                value = predicate()
                if value:
                    return value
                with trio.move_on_after(POLL):
                    await self._event.wait()
        raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")


class AppHarness:
    """The running app, seen from a test."""

    def __init__(self, compositor: str) -> None:
        self.compositor = compositor
        self.changes = _Changes()
        self.console: list[tuple[int, str, str]] = []
        self.gone: list[tuple[int, Any]] = []
        self._dialog_answer: DialogAnswerer | None = None
        self._windows: dict[int, WindowHarness] = {}
        #: The app's module (its main.py), to read what the app recorded.
        self.module: ModuleType | None = None

    # -- the plugin side: follow every window ------------------------------------

    @hookimpl
    def tkelectron_window_created(self, window: BrowserWindow) -> None:
        wc = window.web_contents
        notify = self.changes.notify
        for event in ("did-finish-load", "dom-commit", "destroyed", "input-settled", "ipc-handled", "ipc-message"):
            wc.on(event, notify)
        wc.on("console-message", lambda _e, level, message, *rest: self._console(window.id, level, message))
        wc.on("render-process-gone", lambda _e, details: self._gone(window.id, details))
        window.on("closed", notify)
        notify()

    @hookimpl
    def tkelectron_dialog(
        self, kind: str, window: Any, options: dict[str, Any]
    ) -> DialogAnswer | Awaitable[DialogAnswer]:
        if self._dialog_answer is None:
            return None
        answer = self._dialog_answer(kind, window, options)
        if answer is None:
            # The test's answer gave none: never fall through to a real modal
            # (it would wait for a user who is not there).
            return _unanswered(kind, options)
        return answer

    def _console(self, window_id: int, level: str, message: str) -> None:
        self.console.append((window_id, level, message))
        self.changes.notify()

    def _gone(self, window_id: int, details: Any) -> None:
        self.gone.append((window_id, details))
        self.changes.notify()

    # -- public API --------------------------------------------------------------------

    @property
    def app(self) -> Any:
        return _app

    @property
    def windows(self) -> list[WindowHarness]:
        """Every open window, devtools included (the app's own: ``BrowserWindow.get_all_windows()``)."""
        return [self._wrap(w) for w in BrowserWindow._every_window()]

    def _wrap(self, window: BrowserWindow) -> WindowHarness:
        harness = self._windows.get(window.id)
        if harness is None:
            harness = self._windows[window.id] = WindowHarness(self, window)
        return harness

    async def first_window(self, timeout: float = DEFAULT_TIMEOUT) -> WindowHarness:
        """The app's first window, once its page has finished loading."""
        window = await self.changes.wait_until(
            lambda: next(iter(BrowserWindow.get_all_windows()), None), timeout, "a window"
        )
        harness = self._wrap(window)
        await harness.wait_for_load(timeout)
        return harness

    async def wait_for_window(
        self, predicate: Callable[[WindowHarness], bool] | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> WindowHarness:
        """Wait for a window not seen before (or one matching ``predicate``), loaded."""
        known = set(self._windows)

        def find() -> WindowHarness | None:
            for window in BrowserWindow._every_window():  # devtools windows too
                candidate = self._wrap(window) if window.id not in known or predicate else None
                if candidate is not None and (predicate is None or predicate(candidate)):
                    return candidate
            return None

        harness = await self.changes.wait_until(find, timeout, "a new window")
        await harness.wait_for_load(timeout)
        return harness

    async def evaluate(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(app, *args)`` in the main process (awaited if async)."""
        result = fn(_app, *args)
        if inspect.isawaitable(result):
            result = await result
        return result

    def on_dialog(self, answer: DialogAnswerer | None) -> None:
        """Answer every dialog with ``answer(kind, window, options)`` (``on_dialog(None)``: show them).

        When ``answer`` returns None the dialog is answered as if dismissed
        without a choice: a message box with its ``default_id`` button, an open
        or save dialog as canceled, an error box as acknowledged.
        """
        self._dialog_answer = answer

    def menu(self, label_path: str, window: WindowHarness | None = None) -> Any:
        """The menu item at ``"File/Open"`` in the window's or the application menu."""
        from ._menus import find_menu_item

        return find_menu_item(self, label_path, window)

    async def wait_settled(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until every window's renderer handled its input and main's invokes finished."""
        for window in BrowserWindow._every_window():
            await self._wrap(window).wait_settled(timeout)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT, what: str = "") -> Any:
        return await self.changes.wait_until(predicate, timeout, what or "a condition")


def _unanswered(kind: str, options: dict[str, Any]) -> DialogAnswer:
    """The answer of a dialog the test's ``on_dialog`` left unanswered."""
    if kind == "message":
        return MessageBoxResult(options["default_id"], bool(options.get("checkbox_checked")))
    if kind == "open":
        return OpenDialogResult(True, [])
    if kind == "save":
        return SaveDialogResult(True, None)
    return {}  # an error box: any answer but None acknowledges it


@contextlib.asynccontextmanager
async def launch(
    target: str | Path | ModuleType,
    *,
    compositor: str | None = None,
    entry_points: bool = False,
    spare_renderers: int = 0,
) -> AsyncIterator[AppHarness]:
    """Run the app at ``target`` (folder with main.py, .py file, module) for a test.

    ``compositor`` defaults to ``tkhtml`` inside a tkhtml test (a Tk host is
    running) and ``headless`` otherwise. Installed plugins are not loaded unless
    ``entry_points`` is true, so tests see only the app.
    """
    root = current_tk_root()
    chosen = compositor or ("tkhtml" if root is not None else "headless")
    if chosen == "tkhtml" and root is None:
        raise RuntimeError("tkhtml tests must run under @pytest.mark.tkelectron (a Tk host)")
    module = target if isinstance(target, ModuleType) else load_app_module(target)
    module_file = getattr(module, "__file__", None)
    if module_file:
        _app.set_app_path(Path(module_file).parent)
    harness = AppHarness(chosen)
    harness.module = module
    _app.register_plugin(harness, name=f"tkelectron-harness-{id(harness)}")
    _app.register_plugin(module, name=getattr(module, "__name__", None))
    # No spare renderers: a test opens its windows once, and a spare per test
    # would only cost CPU (the suite runs on 2 cores).
    async with _app.running(compositor=chosen, root=root, entry_points=entry_points, spare_renderers=spare_renderers):
        yield harness
