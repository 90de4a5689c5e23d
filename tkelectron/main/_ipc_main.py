"""``ipc_main``: the main process's end of user IPC channels.

The same class serves the app-wide ``ipc_main`` and each window's
``web_contents.ipc`` scope. For one-way messages the window's scope is told
first, then ``ipc_main``; for ``invoke`` the window's handler wins if it has
one (Electron's order, lib/browser/ipc-dispatch.ts).

Async listeners of one channel start in arrival order per sender: every
``IpcMain`` keys its listener calls by (sender, channel) in the main
process's one listener runner, so a window's messages on a channel run their
``async def`` listeners one after another — its scope's listeners, then
``ipc_main``'s — while other channels and other windows run concurrently.

A window's scope keeps its listeners and handlers itself (they go with the
window); the app-wide ``ipc_main``'s belong to the app session
(``_context``): registered before a run, they are that run's, and a new run
starts with none.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from ..common._emitter import EventEmitter
from ..common._messages import INTERNAL_PREFIX
from ._context import ListenerTable, current_session
from ._handler_errors import log_listener_error
from ._listeners import main_listeners

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["AppIpcMain", "IpcMain", "IpcMainEvent", "IpcMainInvokeEvent", "check_user_channel", "ipc_main", "listener_key",
           "sender_report"]

Handler = Callable[..., Any]

_UNSET: Any = object()


def check_user_channel(channel: str) -> None:
    """Refuse channels that are not strings or that are reserved for the framework."""
    if not isinstance(channel, str):
        raise TypeError(f"a channel name must be a str, not {type(channel).__name__}")
    if channel.startswith(INTERNAL_PREFIX):
        raise ValueError(f"channel {channel!r} is reserved for tkelectron (prefix {INTERNAL_PREFIX!r})")


class IpcMainEvent:
    """What a listener of a one-way message gets as its first argument.

    ``sender`` is the WebContents that sent it, ``process_id`` its renderer's
    pid, ``ports`` the MessagePortMain objects transferred with it. For a
    ``send_sync`` message, set ``return_value`` to answer.
    """

    def __init__(self, sender: WebContents, channel: str, ports: list[Any] | None = None,
                 process_id: int | None = None) -> None:
        self.sender = sender
        self.channel = channel
        # ``process_id`` given: the dispatch of a renderer's batch asked once for all its messages.
        self.process_id = sender.get_os_process_id() if process_id is None else process_id
        self.ports: list[Any] = ports or []
        self.return_value: Any = _UNSET
        self.default_prevented = False

    def reply(self, channel: str, *args: Any) -> None:
        """Send ``channel`` back to the window that sent this message."""
        self.sender.send(channel, *args)

    def prevent_default(self) -> None:
        self.default_prevented = True

    @property
    def has_return_value(self) -> bool:
        return self.return_value is not _UNSET

    # Electron's spelling, for people porting code.
    @property
    def returnValue(self) -> Any:
        return self.return_value

    @returnValue.setter
    def returnValue(self, value: Any) -> None:
        self.return_value = value


class IpcMainInvokeEvent:
    """The first argument of an ``invoke`` handler."""

    def __init__(self, sender: WebContents, channel: str) -> None:
        self.sender = sender
        self.channel = channel
        self.process_id = sender.get_os_process_id()


def listener_key(sender: Any, channel: str) -> Hashable:
    """The ordering key of a renderer's messages on ``channel``.

    Shared by ipc_main and every window's scope: one FIFO per (sender, channel).
    """
    return ("ipc", sender, channel)


def sender_report(sender: Any, channel: str) -> Callable[[BaseException], None] | None:
    """Where an exception of a listener of ``sender``'s message on ``channel``
    goes: logged with its window and channel (None: not a window's message)."""
    window = getattr(sender, "_window", None)
    if window is None:
        return None
    window_id = window.id
    return lambda exc: log_listener_error(window_id, channel, exc)


class IpcMain(EventEmitter):
    """Listeners (``on``/``once``) and handlers (``handle``) for user channels."""

    _listener_runner = main_listeners

    def __init__(self) -> None:
        super().__init__()
        self._handlers: dict[str, Handler] = {}

    def _order_key(self, event: str, args: tuple[Any, ...]) -> Hashable | None:
        sender = args[0].sender if args and isinstance(args[0], IpcMainEvent) else None
        return listener_key(sender, event)

    def _error_report(self, event: str, args: tuple[Any, ...]) -> Callable[[BaseException], None]:
        # A listener of a renderer's message is logged with its window and channel.
        sender = args[0].sender if args and isinstance(args[0], IpcMainEvent) else None
        report = sender_report(sender, event)
        # None: emitted by the app itself, not for a renderer
        return super()._error_report(event, args) if report is None else report

    def on(self, event: str, listener: Handler) -> IpcMain:
        check_user_channel(event)
        super().on(event, listener)
        return self

    def once(self, event: str, listener: Handler) -> IpcMain:
        check_user_channel(event)
        super().once(event, listener)
        return self

    def handle(self, channel: str, handler: Handler) -> None:
        """Answer ``invoke(channel, ...)`` with ``handler(event, *args)``.

        The handler may be sync or ``async def``; what it returns is cloned back
        to the caller, and what it raises reaches the caller as IpcRemoteError.
        A second handler for one channel is an error, as in Electron.
        """
        check_user_channel(channel)
        if not callable(handler):
            raise TypeError("handler must be callable")
        if channel in self._handlers:
            raise ValueError(f"Attempted to register a second handler for {channel!r}")
        self._handlers[channel] = handler

    def handle_once(self, channel: str, handler: Handler) -> None:
        """Like ``handle``, removed after its first call."""

        def once(event: Any, *args: Any) -> Any:
            self.remove_handler(channel)
            return handler(event, *args)

        self.handle(channel, once)

    def remove_handler(self, channel: str) -> None:
        self._handlers.pop(channel, None)

    def _handler(self, channel: str) -> Handler | None:
        return self._handlers.get(channel)


class AppIpcMain(IpcMain):
    """The app-wide ``ipc_main``: its listeners and handlers are the app session's."""

    @property
    def _handlers(self) -> dict[str, Handler]:
        return current_session().ipc_handlers

    @_handlers.setter
    def _handlers(self, table: dict[str, Handler]) -> None:
        current_session().ipc_handlers = table  # IpcMain.__init__'s empty table

    @property
    def _listeners(self) -> ListenerTable:
        return current_session().ipc_listeners

    @_listeners.setter
    def _listeners(self, table: ListenerTable) -> None:
        current_session().ipc_listeners = table  # EventEmitter.__init__'s empty table


async def call_handler(handler: Handler, *args: Any) -> Any:
    """Call a sync or async handler and return its (awaited) result."""
    result = handler(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


#: The app-wide instance.
ipc_main = AppIpcMain()
