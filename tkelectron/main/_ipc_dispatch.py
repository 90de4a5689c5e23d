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
from typing import TYPE_CHECKING, Any

from ..common._calls import error_info
from ..common._clone import to_wire
from ..common._errors import DataCloneError, NoHandlerError
from ..common._messages import INTERNAL_PREFIX, Invoke, Refused, Send, SendSync, SyncReply
from ..common._ports import socket_from_fd
from ._handler_errors import log_handler_error, suggestion
from ._ipc_main import IpcMainEvent, IpcMainInvokeEvent, call_handler, ipc_main, listener_key
from ._listeners import main_listeners
from ._ports import MessagePortMain

if TYPE_CHECKING:
    from ._renderer_session import RendererSession

__all__ = [
    "IpcViolation",
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
    reason = None
    window_id = session.window_id
    if not session.prefs.allows(channel, direction):
        reason = f"window {window_id} may not {direction} on {channel!r} (web_preferences['channels'])"
    elif session.app._call_hook_first("tkelectron_validate_ipc", event=event, channel=channel) is False:
        reason = f"a plugin refused {channel!r} from window {window_id} (tkelectron_validate_ipc)"
    if reason is None:
        return None
    log.warning("refused: %s", reason)
    return PermissionError(reason)


def dispatch_send(session: RendererSession, msg: Send, conn: Any) -> None:
    """A one-way message: the window's scope first, then ipc_main.

    The hot path of a burst of sends: nothing here runs for a feature the
    message does not use (fds only when it declares ports, ``ipc-message``
    only when someone listens for it).
    """
    channel = msg.channel
    check_renderer_channel(channel)
    check_listener_backlog(session, channel)
    wc = session.web_contents
    ports = [MessagePortMain(sock) for sock in _port_sockets(conn.take_fds(msg.ports))] if msg.ports else []
    event = IpcMainEvent(wc, channel, ports)
    refused = refusal(session, event, channel, "send")
    if refused is not None:
        for port in ports:
            port.close()
        session.send(Refused(channel, str(refused)))
        return
    args = msg.args
    heard = wc.ipc.emit(channel, event, *args)
    heard = ipc_main.emit(channel, event, *args) or heard
    if wc.listener_count("ipc-message"):
        wc.emit("ipc-message", channel)
    if not heard:
        log.warning(
            "window %d sent on %r, which has no listener in main%s",
            session.window_id, channel, suggestion(wc, channel, "listeners"),
        )


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
