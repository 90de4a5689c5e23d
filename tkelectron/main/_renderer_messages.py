"""Reading one renderer's messages and routing each to where it belongs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..common._connection import ConnectionClosed
from ..common._emitter import PreventableEvent
from ..common._errors import remote_error
from ..common._messages import (
    Cancel,
    Commit,
    Console,
    DidFinishLoad,
    Failure,
    Invoke,
    LoadFailed,
    Navigate,
    PreloadError,
    Ready,
    Result,
    Send,
    SendSync,
    SetTitle,
    Settled,
    StreamCredit,
    StreamItem,
)
from ._ipc_dispatch import IpcViolation, answer_invoke, answer_send_sync, dispatch_send
from ._navigation import navigate

if TYPE_CHECKING:
    from ._renderer_process import RendererProcess
    from ._web_contents import LoadRequest, WebContents

__all__ = ["RendererMessages"]

log = logging.getLogger("tkelectron")


class RendererMessages:
    """The main-process side of one renderer's connection."""

    def __init__(self, wc: "WebContents", proc: "RendererProcess", request: "LoadRequest") -> None:
        self.wc = wc
        self.proc = proc
        self.request = request
        self.ready = False

    async def read_all(self) -> None:
        """Handle messages until the renderer closes its end."""
        conn = self.proc.conn
        while True:
            try:
                msg = await conn.receive()
            except ConnectionClosed:
                return
            if not self.ready and not isinstance(msg, Ready):
                raise IpcViolation(f"{type(msg).__name__} before Ready")
            self.handle(msg)

    def handle(self, msg: Any) -> None:
        from ._app import app

        wc = self.wc
        window = wc._window
        if isinstance(msg, Commit):
            if window.is_destroyed():
                return  # a last commit racing the window's close: nothing to draw on
            window._surface.apply(msg.ops)
            for op in msg.ops:
                if isinstance(op, SetTitle):
                    window._page_title_updated(op.title)
            wc.emit("dom-commit", msg.ops)
        elif isinstance(msg, Send):
            dispatch_send(wc, msg, self.proc.conn)
        elif isinstance(msg, Invoke):
            answer_invoke(wc, msg)
        elif isinstance(msg, SendSync):
            app._spawn(answer_send_sync, wc, msg)
        elif isinstance(msg, (Result, Failure, StreamItem)):
            wc._calls.on_message(msg)
        elif isinstance(msg, Cancel):
            wc._answers.cancel(msg.id)
        elif isinstance(msg, StreamCredit):
            wc._answers.credit(msg)
        elif isinstance(msg, Settled):
            wc._settled_seq = max(wc._settled_seq, msg.seq)
            if wc._settled_seq >= wc._event_seq:
                wc._settled.set()
            wc.emit("input-settled", msg.seq)
        elif isinstance(msg, Console):
            self._console(msg)
        elif isinstance(msg, DidFinishLoad):
            if msg.title:
                window._page_title_updated(msg.title)
            wc.emit("did-finish-load", PreventableEvent(sender=wc))
            self.request._finish()
        elif isinstance(msg, PreloadError):
            err = remote_error(msg.error.type, msg.error.message, None, msg.error.traceback, msg.error.module)
            log.error("window %d: preload %s failed: %s", window.id, msg.path, err)
            if msg.error.traceback:
                log.error("%s", msg.error.traceback)
            wc.emit("preload-error", PreventableEvent(sender=wc), msg.path, err)
        elif isinstance(msg, LoadFailed):
            err = remote_error(msg.error.type, msg.error.message, None, msg.error.traceback, msg.error.module)
            log.error("window %d: loading %s failed: %s", window.id, msg.path, err)
            wc.emit("did-fail-load", PreventableEvent(sender=wc), msg.path, err)
            self.request._finish(err)
        elif isinstance(msg, Navigate):
            navigate(wc, msg.url)
        elif isinstance(msg, Ready):
            if self.ready:
                raise IpcViolation("a second Ready")
            self.ready = True
            wc._sandbox_report = dict(msg.sandbox)
            missing = msg.sandbox.get("missing") or []
            if missing and wc._prefs.sandbox is True:
                log.warning("window %d: renderer sandbox is missing: %s", window.id, ", ".join(missing))
        else:  # a type the decoder accepts but main never expects from a renderer
            raise IpcViolation(f"unexpected {type(msg).__name__}")

    def _console(self, msg: Console) -> None:
        wc = self.wc
        where = f" ({msg.source}:{msg.line})" if msg.source else ""
        print(f"[window {wc._window.id}] {msg.level}: {msg.message}{where}", flush=True)
        wc.emit("console-message", PreventableEvent(sender=wc), msg.level, msg.message, msg.line, msg.source)
