"""MessageChannel and MessagePort in a renderer (the DOM's names)."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

from ..common._ports import MessageEvent, MessagePortBase
from ._ipc_renderer import ipc_renderer, renderer_listeners

__all__ = ["MessageChannel", "MessageEvent", "MessagePort"]


class MessagePort(MessagePortBase):
    """One end of a channel in this renderer; the same API as MessagePortMain.

    Ports that main (or another port) transfers here arrive in ``event.ports``.
    """

    _listener_runner = renderer_listeners

    def _spawn_system(self, fn: Callable[[], Awaitable[Any]]) -> None:
        ipc_renderer._runtime().nursery.start_soon(fn)

    def _report_listener_error(self, exc: BaseException) -> None:
        ipc_renderer._runtime().report_error(exc)


class MessageChannel:
    """A new pair of entangled ports made in this renderer."""

    def __init__(self) -> None:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.port1 = MessagePort(a)
        self.port2 = MessagePort(b)

    def __iter__(self) -> Any:
        return iter((self.port1, self.port2))
