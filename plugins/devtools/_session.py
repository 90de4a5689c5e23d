"""One devtools window, inspecting one other window.

A :class:`DevToolsSession` opens a BrowserWindow on the devtools page and
feeds it what it observes about the inspected window's WebContents through
ordinary IPC: the displayed DOM (after each commit, debounced), console
messages and the IPC log. The devtools page is only a view: the session keeps
the history, so a reloaded devtools page gets everything again.

The session listens only while it is open: the ``ipc-log`` event costs
nothing while nobody listens, so closing devtools stops the recording.
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import trio

from tkelectron import BrowserWindow, app

from ._views import console_row, dom_rows, ipc_row

__all__ = ["PAGE", "DevToolsSession"]

log = logging.getLogger("tkelectron.devtools")

#: The devtools page (its own renderer: index.html, preload.py, renderer.py).
PAGE = Path(__file__).resolve().parent / "page"
#: How many IPC rows a session remembers (the page shows as many).
IPC_HISTORY = 500
#: Commits arriving closer together than this refresh the Elements panel once.
DOM_DEBOUNCE = 0.1
#: IPC entries are sent to the devtools page in batches, at most this often.
IPC_BATCH = 0.05
_GAP = 40  # pixels between the inspected window and its devtools, below it


class _Bounds(TypedDict):
    """Where the devtools window opens (BrowserWindow's keyword arguments)."""

    width: int
    height: int
    x: NotRequired[int]
    y: NotRequired[int]

class DevToolsSession:
    """A devtools window for ``inspected`` (a WebContents), open until closed.

    ``console`` is the inspected window's console history so far (kept by the
    plugin since the window opened); new messages arrive through
    :meth:`console_message`. ``on_closed`` is called once, after the devtools
    window is gone, whoever closed it.
    """

    def __init__(self, inspected: Any, console: collections.deque[dict[str, Any]],
                 on_closed: Callable[[DevToolsSession], None]) -> None:
        self.inspected = inspected
        self._console = console
        self._ipc: collections.deque[dict[str, Any]] = collections.deque(maxlen=IPC_HISTORY)
        self._on_closed = on_closed
        self._ready = False
        self._closed = False
        self._closing = False
        self._dom_pending = False
        self._ipc_batch: list[dict[str, Any]] = []
        self._subscriptions: list[tuple[Any, str, Callable[..., Any]]] = []
        target = BrowserWindow.from_web_contents(inspected)
        # A framework window: the app does not see it among its BrowserWindows.
        with BrowserWindow._framework_windows():
            self.window = BrowserWindow(
                **self._bounds(target),
                title=self._title(target),
                web_preferences={
                    "preload": str(PAGE / "preload.py"),
                    "sandbox": True,
                    # The page only listens: main's reports, nothing else, either way.
                    "channels": {"send": [], "invoke": [], "receive": ["devtools:*"]},
                },
            )
        # Devtools have no menu bar (so no devtools of their own from F12).
        self.window.set_menu(None)
        self._listen(self.window, "closed", self._devtools_closed)
        self._listen(self.window, "page-title-updated", lambda event, _title: event.prevent_default())
        own = self.window.web_contents
        self._listen(own, "did-finish-load", self._devtools_loaded)
        self._listen(own, "render-process-gone", self._devtools_gone)
        self._listen(inspected, "ipc-log", self._ipc_entry)
        self._listen(inspected, "dom-commit", self._dom_changed)
        self._listen(inspected, "did-finish-load", self._inspected_loaded)
        self._listen(inspected, "render-process-gone", self._inspected_gone)
        self._listen(inspected, "destroyed", self._inspected_destroyed)
        self.window.load_file(PAGE / "index.html")

    # -- setup -------------------------------------------------------------------

    @staticmethod
    def _bounds(target: BrowserWindow | None) -> _Bounds:
        # Below the inspected window, never over it: a user (or a test) can
        # still reach every part of the page they are inspecting.
        if target is None:
            return {"width": 760, "height": 460}
        b = target.get_bounds()
        return {"x": b["x"], "y": b["y"] + b["height"] + _GAP, "width": max(b["width"], 760), "height": 460}

    @staticmethod
    def _title(target: BrowserWindow | None) -> str:
        name = target.get_title() if target is not None else ""
        return f"Developer Tools - {name}" if name else "Developer Tools"

    def _listen(self, emitter: Any, event: str, fn: Callable[..., Any]) -> None:
        emitter.on(event, fn)
        self._subscriptions.append((emitter, event, fn))

    # -- talking to the devtools page --------------------------------------------------

    def _send(self, channel: str, payload: Any) -> None:
        if self._ready and not self._closed:
            self.window.web_contents.send(channel, payload)

    def _devtools_loaded(self, _event: Any) -> None:
        self._ready = True
        self._ipc_batch.clear()  # the snapshot has them
        target = BrowserWindow.from_web_contents(self.inspected)
        self._send("devtools:snapshot", {
            "title": target.get_title() if target is not None else "",
            "console": list(self._console),
            "ipc": list(self._ipc),
            "dom": dom_rows(self.inspected.get_dom_html()),
        })

    def _devtools_gone(self, _event: Any, _details: Any) -> None:
        self._ready = False

    # -- what the inspected window does ------------------------------------------------

    def console_message(self, row: dict[str, Any]) -> None:
        """A console message of the inspected page (already in the history)."""
        self._send("devtools:console", row)

    def _ipc_entry(self, entry: Any) -> None:
        # A busy page (a stream, a progress bar) logs hundreds of entries a
        # second: batch them, so devtools cost one message and one commit per
        # batch rather than per entry.
        row = ipc_row(entry)
        self._ipc.append(row)
        if not self._ipc_batch and not self._closed:
            app.start_soon(self._flush_ipc)
        self._ipc_batch.append(row)

    async def _flush_ipc(self) -> None:
        await trio.sleep(IPC_BATCH)
        batch, self._ipc_batch = self._ipc_batch, []
        if batch:
            self._send("devtools:ipc", batch)

    def _dom_changed(self, _ops: Any) -> None:
        if self._dom_pending or self._closed:
            return
        self._dom_pending = True
        app.start_soon(self._refresh_dom)

    async def _refresh_dom(self) -> None:
        await trio.sleep(DOM_DEBOUNCE)
        self._dom_pending = False
        if not self._closed:
            self._send("devtools:dom", dom_rows(self.inspected.get_dom_html()))

    def _inspected_loaded(self, _event: Any) -> None:
        self._send("devtools:dom", dom_rows(self.inspected.get_dom_html()))

    def _inspected_gone(self, _event: Any, details: Any) -> None:
        row = console_row("error", f"The page's renderer is gone ({details.reason}, exit code {details.exit_code})",
                          0, "")
        self._console.append(row)
        self._send("devtools:console", row)

    def _inspected_destroyed(self, _event: Any) -> None:
        # Close on the next turn, not inside the inspected window's destroy():
        # that window must leave the window list first, so that closing the
        # last app window and its devtools quits the app once, not twice.
        try:
            app.start_soon(self._close_async)
        except RuntimeError:  # the app is no longer running
            self.close()

    async def _close_async(self) -> None:
        self.close()

    # -- closing -------------------------------------------------------------------------

    def _devtools_closed(self) -> None:
        self._finish()
        # Closed by the user: keep the inspected WebContents'
        # is_dev_tools_opened() true to life (its close hook finds no session).
        if not self._closing and not self.inspected.is_destroyed():
            self.inspected.close_dev_tools()

    def close(self) -> None:
        """Close the devtools window and stop listening (idempotent)."""
        self._closing = True
        if not self.window.is_destroyed():
            self.window.destroy()  # emits closed -> _devtools_closed
        self._finish()

    def _finish(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._ready = False
        for emitter, event, fn in self._subscriptions:
            emitter.off(event, fn)
        self._subscriptions.clear()
        self._on_closed(self)

    @property
    def closed(self) -> bool:
        return self._closed
