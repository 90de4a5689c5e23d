"""CSS selectors: compile once, match against any element tree.

Supported: ``*``, type (``div``), ``#id``, ``.class`` (any number),
``[attr]``, ``[attr=v]``, ``[attr="v"]``, ``[attr~=v]``, ``[attr|=v]``,
``[attr^=v]``, ``[attr$=v]``, ``[attr*=v]``, the combinators descendant
(space), child ``>``, adjacent sibling ``+`` and general sibling ``~``,
selector lists (``a, b``), and the pseudo-classes ``:checked``, ``:disabled``,
``:enabled``, ``:first-child``, ``:last-child``, ``:only-child``, ``:empty``
and ``:not(...)`` (a compound selector inside). Anything else raises
``ValueError`` naming the problem and its position.

The adapter protocol
--------------------
The engine never touches an element's public API (the renderer DOM's
``children`` means something else than :class:`~tkelectron.common._html.HtmlElement`'s).
It reads every element through these private-named methods, which both tree
kinds implement:

- ``_sel_tag() -> str``: the lowercase tag name;
- ``_sel_attr(name) -> str | None``: an attribute's value (names lowercase);
- ``_sel_parent() -> element | None``: the parent element (None at the root);
- ``_sel_children() -> list[element]``: the element children, in order;
- ``_sel_first()`` / ``_sel_last() -> element | None``: the first / last
  element child, and ``_sel_prev() -> element | None``: the previous element
  sibling (separate from ``_sel_children`` so ``:last-child`` or ``+`` on a
  10,000-item list does not build that list once per item);
- ``_sel_checked() -> bool`` and ``_sel_disabled() -> bool``: live state;
- optionally ``_sel_has_text() -> bool`` (for ``:empty``; absent means no text).

Parent pointers must be consistent with children lists. A root passed to
:func:`select_all` needs only ``_sel_children`` (so a
document object can be a root without being an element).
"""

from __future__ import annotations

from typing import Any

from ._selector_engine import Complex, parse_selector_list

__all__ = ["Selector", "compile_selector", "select_all", "select_one"]


class Selector:
    """A compiled selector list; see :func:`compile_selector`."""

    def __init__(self, text: str, alternatives: list[Complex]) -> None:
        self.text = text
        self._alternatives = alternatives

    def matches(self, el: Any) -> bool:
        """Whether element ``el`` matches any selector of the list."""
        return any(alt.matches(el) for alt in self._alternatives)

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"


def compile_selector(selector: str) -> Selector:
    """Compile ``selector`` (a selector list); ``ValueError`` if it is not valid.

    The last few hundred selectors compiled are kept (a Selector never
    changes), so code that asks with the same text on every event
    (``closest("a[href]")`` on each click) parses it once.
    """
    if not isinstance(selector, str):
        raise TypeError(f"a selector must be a str, not {type(selector).__name__}")
    found = _CACHE.get(selector)
    if found is None:
        if not selector.strip():
            raise ValueError("invalid selector: it is empty")
        found = Selector(selector, parse_selector_list(selector.strip()))
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[selector] = found
    return found


_CACHE_SIZE = 256
_CACHE: dict[str, Selector] = {}


def _compiled(selector: str | Selector) -> Selector:
    return selector if isinstance(selector, Selector) else compile_selector(selector)


def _descendants(root: Any) -> list[Any]:
    out: list[Any] = []
    todo = list(reversed(root._sel_children()))
    while todo:
        el = todo.pop()
        out.append(el)
        todo.extend(reversed(el._sel_children()))
    return out


def select_all(root: Any, selector: str | Selector) -> list[Any]:
    """Descendants of ``root`` (not ``root`` itself) matching, in document order."""
    sel = _compiled(selector)
    return [el for el in _descendants(root) if sel.matches(el)]


def select_one(root: Any, selector: str | Selector) -> Any | None:
    """The first descendant of ``root`` matching ``selector``, or None."""
    sel = _compiled(selector)
    todo = list(reversed(root._sel_children()))
    while todo:
        el = todo.pop()
        if sel.matches(el):
            return el
        todo.extend(reversed(el._sel_children()))
    return None
