"""Find in page: Electron's ``web_contents.find_in_page`` / ``stop_find_in_page``.

Main searches what it displays (the compositor's ``find_text``: Tkhtml's
laid-out text with its tags as highlights, or the headless mirror's text),
never the renderer: a page cannot see, answer or fake a search. Every call
returns a request id (counting from 1 per web contents) and is answered by
one ``found-in-page`` event ``(event, result)``, emitted from a task, so a
listener added right after the call hears it. ``result`` has Electron's
fields in snake_case: ``request_id``, ``active_match_ordinal`` (1-based),
``matches``, ``selection_area`` (``{"x", "y", "width", "height"}`` of the
current match in the window's page view) and ``final_update`` (always True:
the whole document is searched at once).

Options, Electron's (snake_case or camelCase): ``forward`` (default True),
``find_next`` (True begins a new search session; a call without it, with
the same text and case, moves to the next match — or the previous one with
``forward=False`` — wrapping around; another text begins a new session) and
``match_case`` (default False). The text is a literal, not a pattern; an
empty one is a ``ValueError`` (as in Electron), and so is one over
:data:`MAX_FIND_TEXT` characters.

``stop_find_in_page(action)``: ``"clearSelection"`` takes every highlight
away; ``"keepSelection"`` keeps the current match highlighted;
``"activateSelection"`` keeps it too and clicks the element that holds it,
as the user would (the page gets a ``click``; a link is followed, as
Electron's does).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..common._emitter import PreventableEvent
from ._menu_roles import spawn

if TYPE_CHECKING:
    from ._web_contents import WebContents

__all__ = ["MAX_FIND_TEXT", "FoundInPageResult", "find_in_page", "stop_find_in_page"]

#: The longest text find_in_page looks for (Chromium has no limit; a page
#: has at most 2 Mi characters of text in main, and a search text longer
#: than a screenful is a mistake).
MAX_FIND_TEXT = 10_000
_OPTIONS = {"forward": "forward", "find_next": "find_next", "findNext": "find_next",
            "match_case": "match_case", "matchCase": "match_case"}
_ACTIONS = ("clearSelection", "keepSelection", "activateSelection")


@dataclass(frozen=True, slots=True)
class FoundInPageResult:
    """The ``result`` of a ``found-in-page`` event."""

    request_id: int
    active_match_ordinal: int
    matches: int
    selection_area: dict[str, int]
    final_update: bool = True


class _Session:
    """One web contents' search: its text, and which match is current."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.text: str | None = None
        self.match_case = False
        self.active = 0


_sessions: weakref.WeakKeyDictionary[WebContents, _Session] = weakref.WeakKeyDictionary()


def _options(options: Mapping[str, Any] | None) -> dict[str, bool]:
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise TypeError(f"find_in_page options must be a dict, not {options!r}")
    out: dict[str, bool] = {}
    for key, value in options.items():
        name = _OPTIONS.get(key)
        if name is None:
            raise ValueError(f"unknown find_in_page option {key!r} (known: forward, find_next, match_case)")
        if not isinstance(value, bool):
            raise TypeError(f"find_in_page option {key!r} must be True or False, not {value!r}")
        out[name] = value
    return out


def find_in_page(wc: WebContents, text: str, options: Mapping[str, Any] | None = None) -> int:
    """Search the displayed page for ``text``; the request id its ``found-in-page`` will carry."""
    if not isinstance(text, str):
        raise TypeError(f"find_in_page needs the text to find, not {text!r}")
    if not text:
        raise ValueError("find_in_page: the text to find must not be empty")
    if len(text) > MAX_FIND_TEXT:
        raise ValueError(f"find_in_page: the text is {len(text)} characters long (at most {MAX_FIND_TEXT})")
    opts = _options(options)
    forward = opts.get("forward", True)
    match_case = opts.get("match_case", False)
    session = _sessions.get(wc)
    if session is None:
        session = _sessions[wc] = _Session()
    request_id = next(session.ids)
    if opts.get("find_next", False) or session.text != text or session.match_case != match_case:
        session.text, session.match_case = text, match_case
        session.active = 1 if forward else 0  # 0 wraps to the last match
    else:
        session.active += 1 if forward else -1
    window = wc._window
    if wc.is_destroyed() or window.is_destroyed():
        raise RuntimeError("find_in_page: the window was destroyed")
    found = window._surface.find_text(text, match_case, session.active)
    session.active = found.active
    x, y, width, height = found.area
    result = FoundInPageResult(request_id, found.active, found.matches,
                               {"x": x, "y": y, "width": width, "height": height})

    async def report() -> None:
        if not wc.is_destroyed():
            wc.emit("found-in-page", PreventableEvent(sender=wc), result)

    spawn(report, what="found-in-page")
    return request_id


def stop_find_in_page(wc: WebContents, action: str) -> None:
    """End the search: ``clearSelection``, ``keepSelection`` or ``activateSelection``."""
    if action not in _ACTIONS:
        raise ValueError(f"stop_find_in_page: action must be one of {', '.join(_ACTIONS)}, not {action!r}")
    session = _sessions.get(wc)
    if session is None or session.text is None:
        return
    session.text = None  # the next find_in_page begins a new session (request ids go on)
    window = wc._window
    if not wc.is_destroyed() and not window.is_destroyed():
        if action == "activateSelection":
            window._surface.activate_find()
        window._surface.stop_find(keep_active=action != "clearSelection")
