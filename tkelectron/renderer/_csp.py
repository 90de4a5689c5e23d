"""Content rules for a page: its Content-Security-Policy for scripts, no
remote resources, and no navigation away from the app's own pages.

**CSP.** A page may declare ``<meta http-equiv="Content-Security-Policy"
content="script-src 'self'">``. For scripts, tkelectron honours ``script-src``
(or ``default-src`` when there is none): ``'self'`` lets scripts whose file is
inside the page's folder run; ``'unsafe-inline'`` lets inline ``<script
type="text/python">`` run, as does ``'nonce-X'`` for a script with
``nonce="X"``; ``'none'`` (or a source list without these) runs nothing of
that kind. Several policies all apply. Without a policy every local script
runs, as before. Refused scripts are reported as console errors naming the
directive, as browsers do.

**Remote resources.** Pages never load anything from the network: ``src``
and ``href`` of images and embedded resources that name a URL with a scheme
other than ``data:`` (or a ``//host`` reference) are dropped at load, and
``url(...)``/``@import`` of such URLs in styles are neutralised, so the main
process's display never fetches them.

**Navigation.** A click on ``<a href>`` whose default action nobody
prevented asks main to navigate (a ``Navigate`` message). Main emits
``will-navigate`` (preventable) and loads the target only if it is a local
``.html`` file inside the app; remote URLs never load (an app may open them
in the system browser from its ``will-navigate`` listener).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common._messages import Navigate

if TYPE_CHECKING:
    from ._dom import Document
    from ._dom_element import Element
    from ._dom_events import Event, EventTarget

__all__ = ["ScriptPolicy", "drop_remote_resources", "follow_links", "script_policy"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REMOTE_URL_IN_CSS = re.compile(r"""url\(\s*['"]?\s*(?!data:)(?:[A-Za-z][A-Za-z0-9+.-]*:|//)[^)]*\)""", re.IGNORECASE)
_REMOTE_IMPORT = re.compile(
    r"""@import\s+(['"])\s*(?!data:)(?:[A-Za-z][A-Za-z0-9+.-]*:|//)[^'"]*\1\s*;?""", re.IGNORECASE
)
#: element -> attributes that make the display fetch something.
_RESOURCE_ATTRIBUTES = {
    "img": ("src", "srcset"), "input": ("src",), "iframe": ("src",), "frame": ("src",), "embed": ("src",),
    "object": ("data",), "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "link": ("href",), "body": ("background",), "table": ("background",),
}  # fmt: skip


@dataclass(frozen=True)
class ScriptPolicy:
    """What the page's CSP policies say about scripts (None: no policy)."""

    #: One source list per policy that restricts scripts, with the directive's name.
    lists: tuple[tuple[str, frozenset[str]], ...] = ()

    def file_refusal(self, path: str, page_dir: str) -> str | None:
        """The violated directive for a script file, or None if it may run."""
        inside = os.path.commonpath([path, page_dir]) == page_dir
        for directive, sources in self.lists:
            if not (inside and "'self'" in sources):
                return directive
        return None

    def inline_refusal(self, nonce: str | None) -> str | None:
        """The violated directive for an inline script, or None if it may run."""
        for directive, sources in self.lists:
            if "'unsafe-inline'" not in sources and not (nonce and f"'nonce-{nonce}'" in sources):
                return directive
        return None


def _parse(content: str) -> tuple[str, frozenset[str]] | None:
    directives: dict[str, list[str]] = {}
    for part in content.split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), tokens[1:])  # the first of a name wins
    for name in ("script-src", "default-src"):
        if name in directives:
            sources = frozenset(s if s.startswith("'nonce-") else s.lower() for s in directives[name])
            return f"{name} {' '.join(directives[name])}".strip(), sources
    return None


def script_policy(document: Document) -> ScriptPolicy:
    """Read every ``<meta http-equiv="Content-Security-Policy">`` of the page."""
    lists = []
    for meta in document.query_selector_all("meta[http-equiv][content]"):
        if (meta.get_attribute("http-equiv") or "").strip().lower() == "content-security-policy":
            parsed = _parse(meta.get_attribute("content") or "")
            if parsed is not None:
                lists.append(parsed)
    return ScriptPolicy(tuple(lists))


def is_remote(ref: str) -> bool:
    """True for a reference the display would fetch from elsewhere (not data:)."""
    ref = ref.strip()
    if ref.startswith("//"):
        return True
    return bool(_SCHEME.match(ref)) and not ref.lower().startswith("data:")


def drop_remote_resources(document: Document, warn: Callable[[str], None]) -> None:
    """Remove remote URLs from resource attributes and styles (see the module doc)."""
    for tag, attributes in _RESOURCE_ATTRIBUTES.items():
        for el in document.query_selector_all(tag):
            for name in attributes:
                value = el.get_attribute(name)
                if value is None:
                    continue
                refs = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
                if any(is_remote(ref) for ref in refs):
                    el.remove_attribute(name)
                    warn(f"<{tag} {name}={value!r}> was not loaded: pages never load remote resources")
    for style in document.query_selector_all("style"):
        css = style.text_content
        cleaned = _neutralise(css)
        if cleaned != css:
            style.text_content = cleaned
            warn("remote url(...) or @import in a <style> was dropped: pages never load remote resources")
    for el in document.query_selector_all("[style]"):
        css = el.get_attribute("style") or ""
        cleaned = _neutralise(css)
        if cleaned != css:
            el.set_attribute("style", cleaned)
            warn("remote url(...) in a style attribute was dropped: pages never load remote resources")


def _neutralise(css: str) -> str:
    css = _REMOTE_IMPORT.sub("", css)
    return _REMOTE_URL_IN_CSS.sub("url(data:,)", css)


def link_target(href: str, page_dir: str) -> str | None:
    """The URL a link asks for (local refs as file: URIs), or None for no navigation."""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith("javascript:"):
        return None
    if is_remote(href) or _SCHEME.match(href):
        return href
    path = href.split("#", 1)[0].split("?", 1)[0]
    return Path(os.path.realpath(os.path.join(page_dir, path))).as_uri()


def follow_links(window: EventTarget, document: Document, page_dir: str, send: Callable[[Any], None]) -> None:
    """Make clicks on ``<a href>`` ask main to navigate, unless prevented.

    The listener sits on ``window`` (the end of every click's path); it
    decides only after the whole dispatch, from a task, so a page listener
    anywhere may still call ``prevent_default()``. A listener that stops the
    click's propagation also keeps it from navigating.
    """

    async def decide(event: Event, url: str) -> None:
        if not event.default_prevented:
            send(Navigate(url))

    def on_click(event: Event) -> None:
        target: Any = event.target
        link: Element | None = target.closest("a[href]") if hasattr(target, "closest") else None
        if link is None:
            return
        url = link_target(link.get_attribute("href") or "", page_dir)
        if url is not None:
            document._spawn(decide, event, url)

    window.add_event_listener("click", on_click)
