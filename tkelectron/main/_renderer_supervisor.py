"""Starting, watching and stopping the renderer behind a WebContents.

A WebContents starts a renderer for every page it loads and supervises it:
it routes the renderer's messages (``_renderer_messages``), and when the
process dies unexpectedly it reports ``render-process-gone`` and shows the
crash in the window. Main never goes down with a renderer. Kept apart from
``_web_contents`` (the public API) so each stays readable.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Generator

import trio

from ..common._connection import ConnectionClosed
from ..common._emitter import PreventableEvent
from ..common._errors import RendererGoneError
from ..common._framing import FrameError
from ..common._messages import Init, Shutdown
from ._ipc_dispatch import IpcViolation
from ._load_url import page_folder
from ._renderer_messages import RendererMessages
from ._renderer_process import RendererProcess, exit_reason
from ._versions import renderer_versions

__all__ = ["RendererSupervisor", "LoadRequest", "RenderProcessGoneDetails"]

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


class RendererSupervisor:
    """The renderer lifecycle half of :class:`~._web_contents.WebContents`."""

    def _start(self) -> LoadRequest:
        from ._app import app

        assert self._page is not None
        old = self._renderer
        if old is not None:
            old.kill("replaced")
        if self._load is not None:
            self._load._finish(RuntimeError("the load was replaced by a newer one"))
        request = LoadRequest(self._page)
        self._load = request
        self._crashed = False
        # Input sent to the old renderer will never be answered: count it settled.
        self._settled_seq = self._event_seq
        self._settled.set()
        app._spawn(self._run_renderer, request)
        return request

    def _init(self) -> Init:
        from ._app import app
        from ._page_color_scheme import page_color_scheme  # native_theme (and jeepney) only once a page loads

        assert self._page is not None
        prefs = self._prefs
        roots = {page_folder(self._page, app.get_app_path()), app.get_app_path()}
        if prefs.preload:
            roots.add(str(Path(prefs.preload).parent))
        return Init(
            window_id=self._window.id,
            app_root=page_folder(self._page, app.get_app_path()),
            page=self._page,
            preload=prefs.preload,
            sandbox=prefs.sandbox,
            development=app.development,
            readable=app._readable_paths(sorted(roots)) if prefs.sandbox else [],
            max_frame=prefs.max_frame,
            channels={d: list(p) for d, p in prefs.channels.items()} if prefs.channels is not None else None,
            send_high_water=prefs.send_high_water,
            send_limit=prefs.send_limit,
            limits=prefs.renderer_limits(),
            color_scheme=page_color_scheme(),  # type: ignore[arg-type]
            versions=renderer_versions(app.compositor),
        )

    async def _run_renderer(self, request: LoadRequest) -> None:
        """Run one renderer from start to finish; always ends by reporting it.

        Whatever ends the reader — end of stream, a frame or message main
        cannot handle (any exception while handling it), a deadline, a kill —
        the same steps follow, in order: the renderer is killed if it broke
        the protocol, its connection is closed so every pending call both ways
        fails at once (RendererGoneError) and main's tasks for it are
        cancelled, then, once the process has exited (a renderer that closed
        its socket but keeps running is killed after CLOSED_GRACE seconds),
        ``render-process-gone`` fires exactly once with its reason.
        """
        from ._app import app

        try:
            init = self._init()
            proc = app._take_spare()
            if proc is None:
                proc = await RendererProcess.spawn(init)
            else:
                proc.begin(init)
        except OSError as exc:
            self._gone(None, RenderProcessGoneDetails("launch-failed", None), request, exc)
            return
        self._renderer = proc
        self._limit(proc)
        self._ipc_logger.attach(proc.conn)
        app._renderers.add(proc)
        app._spawn(proc.pump_stderr, self._stderr_line)
        reason: str | None = None  # overrides the exit status's reason
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._write, proc)
                try:
                    handler = RendererMessages(self, proc, request)
                    handler.nursery = nursery
                    await handler.read_all()
                except Exception as exc:  # noqa: BLE001 - anything the renderer sent that main could not handle
                    reason = "ipc-violation"
                    log.error("window %d: renderer broke the protocol (%s): killed", self._window.id, _describe(exc))
                    proc.kill("ipc-violation")
                else:
                    if proc.conn.partial and proc.kill_reason is None:
                        reason = "abnormal-exit"
                        log.error(
                            "window %d: renderer's connection ended in the middle of a frame (%d bytes of it)",
                            self._window.id,
                            proc.conn.partial,
                        )
                nursery.cancel_scope.cancel()  # the writer and main's send_sync answers for it
        except Exception:  # noqa: BLE001 - a fault in main's own tasks for it: the renderer goes, main stays
            log.exception("window %d: supervising the renderer failed: killed", self._window.id)
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
        if self._renderer is proc:
            self._fail_pending()
        with trio.CancelScope(shield=True):
            with trio.move_on_after(CLOSED_GRACE):
                await proc.wait()
            if proc.returncode is None:
                log.error(
                    "window %d: renderer closed its connection but kept running: killed after %g s",
                    self._window.id,
                    CLOSED_GRACE,
                )
                proc.kill("abnormal-exit")
            code = await proc.wait()
        if reason == "abnormal-exit" and code < 0:
            reason = None  # cut off mid-frame by a signal: the signal says why (killed, crashed)
        app._renderers.discard(proc)
        if self._renderer is proc:
            self._renderer = None
            self._fail_pending()
            if not self._destroyed:
                why = proc.kill_reason or reason or exit_reason(code)
                self._gone(proc, RenderProcessGoneDetails(why, code), request)
        request._finish(RendererGoneError("the renderer exited before the page finished loading"))

    def _limit(self, proc: RendererProcess) -> None:
        """Apply the window's IPC limits to ``proc``'s connection (main's side)."""
        conn = proc.conn
        prefs = self._prefs
        conn.high_water = prefs.send_high_water
        conn.send_limit = prefs.send_limit
        conn.frame_timeout = prefs.frame_timeout
        conn.on_congestion = lambda congested: self._congestion(proc, congested)
        conn.on_overflow = lambda queued: self._overflow(proc, queued)

    def _congestion(self, proc: RendererProcess, congested: bool) -> None:
        """Electron's ``unresponsive``/``responsive``: the renderer stopped/resumed reading."""
        if self._renderer is not proc or self._destroyed:
            return
        event = "unresponsive" if congested else "responsive"
        if congested:
            log.warning(
                "window %d: renderer is not reading: %d bytes queued for it (high-water mark %d)",
                self._window.id,
                proc.conn.queued,
                proc.conn.high_water,
            )
        self.emit(event, PreventableEvent(sender=self))
        window = self._window
        if not window.is_destroyed():
            window.emit(event, PreventableEvent(sender=window))

    def _overflow(self, proc: RendererProcess, queued: int) -> None:
        """The renderer let main's buffer for it reach the hard cap: it goes, never main."""
        log.error(
            "window %d: renderer stopped reading: %d bytes queued for it reached the limit of %d "
            "(web_preferences send_limit): killed",
            self._window.id,
            queued,
            proc.conn.send_limit,
        )
        proc.kill("oom")
        proc.close()  # the buffer goes now; later sends are dropped, not queued

    def _stderr_line(self, line: str) -> None:
        print(f"[window {self._window.id}] stderr: {line}", flush=True)

    async def _write(self, proc: RendererProcess) -> None:
        try:
            await proc.conn.run_writer()
        except ConnectionClosed:
            pass

    def _gone(
        self,
        proc: RendererProcess | None,
        details: RenderProcessGoneDetails,
        request: LoadRequest,
        exc: BaseException | None = None,
    ) -> None:
        from ._app import app

        self._crashed = True
        log.warning("window %d: renderer gone (%s, exit code %s)", self._window.id, details.reason, details.exit_code)
        request._finish(RendererGoneError(f"renderer gone: {details.reason}"))
        self._window._surface.show_crashed(
            f"The page's renderer process is gone ({details.reason}, exit code {details.exit_code})."
        )
        self.emit("render-process-gone", PreventableEvent(sender=self), details)
        app._call_hook("tkelectron_renderer_gone", window=self._window, details=details)

    def _fail_pending(self) -> None:
        self._answers.cancel_all()
        self._calls.fail_all("the renderer went away before answering")
        self._settled.set()

    def _shutdown(self) -> None:
        """Ask the renderer to exit and make sure it does (the window is going)."""
        self._destroyed = True
        proc = self._renderer
        if proc is None:
            return
        self._send_to_renderer(Shutdown())
        self._fail_pending()

        async def reap() -> None:
            with trio.move_on_after(1.0):
                await proc.wait()
            proc.kill()

        from ._app import app

        app._spawn(reap)
        self.emit("destroyed", PreventableEvent(sender=self))
