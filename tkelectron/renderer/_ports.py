"""MessageChannel and MessagePort in a renderer (the DOM's names)."""

from __future__ import annotations

import socket
from typing import Any, Awaitable, Callable

from ..common._ports import MessageEvent, MessagePortBase

__all__ = ["MessageChannel", "MessagePort", "MessageEvent"]


class MessagePort(MessagePortBase):
    """One end of a channel in this renderer; the same API as MessagePortMain.

    Ports that main (or another port) transfers here arrive in ``event.ports``.
    """

    def _spawn_system(self, fn: Callable[[], Awaitable[Any]]) -> None:
        from ._ipc_renderer import ipc_renderer

        ipc_renderer._runtime().nursery.start_soon(fn)

    def _spawn_listener(self, fn: Callable[[], Awaitable[Any]]) -> None:
        from ._ipc_renderer import ipc_renderer

        ipc_renderer._runtime().spawn(fn)

    def _report_listener_error(self, exc: BaseException) -> None:
        from ._ipc_renderer import ipc_renderer

        ipc_renderer._runtime().report_error(exc)


class MessageChannel:
    """A new pair of entangled ports made in this renderer."""

    def __init__(self) -> None:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.port1 = MessagePort(a)
        self.port2 = MessagePort(b)

    def __iter__(self) -> Any:
        return iter((self.port1, self.port2))
