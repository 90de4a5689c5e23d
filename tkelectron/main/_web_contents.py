"""WebContents: a window's page, and the renderer process behind it.

A WebContents starts a renderer for every page it loads (``load_file`` and
``reload`` each start a fresh one, so a page never inherits a previous page's
state). It *has* a :class:`~._renderer_session.RendererSession`, which owns
that renderer — the process, its connection, the calls both ways, the settle
counters — and :mod:`._renderer_supervisor` holds how it starts, watches and
stops it. This module is the public API: sending, invoking, streaming, events.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common._calls import Answers, Calls, Stream
from ..common._clone import to_wire, to_wire_args
from ..common._emitter import EventEmitter
from ..common._errors import RendererGoneError
from ..common._messages import Message
from ..common._ports import _check_transferable
from . import _drag_drop
from ._find_in_page import find_in_page, stop_find_in_page
from ._ipc_main import IpcMain, check_user_channel
from ._listeners import main_listeners
from ._load_url import begin_load, page_url, watch_load
from ._page_input import PageInput
from ._renderer_session import RendererSession
from ._renderer_supervisor import LoadRequest, RenderProcessGoneDetails
from ._web_preferences import WebPreferences
from ._window_open import WindowOpenHandler, set_window_open_handler
from ._zoom import page_zoom

if TYPE_CHECKING:
    from ._browser_window import BrowserWindow
    from ._renderer_process import RendererProcess

__all__ = ["WebContents", "LoadRequest", "RenderProcessGoneDetails"]

log = logging.getLogger("tkelectron")

_ids = itertools.count(1)

#: The node-id attribute of display HTML (see common._messages); not the page's own.
_NODE_ID_ATTR = re.compile(r' data-tke-id="\d*"')


class WebContents(EventEmitter):
    """The page of one BrowserWindow."""

    _listener_runner = main_listeners

    def __init__(self, window: BrowserWindow, prefs: WebPreferences) -> None:
        super().__init__()
        self.id = next(_ids)
        self.ipc = IpcMain()
        self._window = window
        self._prefs = prefs
        self._page: str | None = None
        #: The renderer behind the page, and everything main keeps about it.
        self._renderer_session = RendererSession(self, window, prefs)
        #: Input on its way to the page: listened kinds, before-input-event, context-menu.
        self._page_input = PageInput(self)
        self._dev_tools_open = False
        self.title = ""

    def _listener_added(self, event: str) -> None:
        # The IPC log hooks the renderer connection only while someone listens.
        if event == "ipc-log":
            self._renderer_session.ipc_logger.listening()

    # -- the session's state, read where main's own modules and the harness look --

    @property
    def _renderer(self) -> RendererProcess | None:
        return self._renderer_session.process

    @property
    def _load(self) -> LoadRequest | None:
        return self._renderer_session.load

    @property
    def _calls(self) -> Calls:
        return self._renderer_session.calls

    @property
    def _answers(self) -> Answers:
        return self._renderer_session.answers

    @property
    def _event_seq(self) -> int:
        return self._renderer_session.event_seq

    @property
    def _settled_seq(self) -> int:
        return self._renderer_session.settled_seq

    def _send_to_renderer(self, msg: Any) -> bool:
        return self._renderer_session.send(msg)

    def _allow(self, channel: str, direction: str) -> bool:
        return self._prefs.allows(channel, direction)

    # -- loading --------------------------------------------------------------

    def load_file(self, path: str | Path) -> LoadRequest:
        """Start a fresh renderer on ``path`` (relative to the app folder)."""
        resolved = self._window._session.require_app()._resolve(path)  # the app of the window's run
        if not Path(resolved).is_file():
            raise FileNotFoundError(f"no page at {resolved}")
        self._page = resolved
        return self._renderer_session.start(resolved)

    def load_url(self, url: str, options: dict[str, Any] | None = None) -> LoadRequest:
        """Load a ``file:`` or ``data:`` URL in a fresh renderer (``_load_url``: remote pages stay out)."""
        page = begin_load(self, url, options)
        self._page = page
        return watch_load(self, self._renderer_session.start(page))

    def reload(self) -> LoadRequest | None:
        """Load the current page again in a new renderer (also after a crash)."""
        if self._page is None or self._renderer_session.closed:
            return None
        return self._renderer_session.start(self._page)

    reload_ignoring_cache = reload

    # -- talking to the renderer ----------------------------------------------

    def send(self, channel: str, *args: Any) -> None:
        """Send ``channel`` to the renderer's ``ipc_renderer.on`` listeners.

        Arguments are cloned now; DataCloneError is raised here if one cannot be.
        """
        check_user_channel(channel)
        wire = to_wire_args(args)
        if not self._allow(channel, "receive"):
            raise PermissionError(f"window {self._window.id} may not receive {channel!r}")
        if not self._renderer_session.send(Message(channel, wire)):
            log.warning("window %d has no renderer: message on %r dropped", self._window.id, channel)

    def post_message(self, channel: str, message: Any, transfer: Sequence[Any] = ()) -> None:
        """Send ``message`` with MessagePortMain objects in ``transfer``.

        The renderer's ``ipc_renderer.on(channel)`` listeners get them in
        ``event.ports``; each port's socket moves to the renderer, so the
        ports' traffic no longer passes through main.
        """
        check_user_channel(channel)
        wire = [to_wire(message, "message")]
        _check_transferable(transfer, None)
        if not self._allow(channel, "receive"):
            raise PermissionError(f"window {self._window.id} may not receive {channel!r}")
        if self._renderer_session.no_renderer() is not None:  # before the ports leave: they stay usable here
            raise RendererGoneError(f"window {self._window.id} has no renderer to post to")
        fds = [port._detach() for port in transfer]
        self._renderer_session.send_with_fds(Message(channel, wire, 0, len(fds)), fds)

    postMessage = post_message

    async def invoke(self, channel: str, *args: Any) -> Any:
        """Call ``ipc_renderer.handle(channel, ...)`` in the renderer and await its answer.

        Electron has no such call (electron#40182). Errors arrive as in the other
        direction; cancelling the awaiting task cancels the renderer's handler;
        RendererGoneError if the renderer dies first.
        """
        check_user_channel(channel)
        return await self._renderer_session.calls.invoke(channel, to_wire_args(args))

    def stream(self, channel: str, *args: Any) -> Stream:
        """Iterate what the renderer's async-generator handler of ``channel`` yields.

        ``async for value in web_contents.stream(ch, ...)``: ordered, with
        backpressure; breaking out of the loop cancels the producer.
        """
        check_user_channel(channel)
        return self._renderer_session.calls.stream(channel, to_wire_args(args))

    def _input(self, ev: Any) -> bool:
        """The user's input on this page (``_page_input``); True: main consumed it."""
        return self._page_input.deliver(ev, _drag_drop.drag_for_page(self, ev))

    def start_drag(self, item: dict[str, Any]) -> None:
        """Electron's ``startDrag(item)``: the user's drag in the page takes ``item["file"]``
        (or ``"files"``) to another application; ``drag-end`` tells what it did (``_drag_drop``)."""
        _drag_drop.start_drag(self, item)

    startDrag = start_drag

    def get_path_for_file(self, file: Any) -> str:
        """Electron's ``webUtils.getPathForFile``: the path of a file the user dropped on this page, else ""."""
        return _drag_drop.get_path_for_file(self, file)

    async def wait_settled(self) -> None:
        """Wait until the renderer has handled every input event sent so far."""
        await self._renderer_session.wait_settled()

    # -- shutdown ---------------------------------------------------------------

    def _shutdown(self) -> None:
        """The window is going: end the renderer (``destroyed`` follows if there was one)."""
        self._renderer_session.shutdown()

    # -- Electron API -----------------------------------------------------------

    def get_os_process_id(self) -> int:
        proc = self._renderer_session.process
        return proc.pid if proc is not None else 0

    get_process_id = get_os_process_id

    @property
    def session(self) -> Any:
        """The session deciding this page's permission requests (``_session``)."""
        from ._session import default_session

        return default_session

    def get_sandbox_report(self) -> dict[str, Any]:
        """What the renderer locked down (layers applied and missing)."""
        return self._renderer_session.sandbox_report.as_dict()

    def get_title(self) -> str:
        return self.title

    def get_url(self) -> str:
        return page_url(self._page) if self._page else ""

    def get_dom_html(self) -> str:
        """The document the window displays now, as HTML (read-only; for devtools).

        It is the page's DOM as of the last commit main applied, with the
        protocol's node-id attributes (``data-tke-id``) left out, so it reads
        as the page wrote it. Empty once the window is destroyed.
        """
        if self._renderer_session.closed or self._window.is_destroyed():
            return ""
        return _NODE_ID_ATTR.sub("", self._window._surface.html())

    def is_crashed(self) -> bool:
        return self._renderer_session.crashed

    def is_destroyed(self) -> bool:
        return self._renderer_session.closed

    def is_loading(self) -> bool:
        load = self._renderer_session.load
        return load is not None and not load.done

    def open_dev_tools(self) -> None:
        if not self._dev_tools_open:
            hooks = self._window._session
            self._dev_tools_open = bool(hooks.call_hook_first("tkelectron_open_dev_tools", web_contents=self))
            if not self._dev_tools_open:
                log.warning("no devtools plugin is installed")

    def close_dev_tools(self) -> None:
        if self._dev_tools_open:
            self._window._session.call_hook_first("tkelectron_close_dev_tools", web_contents=self)
            self._dev_tools_open = False

    def toggle_dev_tools(self) -> None:
        if self._dev_tools_open:
            self.close_dev_tools()
        else:
            self.open_dev_tools()

    def is_dev_tools_opened(self) -> bool:
        return self._dev_tools_open

    # -- what main does to the page's display (_zoom, _find_in_page) ----------------

    def set_zoom_factor(self, factor: float) -> None:
        """Draw the page at ``factor`` times its size (1.0; held to 0.25..5.0)."""
        page_zoom(self).set_factor(factor)

    def get_zoom_factor(self) -> float:
        return page_zoom(self).factor

    def set_zoom_level(self, level: float) -> None:
        """Chromium's zoom level: a factor of 1.2 per level (0 is the page as written)."""
        page_zoom(self).set_level(level)

    def get_zoom_level(self) -> float:
        return page_zoom(self).level

    # Electron's ``webContents.zoomFactor`` / ``zoomLevel`` properties.
    zoom_factor = property(get_zoom_factor, set_zoom_factor)
    zoom_level = property(get_zoom_level, set_zoom_level)

    def find_in_page(self, text: str, options: dict[str, Any] | None = None) -> int:
        """Search what the window shows; answered by ``found-in-page`` (``_find_in_page``)."""
        return find_in_page(self, text, options)

    def stop_find_in_page(self, action: str) -> None:
        stop_find_in_page(self, action)

    def set_window_open_handler(self, handler: WindowOpenHandler | None) -> None:
        """Decide the page's ``window.open``: ``handler(details)`` returns ``{"action": "allow" | "deny", ...}`` (``_window_open``)."""
        set_window_open_handler(self, handler)

    def __repr__(self) -> str:
        return f"<WebContents id={self.id} window={self._window.id}>"
