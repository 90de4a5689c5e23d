"""MessageChannelMain and MessagePortMain (Electron's names, main process)."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from typing import Any

from ..common._ports import MessageEvent, MessagePortBase
from ._context import current_session
from ._listeners import main_listeners

__all__ = ["MessageChannelMain", "MessageEvent", "MessagePortMain"]


class MessagePortMain(MessagePortBase):
    """One end of a channel, held by the main process.

    ``post_message(msg, transfer=[...])``, ``start()``, ``close()``; events
    ``message`` (a MessageEvent with ``.data`` and ``.ports``) and ``close``.
    Hand it to a renderer with ``web_contents.post_message(ch, msg,
    transfer=[port])``.
    """

    _listener_runner = main_listeners

    def _spawn_system(self, fn: Callable[[], Awaitable[Any]]) -> None:
        nursery = current_session().nursery
        if nursery is None:
            raise RuntimeError("message ports need a running app")
        nursery.start_soon(fn)


class MessageChannelMain:
    """A pair of entangled ports, ``port1`` and ``port2``."""

    def __init__(self) -> None:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.port1 = MessagePortMain(a)
        self.port2 = MessagePortMain(b)

    def __iter__(self) -> Any:  # port1, port2 = MessageChannelMain()
        return iter((self.port1, self.port2))
