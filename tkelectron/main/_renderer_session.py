"""The renderer session: main's side of the renderer behind one WebContents.

A :class:`~._web_contents.WebContents` *has* a RendererSession (it is not
one). The session owns:

- the renderer process behind the page now (:attr:`RendererSession.process`;
  a fresh one per page load, see :meth:`RendererSession.start`) and its
  framed connection;
- the call engine both ways: :attr:`~RendererSession.calls` (what main asked
  the renderer: ``web_contents.invoke``/``stream``) and
  :attr:`~RendererSession.answers` (the handlers main is running for it);
- the settle counters of user input (each ``DomEvent`` main sends has a
  sequence number; the renderer's ``Settled`` says how far it got);
- what the renderer told about itself (its sandbox report), the page load in
  progress, whether the renderer crashed.

Its public surface is what the modules that serve a renderer need —
``_renderer_messages`` (reading and routing), ``_ipc_dispatch`` (answering
send, send_sync and invoke), ``_renderer_supervisor`` (starting, watching,
ending) — so none of them reaches into WebContents' private state.

The connection seam
-------------------
Everything main writes to a renderer goes through :meth:`RendererSession.send`
or :meth:`RendererSession.send_with_fds` (``Connection.send``: written at once
when the socket is idle, else buffered for the supervisor's writer task).
Everything main reads from it is decoded by ``process.conn`` and consumed in
one place, ``RendererMessages.read_all`` (``_renderer_messages``), which hands
each message to ``RendererMessages.handle`` (or awaits ``RendererMessages.commit`` for a
``Commit``). Another reader — one woken by a Tk file handler, say — replaces
that loop only, and feeds the same two entry points the same decoded
messages; nothing else in main reads a renderer's socket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import trio

from ..common._calls import Answers, Calls
from ..common._connection import ConnectionClosed
from ..common._emitter import PreventableEvent
from ..common._errors import RendererGoneError
from ..common._messages import MainToRenderer, Message, Shutdown
from ..common._sandbox_report import SandboxReport
from ._context import RunningApp
from ._handler_errors import log_handler_error
from ._ipc_log import IpcLogger
from ._renderer_supervisor import LoadRequest, begin_spare, supervise

if TYPE_CHECKING:
    from ._browser_window import BrowserWindow
    from ._commit_rules import CommitRules
    from ._renderer_process import RendererProcess
    from ._web_contents import WebContents
    from ._web_preferences import WebPreferences

__all__ = ["RendererSession"]


class RendererSession:
    """The renderer behind one WebContents, and everything main keeps about it."""

    def __init__(self, web_contents: WebContents, window: BrowserWindow, prefs: WebPreferences) -> None:
        #: The page this session serves: the ``sender`` of its IPC events, the emitter of its events.
        self.web_contents = web_contents
        #: The window that shows the page.
        self.window = window
        #: The window's web preferences (limits, allowlist, sandbox).
        self.prefs = prefs
        self._process: RendererProcess | None = None
        #: The page load in progress or last finished (None before the first).
        self.load: LoadRequest | None = None
        #: The page the renderer runs (set by :meth:`start`).
        self.page: str | None = None
        #: The last renderer went away unexpectedly (``render-process-gone`` was emitted).
        self.crashed = False
        #: The window is going: no renderer starts any more, and none is reported gone.
        self.closed = False
        #: What the renderer said it locked down (its ``Ready``).
        self.sandbox_report = SandboxReport()
        #: Main's validated shadow of what the newest renderer displays (its commit
        #: rules), read for what main shows but does not draw (a link's target).
        self.display: CommitRules | None = None
        self.ipc_logger = IpcLogger(web_contents)
        #: Calls main makes to the renderer (``web_contents.invoke``/``stream``).
        self.calls = Calls(self._post, self.no_renderer)
        #: Handlers main runs for the renderer's invokes.
        self.answers = Answers(self._post, self.spawn, lambda: self.development)
        self.answers.on_done = self._handled
        self.answers.on_error = lambda channel, exc: log_handler_error(window.id, channel, exc)
        self._event_seq = 0
        self._settled_seq = 0
        self._settled = trio.Event()

    def _handled(self, channel: str) -> None:
        self.web_contents.emit("ipc-handled", channel)

    # -- who and where ----------------------------------------------------------

    @property
    def window_id(self) -> int:
        return self.window.id

    @property
    def app(self) -> RunningApp:
        """The app the session's tasks and hooks belong to: its window's run's (``_context``)."""
        return self.window._session.require_app()

    @property
    def development(self) -> bool:
        """Whether errors sent to the renderer carry tracebacks (the app's mode)."""
        return self.app.development

    def spawn(self, fn: Callable[..., Awaitable[Any]], *args: Any) -> None:
        """Run ``fn(*args)`` as a task of the app (a handler, a supervisor)."""
        self.app._spawn(fn, *args)

    # -- the process ----------------------------------------------------------------

    @property
    def process(self) -> RendererProcess | None:
        """The renderer process behind the page now, or None (none started, or gone)."""
        return self._process

    def attach(self, proc: RendererProcess) -> None:
        """Make ``proc`` the page's renderer (the supervisor, once it started)."""
        self._process = proc

    def detach(self, proc: RendererProcess) -> bool:
        """Forget ``proc`` if it is still the page's renderer; True if it was."""
        if self._process is not proc:
            return False
        self._process = None
        return True

    def no_renderer(self) -> str | None:
        """Why nothing can be sent to the renderer now, or None when something can."""
        proc = self._process
        if proc is None or proc.conn.closed:
            return f"window {self.window_id} has no renderer"
        return None

    # -- sending ------------------------------------------------------------------------

    def send(self, msg: MainToRenderer, *, now: bool = False) -> bool:
        """Send ``msg`` to the renderer; False (dropped) when there is none or it closed.

        ``now``: the caller is a Tk callback, not a trio task; the message is
        written at once if nothing waits before it (``Connection.send_now``).
        """
        proc = self._process
        if proc is None or proc.conn.closed:
            return False
        try:
            if now:
                proc.conn.send_now(msg)
            else:
                proc.conn.send(msg)
        except ConnectionClosed:
            return False
        return True

    def _post(self, msg: Any) -> None:
        # The call engine's way out: it learns of a missing renderer from
        # no_renderer(), not from here.
        self.send(msg)

    def send_with_fds(self, msg: Message, fds: Sequence[int]) -> None:
        """Send ``msg`` with the sockets ``fds`` (SCM_RIGHTS); RendererGoneError when there is no renderer."""
        proc = self._process
        if proc is None or proc.conn.closed:
            raise RendererGoneError(f"window {self.window_id} has no renderer to post to")
        proc.conn.send(msg, fds)

    # -- user input and its settling -----------------------------------------------

    @property
    def event_seq(self) -> int:
        """The sequence number of the last input event sent to a renderer."""
        return self._event_seq

    @property
    def settled_seq(self) -> int:
        """The last input event the renderer (or a new page load) settled."""
        return self._settled_seq

    def next_event_seq(self) -> int:
        """Number a new input event (send it with this seq): unsettled until the renderer says so."""
        self._event_seq += 1
        self._settled = trio.Event()
        return self._event_seq

    def settle(self, seq: int) -> None:
        """The renderer handled every input event up to ``seq`` (its ``Settled``)."""
        self._settled_seq = max(self._settled_seq, seq)
        if self._settled_seq >= self._event_seq:
            self._settled.set()

    def settle_all(self) -> None:
        """Count every input sent so far as settled (its renderer will never answer)."""
        self._settled_seq = self._event_seq
        self._settled.set()

    async def wait_settled(self) -> None:
        """Wait until the renderer has handled every input event sent so far (or is gone)."""
        while self._process is not None and self._settled_seq < self._event_seq:
            await self._settled.wait()

    # -- ending ---------------------------------------------------------------------------

    def fail_pending(self) -> None:
        """Nothing can answer any more: cancel main's handlers, fail main's calls, wake settle waiters."""
        self.answers.cancel_all()
        self.calls.fail_all("the renderer went away before answering")
        self._settled.set()

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, page: str) -> LoadRequest:
        """Start a fresh renderer on ``page`` (ending the one before); the load's request."""
        old = self._process
        if old is not None:
            old.kill("replaced")
        if self.load is not None:
            self.load._finish(RuntimeError("the load was replaced by a newer one"))
        self.page = page
        request = LoadRequest(page)
        self.load = request
        self.crashed = False
        # Input sent to the old renderer will never be answered: count it settled.
        self.settle_all()
        self.spawn(supervise, self, request, begin_spare(self))
        return request

    def shutdown(self) -> None:
        """Ask the renderer to exit and make sure it does (the window is going)."""
        self.closed = True
        proc = self._process
        if proc is None:
            return
        self.send(Shutdown())
        self.fail_pending()

        async def reap() -> None:
            with trio.move_on_after(1.0):
                await proc.wait()
            proc.kill()

        self.spawn(reap)
        self.web_contents.emit("destroyed", PreventableEvent(sender=self.web_contents))

    def __repr__(self) -> str:
        pid = self._process.pid if self._process is not None else None
        return f"<RendererSession window={self.window_id} pid={pid}>"
