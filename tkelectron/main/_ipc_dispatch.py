"""Answering what a renderer asks of main: send, send_sync, invoke.

Every user channel a renderer names is checked here first: a reserved
(internal) channel from a renderer is an ipc-violation, since user code in the
renderer is refused those channels before anything is sent, so only a
tampered renderer can produce one.

Each function takes the renderer's :class:`~._renderer_session.RendererSession`
(its window, preferences, sends and call engine); the session's
``web_contents`` is the ``sender`` of the events main's listeners get.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

from ..common._calls import error_info
from ..common._clone import to_wire
from ..common._errors import DataCloneError, NoHandlerError
from ..common._messages import INTERNAL_PREFIX, Invoke, Refused, Send, SendSync, SyncReply
from ..common._ports import socket_from_fd
from ._context import current_session
from ._handler_errors import log_handler_error, suggestion
from ._ipc_main import IpcMainEvent, IpcMainInvokeEvent, call_handler, ipc_main, listener_key, sender_report
from ._listeners import main_listeners
from ._ports import MessagePortMain

if TYPE_CHECKING:
    from ._renderer_session import RendererSession

__all__ = [
    "IpcViolation",
    "SendDispatch",
    "answer_invoke",
    "answer_send_sync",
    "check_listener_backlog",
    "check_renderer_channel",
    "dispatch_send",
    "refusal",
]

log = logging.getLogger("tkelectron.ipc")


class IpcViolation(Exception):
    """A renderer broke the protocol; it will be killed."""


def check_renderer_channel(channel: str) -> None:
    """Refuse a reserved (internal) channel named by a renderer: an IpcViolation."""
    if channel.startswith(INTERNAL_PREFIX):
        raise IpcViolation(f"user message on the reserved channel {channel!r}")


def check_listener_backlog(session: RendererSession, channel: str) -> None:
    """Refuse a message when too many async listener calls for this
    renderer's earlier ones on ``channel`` still wait (an IpcViolation).

    Main cannot stop reading the renderer instead — a listener awaiting
    ``web_contents.invoke`` on the same renderer would wait for an answer
    behind the pause — so the bound is a kill, like the send buffer's.
    """
    waiting = main_listeners.pending(listener_key(session.web_contents, channel))
    limit = session.prefs.listener_backlog
    if waiting >= limit:
        raise IpcViolation(
            f"{waiting} calls of main's async listeners wait for messages on {channel!r} "
            f"(web_preferences listener_backlog is {limit})"
        )


def refusal(session: RendererSession, event: Any, channel: str, direction: str) -> PermissionError | None:
    """Why main refuses this message, or None: the window's channel allowlist
    first, then every plugin's ``tkelectron_validate_ipc`` (Electron's
    checklist item 17: validate the sender of every IPC message)."""
    allowed = session.prefs.allows(channel, direction)
    if allowed and not current_session().implements("tkelectron_validate_ipc"):
        return None  # every invoke asks: no plugin to call, no message to build
    reason = None
    window_id = session.window_id
    if not allowed:
        reason = f"window {window_id} may not {direction} on {channel!r} (web_preferences['channels'])"
    elif session.app._call_hook_first("tkelectron_validate_ipc", event=event, channel=channel) is False:
        reason = f"a plugin refused {channel!r} from window {window_id} (tkelectron_validate_ipc)"
    if reason is None:
        return None
    log.warning("refused: %s", reason)
    return PermissionError(reason)


def dispatch_send(session: RendererSession, msg: Send, conn: Any) -> None:
    """A one-way message: the window's scope first, then ipc_main."""
    SendDispatch(session, conn).dispatch(msg)


class _Route:
    """What a frame's messages on one channel share: their ordering key, where
    their listeners' errors go, and the window's allowlist verdict."""

    __slots__ = ("allowed", "key", "report")

    def __init__(self, key: Hashable, report: Callable[[BaseException], None], allowed: bool) -> None:
        self.key = key
        self.report = report
        self.allowed = allowed


class SendDispatch:
    """Delivers one frame's one-way messages (a Send, or a batch's items) from a renderer.

    The hot path of a burst of sends. What every message of the frame shares
    — the sender and its pid, the listener backlog limit, whether any plugin
    validates IPC, the window's and the app's listener tables — is looked up
    once, and what the frame's messages on one
    channel share (see :class:`_Route`) once per channel: a frame holds at
    most ``SENDS_MAX_ITEMS`` messages, so the routes stay few. Each message
    still gets every check of its own, in the same order as alone: the
    reserved prefix, the listener backlog, its ports, the allowlist and the
    plugins' verdict. Nothing runs for a feature the message does not use
    (fds only when it declares ports, the allowlist and plugins only when
    they have a say, ``ipc-message`` only when someone listens for it), and
    a sync listener is called right from the loop
    (:meth:`~tkelectron.common._listeners.ListenerRunner.call_each`), no
    emit in between (1.07 -> 0.75 µs a message, the bench's listener).
    """

    def __init__(self, session: RendererSession, conn: Any) -> None:
        self.session = session
        self.conn = conn
        wc = session.web_contents
        self.wc = wc
        self.process_id = wc.get_os_process_id()
        self.limit = session.prefs.listener_backlog
        # Asked once per frame: a plugin registered by a listener meanwhile
        # validates from the renderer's next frame on.
        self.validated = current_session().implements("tkelectron_validate_ipc")
        self.routes: dict[str, _Route] = {}

    def _route(self, channel: str) -> _Route:
        check_renderer_channel(channel)
        wc = self.wc
        report = sender_report(wc, channel) or ipc_main._report_listener_error
        route = _Route(listener_key(wc, channel), report, self.session.prefs.allows(channel, "send"))
        self.routes[channel] = route
        return route

    def dispatch_all(self, items: Iterable[Send]) -> None:
        """Deliver each message, in order (an exception stops the rest: the renderer is killed)."""
        session = self.session
        routes = self.routes
        pending = main_listeners.pending
        limit = self.limit
        wc = self.wc
        process_id = self.process_id
        # The listener tables, looked up once per frame: each message still
        # reads its channel's entries, so a listener added or removed by a
        # listener counts from the next message on.
        scope, scope_runner = wc.ipc._listeners, wc.ipc._listener_runner
        app_table, app_runner = ipc_main._listeners, ipc_main._listener_runner
        wc_listeners = wc._listeners
        validated = self.validated
        for msg in items:
            channel = msg.channel
            route = routes.get(channel) or self._route(channel)  # raises for a reserved channel
            key = route.key
            if pending(key) >= limit:
                check_listener_backlog(session, channel)  # the IpcViolation, with its message
            if msg.ports or validated or not route.allowed:
                event = self._checked_event(msg, route)
                if event is None:
                    continue
            else:
                event = IpcMainEvent(wc, channel, None, process_id)
            args = (event, *msg.args)
            report = route.report
            heard = False
            entries = scope.get(channel)
            if entries:
                scope_runner.call_each(key, entries, args, report)
                heard = True
            entries = app_table.get(channel)
            if entries:
                app_runner.call_each(key, entries, args, report)
                heard = True
            if wc_listeners.get("ipc-message"):
                wc.emit("ipc-message", channel)
            if not heard:
                log.warning(
                    "window %d sent on %r, which has no listener in main%s",
                    session.window_id, channel, suggestion(wc, channel, "listeners"),
                )

    def dispatch(self, msg: Send) -> None:
        self.dispatch_all((msg,))

    def _checked_event(self, msg: Send, route: _Route) -> IpcMainEvent | None:
        """The event of a message with ports, or one the allowlist or a plugin
        must judge; None when it is refused (its ports closed, Refused sent)."""
        channel = msg.channel
        ports = [MessagePortMain(sock) for sock in _port_sockets(self.conn.take_fds(msg.ports))] if msg.ports else []
        event = IpcMainEvent(self.wc, channel, ports, self.process_id)
        if self.validated or not route.allowed:
            refused = refusal(self.session, event, channel, "send")
            if refused is not None:
                for port in ports:
                    port.close()
                self.session.send(Refused(channel, str(refused)))
                return None
        return event


def _port_sockets(fds: list[int]) -> list[Any]:
    """Wrap each received fd as a port socket; on a bad one, close them all (once)."""
    socks = []
    for i, fd in enumerate(fds):
        try:
            socks.append(socket_from_fd(fd))  # closes ``fd`` itself when it refuses it
        except BaseException:
            for sock in socks:
                sock.close()
            for rest in fds[i + 1 :]:
                os.close(rest)
            raise
    return socks


async def answer_send_sync(session: RendererSession, msg: SendSync) -> None:
    """Run the listeners of a send_sync and answer with event.return_value.

    Async listeners are awaited. If none sets ``return_value`` the renderer
    gets an error at once instead of hanging (electron#31321).
    """
    check_renderer_channel(msg.channel)
    wc = session.web_contents
    event = IpcMainEvent(wc, msg.channel)
    listeners = wc.ipc.listeners(msg.channel) + ipc_main.listeners(msg.channel)
    error: BaseException | None = refusal(session, event, msg.channel, "send")
    if error is not None:
        listeners = []
    elif not listeners:
        error = NoHandlerError(f"No listener registered for {msg.channel!r}{suggestion(wc, msg.channel, 'listeners')}")
    for listener in listeners:
        try:
            await call_handler(listener, event, *msg.args)
        except Exception as exc:  # noqa: BLE001 - an app listener's error goes back to the renderer, main goes on
            log_handler_error(session.window_id, msg.channel, exc)
            error = exc
            break
    if error is None and not event.has_return_value:
        error = NoHandlerError(f"no listener of {msg.channel!r} set event.return_value")
    reply: SyncReply
    if error is None:
        try:
            reply = SyncReply(msg.id, value=to_wire(event.return_value, "event.return_value"))
        except DataCloneError as exc:
            reply = SyncReply(msg.id, error=error_info(exc, session.development))
    else:
        reply = SyncReply(msg.id, error=error_info(error, session.development))
    session.send(reply)


def answer_invoke(session: RendererSession, msg: Invoke) -> None:
    """Start the handler of an invoke (or stream); the window's own handler wins."""
    wc = session.web_contents
    if msg.channel.startswith(INTERNAL_PREFIX) and not msg.stream:
        from ._internal_channels import internal_channel

        internal = internal_channel(msg.channel)  # the framework's own (page Notification, color scheme)
        if internal is not None:
            internal.check(wc, msg.args)  # an IpcViolation for a malformed request
            session.answers.start(msg, internal.handler, IpcMainInvokeEvent(wc, msg.channel))
            return
    check_renderer_channel(msg.channel)
    handler = wc.ipc._handler(msg.channel) or ipc_main._handler(msg.channel)
    event = IpcMainInvokeEvent(wc, msg.channel)
    refused: BaseException | None = refusal(session, event, msg.channel, "invoke")
    if refused is None and handler is None:
        refused = NoHandlerError(f"No handler registered for {msg.channel!r}{suggestion(wc, msg.channel, 'handlers')}")
    session.answers.start(msg, handler, event, refused)
