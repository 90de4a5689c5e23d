"""Pages follow ``native_theme``: ``prefers-color-scheme`` for every renderer.

Tkhtml ignores ``@media`` rules, so the renderer resolves them
(``renderer/_color_scheme``) for the scheme main tells it: the first in its
``Init`` (``color_scheme``, what ``native_theme`` says then), every later one
on the framework channel ``tke:color-scheme`` whenever
``should_use_dark_colors`` changes (the desktop's portal setting, or the
app's ``native_theme.theme_source``). A page that uses ``prefers-color-scheme``
(in its CSS or through ``window.match_media``) invokes
``tke:color-scheme.watch`` once, which makes main watch the desktop's settings
portal (a D-Bus connection, opened only when some page cares) and answers the
scheme as main knows it then.
"""

from __future__ import annotations

from typing import Any, Literal

from ..common._messages import Message
from ._context import current_session
from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation
from ._native_theme import native_theme

__all__ = ["CHANNELS", "SCHEME_CHANNEL", "ColorScheme", "page_color_scheme", "pages_follow"]

ColorScheme = Literal["light", "dark"]

SCHEME_CHANNEL = "tke:color-scheme"

_told: list[str] = []  # the scheme the renderers were last told (empty: none yet)


def page_color_scheme() -> ColorScheme:
    """The scheme a new renderer starts with; from then on every change is sent to it."""
    scheme = _scheme()
    if not _told:
        _told.append(scheme)
    return scheme


def _scheme() -> ColorScheme:
    return "dark" if native_theme._dark else "light"


def pages_follow() -> None:
    """Tell every renderer the scheme, when it is not the one they were last told.

    ``native_theme`` calls this whenever its colours change, as one of its
    followers (not a listener of its ``updated`` event, which would start the
    portal watcher, and which an app may remove).
    """
    scheme = _scheme()
    if not _told or _told[0] == scheme:
        return  # no renderer yet (each starts from its Init), or nothing new for the pages
    _told[0] = scheme
    for window in list(current_session().windows.values()):  # devtools pages follow the scheme too
        wc = window.web_contents
        if wc._renderer is not None:
            wc._send_to_renderer(Message(SCHEME_CHANNEL, [scheme]))


def _check_watch(wc: Any, args: list[Any]) -> None:
    if args:
        raise IpcViolation("tke:color-scheme.watch takes no arguments")


def _watch(event: Any) -> str:
    native_theme._ensure_watching()
    return page_color_scheme()


CHANNELS = {"tke:color-scheme.watch": InternalChannel(_check_watch, _watch)}


# Loaded with the first page (the renderer supervisor asks its scheme): from
# then on the pages follow every change of the theme.
native_theme._followers.append(pages_follow)
