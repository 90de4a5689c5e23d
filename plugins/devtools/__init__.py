"""Developer tools for tkelectron windows (a built-in plugin).

``web_contents.open_dev_tools()``, the ``toggleDevTools`` menu role
(Ctrl+Shift+I) and F12 open a devtools window for a window: a BrowserWindow
of its own, with its own sandboxed renderer, placed below the inspected
window. It has three panels:

- **Elements**: the inspected window's live DOM tree, with attributes,
  refreshed as its commits arrive;
- **Console**: every console message of the page (since the window opened),
  with its level and ``file:line``;
- **IPC**: every message between the page's renderer and main (sends,
  invokes and their answers with latency and errors, replies, commits, input
  events), filterable by channel.

Closing the inspected window closes its devtools; closing the devtools
window stops the recording. A devtools window has no menu bar and gets no
devtools of its own (asking for them focuses it).

Keys: the plugin contributes a ``View`` menu with ``Toggle Developer Tools``
(Ctrl+Shift+I) and ``Developer Tools`` (F12) to the application menu, so
both keys work in every window showing that menu. An app that sets its own
menu keeps its own keys: add ``{"role": "toggleDevTools"}`` to it.

Devtools windows are not the app's BrowserWindows (as in Electron): they are
absent from ``BrowserWindow.get_all_windows()`` and ``get_focused_window()``,
emit no ``browser-window-created`` and do not count for ``window-all-closed``.
Closing the app's last window closes its devtools and quits the app (once).
"""

from __future__ import annotations

import collections
from typing import Any

from tkelectron import BrowserWindow, hookimpl

from ._session import DevToolsSession
from ._views import console_row

__all__ = ["CONSOLE_HISTORY", "is_devtools_window", "session_for"]

#: How many console messages per window are kept for devtools opened later.
CONSOLE_HISTORY = 500


class _Registry:
    """The plugin's state for one app run: sessions and console histories."""

    def __init__(self) -> None:
        self.sessions: dict[int, DevToolsSession] = {}  # inspected WebContents id -> session
        self.devtools: dict[int, DevToolsSession] = {}  # devtools WebContents id -> session
        self.consoles: dict[int, collections.deque[dict[str, Any]]] = {}
        self.creating = False

    def follow(self, window: BrowserWindow) -> None:
        """Keep ``window``'s console history, from its creation on."""
        wc = window.web_contents
        history: collections.deque[dict[str, Any]] = collections.deque(maxlen=CONSOLE_HISTORY)
        self.consoles[wc.id] = history

        def on_console(_event: Any, level: str, message: str, line: int = 0, source: str = "") -> None:
            row = console_row(level, message, line, source)
            history.append(row)
            session = self.sessions.get(wc.id)
            if session is not None:
                session.console_message(row)

        wc.on("console-message", on_console)

    def open(self, wc: Any) -> bool:
        own = self.devtools.get(wc.id)
        if own is not None:  # devtools never inspect themselves
            own.window.focus()
            return True
        session = self.sessions.get(wc.id)
        if session is None:
            history = self.consoles.setdefault(wc.id, collections.deque(maxlen=CONSOLE_HISTORY))
            self.creating = True
            try:
                session = DevToolsSession(wc, history, self._closed)
            finally:
                self.creating = False
            self.sessions[wc.id] = session
            self.devtools[session.window.web_contents.id] = session
        session.window.focus()
        return True

    def close(self, wc: Any) -> None:
        session = self.sessions.get(wc.id)
        if session is not None:
            session.close()

    def _closed(self, session: DevToolsSession) -> None:
        self.sessions.pop(session.inspected.id, None)
        self.devtools.pop(session.window.web_contents.id, None)

    def forget(self, window: BrowserWindow) -> None:
        self.consoles.pop(window.web_contents.id, None)


_registry = _Registry()


def session_for(web_contents: Any) -> DevToolsSession | None:
    """The open devtools session inspecting ``web_contents``, if any."""
    return _registry.sessions.get(web_contents.id)


def is_devtools_window(window: BrowserWindow) -> bool:
    """Whether ``window`` is a devtools window (opened by this plugin)."""
    return window.web_contents.id in _registry.devtools


# -- hooks ------------------------------------------------------------------------


@hookimpl
def tkelectron_menu_template(app: Any) -> list[dict[str, Any]]:
    # The built-in default View menu already has the toggleDevTools role
    # (Ctrl+Shift+I); this adds F12, merged into it by label.
    return [{
        "label": "View",
        "submenu": [{"label": "Developer Tools", "accelerator": "F12", "click": _toggle}],
    }]


def _toggle(_item: Any, window: BrowserWindow | None, _event: Any) -> None:
    if window is not None:
        window.web_contents.toggle_dev_tools()


@hookimpl
def tkelectron_window_created(window: BrowserWindow) -> None:
    if not _registry.creating:
        _registry.follow(window)


@hookimpl
def tkelectron_window_closed(window: BrowserWindow) -> None:
    _registry.forget(window)


@hookimpl
def tkelectron_open_dev_tools(web_contents: Any) -> bool:
    return _registry.open(web_contents)


@hookimpl
def tkelectron_close_dev_tools(web_contents: Any) -> None:
    _registry.close(web_contents)
