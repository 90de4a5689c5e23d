"""A renderer's batch of one-way sends (``Sends``), handled item by item.

A renderer coalesces a burst of ``ipc_renderer.send``/``post_message`` calls
into one frame (``renderer/_send_batch.py``). Main treats every item exactly
as the ``Send`` it is — :class:`~._ipc_dispatch.SendDispatch`, with all its
checks (reserved channels, the allowlist and plugins, the listener backlog,
ports) — in order. The batch itself is hostile input too: its length is
bounded by the decoder (``SENDS_MAX_ITEMS``), and its ``ports`` must be exactly
the sum of its items' (each a count of fds, never negative), checked before
any item runs, so no item can claim a file descriptor that came with another
frame. Anything wrong raises, and the renderer is killed as an
``ipc-violation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..common._messages import Sends
from ._ipc_dispatch import IpcViolation, SendDispatch

if TYPE_CHECKING:
    from ._renderer_session import RendererSession

__all__ = ["dispatch_sends"]


def dispatch_sends(session: RendererSession, msg: Sends, conn: Any) -> None:
    """Check a batch's fd count, then dispatch each item as a Send, in order."""
    declared = 0
    for item in msg.items:
        ports = item.ports
        if type(ports) is not int or ports < 0:
            raise IpcViolation(f"a batched send on {item.channel!r} announced {ports!r} ports")
        declared += ports
    if declared != msg.ports:
        raise IpcViolation(f"a batch of sends announced {msg.ports!r} ports, its items {declared}")
    SendDispatch(session, conn).dispatch_all(msg.items)
