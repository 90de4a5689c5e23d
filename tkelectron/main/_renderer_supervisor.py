"""Starting, watching and stopping the renderer of a renderer session.

A WebContents' :class:`~._renderer_session.RendererSession` starts a renderer
for every page it loads and runs :func:`supervise` for it as an app task: it
routes the renderer's messages (``_renderer_messages``), and when the process
dies unexpectedly it reports ``render-process-gone`` and shows the crash in
the window. Main never goes down with a renderer. Everything here works on
the session's public surface; nothing reaches into WebContents.
"""

from __future__ import annotations

import logging
import tkinter
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from ..common._connection import ConnectionClosed
from ..common._emitter import PreventableEvent
from ..common._errors import RendererGoneError
from ..common._framing import FrameError
from ..common._messages import Init
from ._ipc_dispatch import IpcViolation
from ._load_url import page_folder
from ._renderer_messages import RendererMessages
from ._renderer_process import RendererProcess, exit_reason
from ._tk_reader import read_with_tk
from ._versions import renderer_versions

if TYPE_CHECKING:
    from ._renderer_session import RendererSession

__all__ = ["LoadRequest", "RenderProcessGoneDetails", "begin_spare", "supervise"]

log = logging.getLogger("tkelectron")


#: Seconds a renderer that closed its connection may take to exit before it is killed.
CLOSED_GRACE = 1.0


def _describe(exc: BaseException) -> str:
    """An exception for the log: its message, with its type when that says more."""
    if isinstance(exc, (FrameError, IpcViolation)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class RenderProcessGoneDetails:
    """Why a renderer went away: ``reason`` (Electron's names) and ``exit_code``."""

    def __init__(self, reason: str, exit_code: int | None) -> None:
        self.reason = reason
        self.exit_code = exit_code

    def __repr__(self) -> str:
        return f"RenderProcessGoneDetails(reason={self.reason!r}, exit_code={self.exit_code!r})"


class LoadRequest:
    """What ``load_file``/``reload`` return: await it for did-finish-load.

    Loading starts when the request is made; awaiting is optional, as with
    Electron's promise. It raises if the page cannot load or its renderer dies
    before the load finished.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._done = trio.Event()
        self._error: BaseException | None = None

    def _finish(self, error: BaseException | None = None) -> None:
        if not self._done.is_set():
            self._error = error
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    async def wait(self) -> None:
        await self._done.wait()
        if self._error is not None:
            raise self._error

    def __await__(self) -> Generator[Any, None, None]:
        return self.wait().__await__()


def begin_spare(session: RendererSession) -> RendererProcess | None:
    """A spare renderer already told what to be (its ``Init``), or None.

    :meth:`~._renderer_session.RendererSession.start` calls this in its
    caller's turn, before :func:`supervise` runs as a task: a new window's
    spare then locks down and loads its page while main's loop maps and lays
    out the window (a Tk turn of ~2 ms before trio's next tick), not after
    it. None when no spare is alive, or when one could not be told (it is
    discarded: :func:`supervise` starts a renderer and reports the failure).
    """
    spare: RendererProcess | None = session.app._take_spare()
    if spare is None:
        return None
    try:
        spare.begin(_init(session))
    except OSError:
        spare.discard()
        return None
    return spare


async def supervise(session: RendererSession, request: LoadRequest, begun: RendererProcess | None = None) -> None:
    """Run one renderer for ``session`` from start to finish; always ends by reporting it.

    Whatever ends the reader — end of stream, a frame or message main
    cannot handle (any exception while handling it), a deadline, a kill —
    the same steps follow, in order: the renderer is killed if it broke
    the protocol, its connection is closed so every pending call both ways
    fails at once (RendererGoneError) and main's tasks for it are
    cancelled, then, once the process has exited (a renderer that closed
    its socket but keeps running is killed after CLOSED_GRACE seconds),
    ``render-process-gone`` fires exactly once with its reason. ``begun``:
    the spare :func:`begin_spare` gave its ``Init`` already.
    """
    app = session.app
    window_id = session.window_id
    try:
        # No spare was begun (none was alive, or its Init could not be made or
        # sent): one is started for this page.
        proc = begun if begun is not None else await RendererProcess.spawn(_init(session))
    except OSError as exc:
        _gone(session, RenderProcessGoneDetails("launch-failed", None), request, exc)
        return
    session.attach(proc)
    _limit(session, proc)
    session.ipc_logger.attach(proc.conn)
    app._renderers.add(proc)
    app._spawn(proc.pump_stderr, lambda line: _stderr_line(window_id, line))
    reason: str | None = None  # overrides the exit status's reason
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_write, proc)
            try:
                handler = RendererMessages(session, proc, request)
                handler.nursery = nursery
                await _read(session, handler)
            except Exception as exc:  # noqa: BLE001 - anything the renderer sent that main could not handle
                reason = "ipc-violation"
                # The renderer's fault, not main's: its message, without main's traceback.
                log.error("window %d: renderer broke the protocol (%s): killed", window_id, _describe(exc))  # noqa: TRY400
                proc.kill("ipc-violation")
            else:
                if proc.conn.partial and proc.kill_reason is None:
                    reason = "abnormal-exit"
                    log.error(
                        "window %d: renderer's connection ended in the middle of a frame (%d bytes of it)",
                        window_id,
                        proc.conn.partial,
                    )
            nursery.cancel_scope.cancel()  # the writer and main's send_sync answers for it
    except Exception:
        log.exception("window %d: supervising the renderer failed: killed", window_id)
        proc.kill()
    except BaseException:
        proc.kill()  # the app is going away (cancelled): the renderer goes too
        with trio.CancelScope(shield=True):
            await proc.wait()
        proc.close()
        app._renderers.discard(proc)
        raise
    # Fail what waits on it now, not after it exits: nothing can answer.
    proc.close()
    if session.process is proc:
        session.fail_pending()
    with trio.CancelScope(shield=True):
        with trio.move_on_after(CLOSED_GRACE):
            await proc.wait()
        if proc.returncode is None:
            log.error(
                "window %d: renderer closed its connection but kept running: killed after %g s",
                window_id,
                CLOSED_GRACE,
            )
            proc.kill("abnormal-exit")
        code = await proc.wait()
    if reason == "abnormal-exit" and code < 0:
        reason = None  # cut off mid-frame by a signal: the signal says why (killed, crashed)
    app._renderers.discard(proc)
    if session.detach(proc):
        session.fail_pending()
        # A renderer replaced by a new load is no loss, even when it exits
        # before its successor is attached (a zygote's fork is awaited).
        if not session.closed and proc.kill_reason != "replaced":
            why = proc.kill_reason or reason or exit_reason(code)
            _gone(session, RenderProcessGoneDetails(why, code), request)
    request._finish(RendererGoneError("the renderer exited before the page finished loading"))


async def _read(session: RendererSession, handler: RendererMessages) -> None:
    """Read the renderer until it closes its end: from a Tk file handler,
    handled inline, when the app runs on Tk (``_tk_reader``); else trio's reader."""
    compositor = session.app.compositor
    root = getattr(compositor, "root", None) if getattr(compositor, "name", None) == "tkhtml" else None
    if isinstance(root, tkinter.Misc) and hasattr(root.tk, "createfilehandler"):  # not on Windows' Tk
        await read_with_tk(root, handler)
    else:
        await handler.read_all()


def _init(session: RendererSession) -> Init:
    """The first message to the session's new renderer: its page, paths and limits."""
    from ._page_color_scheme import page_color_scheme  # native_theme (and jeepney) only once a page loads

    app = session.app
    page = session.page
    assert page is not None
    prefs = session.prefs
    roots = {page_folder(page, app.get_app_path()), app.get_app_path()}
    if prefs.preload:
        roots.add(str(Path(prefs.preload).parent))
    return Init(
        window_id=session.window_id,
        app_root=page_folder(page, app.get_app_path()),
        page=page,
        preload=prefs.preload,
        sandbox=prefs.sandbox,
        development=app.development,
        readable=app._readable_paths(sorted(roots)) if prefs.sandbox else [],
        max_frame=prefs.max_frame,
        channels={d: list(p) for d, p in prefs.channels.items()} if prefs.channels is not None else None,
        send_high_water=prefs.send_high_water,
        send_limit=prefs.send_limit,
        limits=prefs.renderer_limits(),
        color_scheme=page_color_scheme(),
        versions=renderer_versions(app.compositor),
    )


def _limit(session: RendererSession, proc: RendererProcess) -> None:
    """Apply the window's IPC limits to ``proc``'s connection (main's side)."""
    conn = proc.conn
    prefs = session.prefs
    conn.high_water = prefs.send_high_water
    conn.send_limit = prefs.send_limit
    conn.frame_timeout = prefs.frame_timeout
    conn.on_congestion = lambda congested: _congestion(session, proc, congested)
    conn.on_overflow = lambda queued: _overflow(session, proc, queued)


def _congestion(session: RendererSession, proc: RendererProcess, congested: bool) -> None:
    """Electron's ``unresponsive``/``responsive``: the renderer stopped/resumed reading."""
    if session.process is not proc or session.closed:
        return
    event = "unresponsive" if congested else "responsive"
    if congested:
        log.warning(
            "window %d: renderer is not reading: %d bytes queued for it (high-water mark %d)",
            session.window_id,
            proc.conn.queued,
            proc.conn.high_water,
        )
    wc = session.web_contents
    wc.emit(event, PreventableEvent(sender=wc))
    window = session.window
    if not window.is_destroyed():
        window.emit(event, PreventableEvent(sender=window))


def _overflow(session: RendererSession, proc: RendererProcess, queued: int) -> None:
    """The renderer let main's buffer for it reach the hard cap: it goes, never main."""
    log.error(
        "window %d: renderer stopped reading: %d bytes queued for it reached the limit of %d "
        "(web_preferences send_limit): killed",
        session.window_id,
        queued,
        proc.conn.send_limit,
    )
    proc.kill("oom")
    proc.close()  # the buffer goes now; later sends are dropped, not queued


def _stderr_line(window_id: int, line: str) -> None:
    print(f"[window {window_id}] stderr: {line}", flush=True)


async def _write(proc: RendererProcess) -> None:
    try:
        await proc.conn.run_writer()
    except ConnectionClosed:
        pass


def _gone(
    session: RendererSession,
    details: RenderProcessGoneDetails,
    request: LoadRequest,
    exc: BaseException | None = None,
) -> None:
    """Report the session's renderer gone: the load fails, the window shows it, events and hook."""
    session.crashed = True
    window = session.window
    log.warning("window %d: renderer gone (%s, exit code %s)", window.id, details.reason, details.exit_code)
    request._finish(RendererGoneError(f"renderer gone: {details.reason}"))
    window._surface.show_crashed(
        f"The page's renderer process is gone ({details.reason}, exit code {details.exit_code})."
    )
    wc = session.web_contents
    wc.emit("render-process-gone", PreventableEvent(sender=wc), details)
    session.app._call_hook("tkelectron_renderer_gone", window=window, details=details)
