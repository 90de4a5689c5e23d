"""``prefers-color-scheme`` for the page: resolved ``@media`` rules and ``match_media``.

Tkhtml ignores ``@media`` rules (everything inside one is dropped), so the
renderer resolves the media queries it can answer before the page's styles
reach main: in every ``<style>`` element (stylesheets from ``<link>`` are
inlined as ``<style>`` first) an ``@media`` block whose query is decided by
media types (``all``, ``screen`` true; ``print`` and the others false),
``prefers-color-scheme`` and ``not``/``only``/``and``/``,`` is replaced by its
rules when it matches and removed when it does not; a ``<style media="...">``
that does not match is emptied. A query with any other feature
(``(min-width: 600px)``...) is left as written, which for Tkhtml means
ignored. The ``<style>`` element's text in the page's DOM is the resolved
text (the original is kept aside and resolved again on every change).

The scheme is ``native_theme``'s in main: the renderer starts with the one in
its ``Init`` and main sends every change on the framework channel
``tke:color-scheme``; then every ``<style>`` is resolved again, and when that
changed any, the document is sent to main whole (one ``ReplaceDocument``, as
Tkhtml cannot drop a stylesheet it has parsed: the scroll position resets;
form values and the focus stay), and ``change`` fires on the page's
``match_media`` lists whose ``matches`` changed. A page that uses
``prefers-color-scheme`` asks main once to watch the desktop's setting.

Limits: ``<style>`` elements a script adds or rewrites after the page loaded
are resolved at the next scheme change only (Tkhtml draws no stylesheet added
after load either).
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

from ..common._emitter import EventEmitter
from ._dom_events import Event, EventTarget, ListenerOptions, _call

if TYPE_CHECKING:
    from ._dom import Document, Element
    from ._page import Window

__all__ = ["MediaQueryList", "MediaQueryListEvent", "evaluate", "install_match_media", "resolve_color_scheme", "resolve_css"]

SCHEME_CHANNEL = "tke:color-scheme"
WATCH_CHANNEL = "tke:color-scheme.watch"
_TRUE_TYPES = frozenset({"all", "screen"})
_FEATURE = re.compile(r"\(\s*([a-z-]+)\s*(?::\s*([a-z0-9-]+)\s*)?\)\Z")
_AND = re.compile(r"\s+and\s+")
_BLOCK = re.compile(r"[{}\"']|/\*")
_NEXT = re.compile(r"/\*|[\"']|@media(?![\w-])", re.IGNORECASE)


class MediaQueryListEvent(Event):
    """A media query list's ``change`` event: ``matches`` now, for ``media``."""

    def __init__(self, matches: bool, media: str) -> None:
        super().__init__("change", bubbles=False, cancelable=False)
        self.matches = matches
        self.media = media

class _State:
    """This renderer's scheme, its page's media lists and the styles it resolved."""

    def __init__(self) -> None:
        self.dark = False
        self.document: Document | None = None
        self.lists: weakref.WeakSet[MediaQueryList] = weakref.WeakSet()
        self.listened: set[MediaQueryList] = set()  # lists with listeners stay alive, as in browsers
        # Each <style> element: (its original text, the resolved text it was given).
        self.styles: weakref.WeakKeyDictionary[Element, tuple[str, str]] = weakref.WeakKeyDictionary()
        self.watching = False
        self.subscribed = False
        self.pushes = 0  # scheme changes main pushed so far


_state = _State()


# -- media queries ---------------------------------------------------------------------


def evaluate(query: str, dark: bool) -> bool | None:
    """Whether a media query list matches, or None when it names a feature not decided here."""
    if not query.strip():
        return True  # an empty list is "all"
    answers = [_evaluate_one(part.strip().lower(), dark) for part in _split_top(query, ",")]
    if any(a is True for a in answers):
        return True
    return None if any(a is None for a in answers) else False


def _evaluate_one(query: str, dark: bool) -> bool | None:
    if not query:
        return False  # an empty entry in a list never matches
    negate = query.startswith("not ")
    if negate or query.startswith("only "):
        query = query.split(None, 1)[1] if " " in query else ""
    result: bool | None = True
    for term in _AND.split(query.strip()):
        value = _term(term.strip(), dark)
        if value is False:
            result = False
            break
        if value is None:
            result = None
    if result is None:
        return None
    return not result if negate else result


def _term(term: str, dark: bool) -> bool | None:
    if term.isidentifier() or re.fullmatch(r"[a-z-]+", term):
        return term in _TRUE_TYPES  # an unknown media type never matches
    feature = _FEATURE.match(term)
    if feature is None or feature.group(1) != "prefers-color-scheme":
        return None
    value = feature.group(2)
    if value is None:
        return True  # boolean context: light or dark, always one
    if value not in ("light", "dark"):
        return False
    return (value == "dark") == dark


def _split_top(text: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# -- stylesheets -------------------------------------------------------------------------


def resolve_css(css: str, dark: bool) -> str:
    """``css`` with each decidable ``@media`` block replaced by its rules, or removed."""
    out: list[str] = []
    i, n = 0, len(css)
    while i < n:
        found = _NEXT.search(css, i)  # the next comment, string or @media: copy up to it at once
        if found is None:
            out.append(css[i:])
            break
        out.append(css[i : found.start()])
        i = found.start()
        token = found.group()
        if token == "/*":
            end = css.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(css[i:end])
            i = end
        elif token in ("\"", "'"):
            end = _string_end(css, i)
            out.append(css[i:end])
            i = end
        else:
            block = _media_block(css, i)
            if block is None:  # no block (a stray @media): keep the rest as written
                out.append(css[i:])
                break
            prelude, body, end = block
            answer = evaluate(prelude, dark)
            if answer is True:
                out.append(resolve_css(body, dark))
            elif answer is None:
                out.append(f"@media{prelude}{{{resolve_css(body, dark)}}}")
            i = end
    return "".join(out)


def _string_end(css: str, i: int) -> int:
    quote, j, n = css[i], i + 1, len(css)
    while j < n and css[j] != quote and css[j] != "\n":
        j += 2 if css[j] == "\\" else 1
    return min(j + 1, n)


def _media_block(css: str, start: int) -> tuple[str, str, int] | None:
    """(prelude, body, index after the block) of the ``@media`` rule at ``start``."""
    open_brace = css.find("{", start)
    semicolon = css.find(";", start)
    if open_brace < 0 or 0 <= semicolon < open_brace:
        return None
    depth, j, n = 1, open_brace + 1, len(css)
    while depth:
        found = _BLOCK.search(css, j)
        if found is None:
            j = n
            break
        token, j = found.group(), found.start()
        if token in ("\"", "'"):
            j = _string_end(css, j)
        elif token == "/*":
            end = css.find("*/", j + 2)
            j = n if end < 0 else end + 2
        else:
            depth += 1 if token == "{" else -1
            j += 1
    body_end = j - 1 if depth == 0 else n
    return css[start + 6 : open_brace], css[open_brace + 1 : body_end], j


def _uses_scheme(text: str) -> bool:
    return "prefers-color-scheme" in text.lower()


def resolve_color_scheme(document: Document) -> bool:
    """Resolve every ``<style>`` of ``document`` for the current scheme; True when one changed.

    Called once the page loaded, and on every scheme change.
    """
    state = _state
    state.document = document
    changed = uses = False
    for style in document.query_selector_all("style"):
        current = style.text_content
        kept = state.styles.get(style)
        original = kept[0] if kept is not None and kept[1] == current else current
        media = style.get_attribute("media") or ""
        if not media and "@media" not in original.lower():
            continue
        uses = uses or _uses_scheme(original) or _uses_scheme(media)
        matches = evaluate(media, state.dark) if media else True
        resolved = "" if matches is False else resolve_css(original, state.dark)
        state.styles[style] = (original, resolved)
        if resolved != current:
            style.text_content = resolved
            changed = True
    if uses:
        _watch()
    return changed


# -- match_media ---------------------------------------------------------------------------


class MediaQueryList(EventTarget):
    """``window.match_media(query)``: ``matches`` now, and ``change`` events when it changes."""

    __slots__ = ("__weakref__", "_document", "_last", "media", "onchange")

    def __init__(self, media: str, document: Document) -> None:
        super().__init__()
        self.media = media
        self.onchange: Any = None
        self._document = document
        self._last = self.matches

    def _event_document(self) -> Document:
        return self._document

    @property
    def matches(self) -> bool:
        return evaluate(self.media, _state.dark) is True

    def add_event_listener(
        self,
        type: str,
        listener: Any,
        options: ListenerOptions = None,
        *,
        capture: bool | None = None,
        once: bool | None = None,
        passive: bool | None = None,
    ) -> None:
        super().add_event_listener(type, listener, options, capture=capture, once=once, passive=passive)
        _state.listened.add(self)

    addEventListener = add_event_listener

    def add_listener(self, listener: Any) -> None:
        """The older ``addListener(fn)``: a ``change`` listener."""
        self.add_event_listener("change", listener)

    addListener = add_listener

    def remove_listener(self, listener: Any) -> None:
        self.remove_event_listener("change", listener)

    removeListener = remove_listener
    removeEventListener = EventTarget.remove_event_listener

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name == "onchange" and value is not None:
            _state.listened.add(self)

    def _changed(self) -> None:
        now = self.matches
        if now == self._last:
            return
        self._last = now
        event = MediaQueryListEvent(now, self.media)
        self.dispatch_event(event)
        if callable(self.onchange):
            _call(self.onchange, event, self._document)

    def __repr__(self) -> str:
        return f"<MediaQueryList {self.media!r} matches={self.matches}>"


class _MatchMedia:
    """``window.match_media``: a MediaQueryList for the page's document."""

    __slots__ = ("_document",)

    def __init__(self, document: Document) -> None:
        self._document = document

    def __call__(self, query: str) -> MediaQueryList:
        if not isinstance(query, str):
            raise TypeError(f"match_media takes a media query str, not {type(query).__name__}")
        mql = MediaQueryList(query, self._document)
        _state.lists.add(mql)
        if _uses_scheme(query):
            _watch()
        return mql

    def __repr__(self) -> str:
        return "<function match_media>"


def install_match_media(window: Window, document: Document, scope: dict[str, Any]) -> None:
    """``window.match_media`` (and ``matchMedia``) for a page about to run, at the renderer's scheme."""
    from ._ipc_renderer import ipc_renderer

    state = _state
    state.document = document
    rt = ipc_renderer._rt
    if rt is not None:
        state.dark = rt.init.color_scheme == "dark"
        if not state.subscribed:
            # A framework channel: user code cannot listen on it (ipc_renderer.on refuses).
            EventEmitter.on(ipc_renderer, SCHEME_CHANNEL, _scheme_changed)
            state.subscribed = True
    match_media = _MatchMedia(document)
    for key in ("match_media", "matchMedia"):
        try:
            window._expose(key, match_media)
        except ValueError:
            pass  # the preload exposed its own: the page sees that one


def _scheme_changed(_event: Any, scheme: Any) -> None:
    """Main's push on ``tke:color-scheme``: newer than any answer still on its way."""
    _state.pushes += 1
    if scheme in ("light", "dark"):
        _set_dark(scheme == "dark")


def _set_dark(dark: bool) -> None:
    from ._ipc_renderer import ipc_renderer

    state = _state
    if dark == state.dark:
        return
    state.dark = dark
    document = state.document
    if document is not None:
        rt = ipc_renderer._rt
        if rt is not None:
            rt.flush()  # what the page did so far goes as it is
        # While a replace is pending nothing is logged: the restyled document goes whole.
        document._pending_replace = True
        if resolve_color_scheme(document):
            _replace(document)
        else:
            document._pending_replace = False  # nothing changed (and nothing was logged meanwhile)
    for mql in list(state.lists):
        mql._changed()


def _replace(document: Document) -> None:
    """Send the whole document again: Tkhtml cannot drop a stylesheet it parsed."""
    from ..common._messages import Focus

    active = document._active
    if active is not None:
        document._ops.add(Focus(active._nid))
    document._notify()


def _watch() -> None:
    """Ask main (once) to follow the desktop's setting, and take the scheme it answers."""
    from ._ipc_renderer import ipc_renderer

    state = _state
    rt = ipc_renderer._rt
    if state.watching or rt is None:
        return
    state.watching = True

    async def watch() -> None:
        pushes = state.pushes
        scheme = await rt.calls.invoke(WATCH_CHANNEL, [])
        # This task resumes after the reader went on: a push handled meanwhile is newer.
        if state.pushes == pushes and scheme in ("light", "dark"):
            _set_dark(scheme == "dark")
            rt.flush()

    rt.spawn(watch)
