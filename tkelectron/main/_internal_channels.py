"""The framework's own channels (``tke:...``) that a renderer may invoke.

User code can neither name nor handle a reserved channel (``_ipc_dispatch``),
so these are only ever invoked by the renderer's framework code on the
page's behalf: the page's ``window.Notification``, its
``prefers-color-scheme`` and its ``window.open``. Each has a ``check(web_contents, args)`` that runs synchronously, before
anything else, on the arguments exactly as they arrived: a wrong shape is an
``IpcViolation`` (an honest renderer's page-side code validated them
already, so only a tampered renderer sends one), and main kills the renderer.
The handler then runs like a user handler, answered by Result or Failure;
the window's channel allowlist does not apply (these are not user channels).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["InternalChannel", "internal_channel"]


class InternalChannel:
    """One framework channel: its argument check and its handler."""

    def __init__(self, check: Callable[[Any, list[Any]], None], handler: Callable[..., Any]) -> None:
        self.check = check
        self.handler = handler


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
}


def internal_channel(channel: str) -> InternalChannel | None:
    """The framework channel ``channel`` names, or None (then it is reserved and refused)."""
    module = _MODULES.get(channel)
    if module is None:
        return None
    channels: dict[str, InternalChannel] = importlib.import_module(module, __package__).CHANNELS
    return channels[channel]
