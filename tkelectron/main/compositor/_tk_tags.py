"""Tags Tkhtml's fragment parser cannot take: renamed before it sees them.

Tkhtml parses a whole document fine whatever its tags, but its ``fragment``
command — which every insertion uses — crashes the process (SIGSEGV,
measured here) on an element it has no entry for: the HTML5 elements
(``section``, ``nav``, ``main``, ``article``, ``mark``, ``time``,
``details``...), custom elements (``my-widget``), and even ``colgroup``,
``col`` and ``optgroup`` in their own tables and selects. An honest page
appending a ``<section>`` ended every window of the app.

:func:`tkhtml_safe` rewrites such an element as a ``<div>`` (block-level
ones) or ``<span>`` (the others) carrying its real tag in ``data-tke-tag``,
which the compositor reads back everywhere it reports a tag, so the page,
the test harness and devtools still see a ``<section>``. What cannot be
renamed without breaking its parent (``colgroup``, ``col``, ``optgroup``) is
unwrapped: the options stay, the column hints go. A style sheet rule naming
such a tag does not match an element inserted after the first load.

The HTML handed in was rebuilt by main's commit rules, so every ``<`` in it
starts a tag (text and attribute values are escaped); only raw text (style,
script) could hold one, where renaming changes nothing drawn.
"""

from __future__ import annotations

import re

__all__ = ["tag_names", "tkhtml_safe"]

_BLOCK = frozenset("article aside details dialog figcaption figure footer header hgroup main nav section "
                   "summary template".split())
_INLINE = frozenset("abbr bdi bdo data del ins mark meter output progress q rp rt ruby time".split())
_UNWRAP = frozenset("colgroup col optgroup".split())
_CUSTOM = r"[a-z][a-z0-9]*-[a-z0-9-]*"
_TAG = re.compile(r"<(/?)(" + "|".join(sorted(_BLOCK | _INLINE | _UNWRAP)) + "|" + _CUSTOM + r")(?=[\s/>])([^>]*)>")


def _rename(match: re.Match[str]) -> str:
    closing, tag, rest = match.groups()
    if tag in _UNWRAP:
        return ""
    as_tag = "div" if tag in _BLOCK else "span"
    if closing:
        return f"</{as_tag}>"
    hidden = " hidden" if tag == "template" else ""
    return f'<{as_tag} data-tke-tag="{tag}"{hidden}{rest}>'


# Every tag name, opening or closing. A name _TAG renames is one of these
# whole (its lookahead ends it where this expression stops), so when none is
# one of them, _TAG has nothing to do; listing them costs a quarter of its
# pass (1000 list rows: ~0.1 ms against ~0.4 ms).
_NAME = re.compile(r"</?([a-z][a-z0-9-]*)")
_RENAMED = _BLOCK | _INLINE | _UNWRAP


def tag_names(html: str) -> set[str]:
    """The tag names ``html`` opens or closes (lower case, as main writes them)."""
    return set(_NAME.findall(html)) if "<" in html else set()


def tkhtml_safe(html: str, names: set[str] | None = None) -> str:
    """``html`` with every tag Tkhtml's fragment parser cannot take renamed
    (``names``: its :func:`tag_names`, when the caller has them already)."""
    if "<" not in html:
        return html
    if names is None:
        names = tag_names(html)
    if names.isdisjoint(_RENAMED) and not any("-" in n for n in names):
        return html
    return _TAG.sub(_rename, html)
