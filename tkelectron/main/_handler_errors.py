"""What main says when its side of an IPC call goes wrong.

The renderer that called gets the error (an IpcRemoteError); main logs it as
well, so a failing handler never goes unnoticed in the terminal where the app
runs: the window, the channel, the user's file and line, and the traceback
(only the user's frames unless ``--verbose`` or ``TKELECTRON_DEBUG=1``, see
:class:`tkelectron.common._user_errors.UserErrorFormatter`).

A channel nobody handles is answered with the closest name that *is* handled
("did you mean 'greet'?"): a typo is the usual reason.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..common._errors import IpcValidationError
from ..common._user_errors import describe, did_you_mean
from ._context import current_session

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["known_channels", "log_handler_error", "log_listener_error", "suggestion"]

log = logging.getLogger("tkelectron.ipc")


def log_handler_error(window_id: int, channel: str, exc: BaseException) -> None:
    """Log what a main-side handler or listener of ``channel`` raised."""
    if isinstance(exc, IpcValidationError):  # the caller's arguments, not the handler: said once, briefly
        log.warning("window %d: invoke of %r refused: %s", window_id, channel, exc)
        return
    log.error("window %d: the handler of %r raised %s", window_id, channel, describe(exc), exc_info=exc)


def log_listener_error(window_id: int, channel: str, exc: BaseException) -> None:
    """Log what a main-side listener of a one-way ``send`` on ``channel`` raised.

    Nobody else hears of it: a ``send`` has no answer, so the renderer is not
    told, and the other listeners of the message still run.
    """
    log.error("window %d: a listener of %r raised %s", window_id, channel, describe(exc), exc_info=exc)


def known_channels(wc: WebContents, kind: str) -> list[str]:
    """The channels main answers for this window: ``handlers`` (invoke) or ``listeners`` (send)."""
    app_wide = current_session()  # ipc_main's tables are the app session's
    if kind == "handlers":
        return [*wc.ipc._handlers, *app_wide.ipc_handlers]
    return [*wc.ipc._listeners, *app_wide.ipc_listeners]


def suggestion(wc: WebContents, channel: str, kind: str) -> str:
    """`` (did you mean 'greet'?)`` naming the closest channel main answers, else ``""``."""
    return did_you_mean(channel, [name for name in known_channels(wc, kind) if name != channel])
