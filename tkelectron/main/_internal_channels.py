"""The framework's own channels (``tke:...``) that a renderer may invoke.

User code can neither name nor handle a reserved channel (``_ipc_dispatch``),
so these are only ever invoked by the renderer's framework code on the
page's behalf: the page's ``window.Notification``, its
``prefers-color-scheme`` and its ``window.open``, and the preload's
``web_utils.get_path_for_file``. Each has a ``check(web_contents, args)`` that runs synchronously, before
anything else, on the arguments exactly as they arrived: a wrong shape is an
``IpcViolation`` (an honest renderer's page-side code validated them
already, so only a tampered renderer sends one), and main kills the renderer.
The handler then runs like a user handler, answered by Result or Failure;
the window's channel allowlist does not apply (these are not user channels).
A channel made with ``sync=True`` is asked with ``send_sync`` instead: its
handler answers at once, in main's loop (:func:`answer_internal_send_sync`),
and must not block or await.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..common._messages import INTERNAL_PREFIX, SendSync, SyncReply

if TYPE_CHECKING:
    from ._renderer_session import RendererSession

__all__ = ["InternalChannel", "answer_internal_send_sync", "internal_channel"]


class InternalChannel:
    """One framework channel: its argument check and its handler."""

    def __init__(
        self, check: Callable[[Any, list[Any]], None], handler: Callable[..., Any], *, sync: bool = False
    ) -> None:
        self.check = check
        self.handler = handler
        #: Asked with send_sync (answered at once), not invoke.
        self.sync = sync


#: Framework channel -> the module that defines it (imported on first use).
_MODULES = {
    "tke:notification.permission": "._page_notifications",
    "tke:notification.show": "._page_notifications",
    "tke:notification.close": "._page_notifications",
    "tke:color-scheme.watch": "._page_color_scheme",
    "tke:window.open": "._window_open",
    "tke:dom.rect": "._page_layout",
    "tke:dom.scroll-into-view": "._page_layout",
    "tke:input.listen": "._page_input",
    "tke:input.context-menu": "._page_input",
    "tke:web-utils.path-for-file": "._page_file_paths",
}


def internal_channel(channel: str) -> InternalChannel | None:
    """The framework channel ``channel`` names, or None (then it is reserved and refused)."""
    module = _MODULES.get(channel)
    if module is None:
        return None
    channels: dict[str, InternalChannel] = importlib.import_module(module, __package__).CHANNELS
    return channels[channel]


def answer_internal_send_sync(session: RendererSession, msg: SendSync) -> bool:
    """Answer ``msg`` if it asks a framework ``sync`` channel (True), else leave it (False).

    The check runs first (an ``IpcViolation`` for a malformed request), then
    the handler, synchronously: the renderer is blocked on the answer, and a
    sync channel's handler only looks something up in main.
    """
    if not msg.channel.startswith(INTERNAL_PREFIX):
        return False
    internal = internal_channel(msg.channel)
    if internal is None or not internal.sync:
        return False  # a reserved channel: the caller refuses it
    from ._ipc_main import IpcMainEvent

    wc = session.web_contents
    internal.check(wc, msg.args)
    session.send(SyncReply(msg.id, value=internal.handler(IpcMainEvent(wc, msg.channel), *msg.args)))
    return True
