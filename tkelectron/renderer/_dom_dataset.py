"""``element.dataset``: the element's ``data-*`` attributes as a live mapping.

The names follow the DOM's rule exactly, so a page ported from JavaScript
keeps its names: the attribute ``data-user-id`` is the key ``"userId"``
(each ``-`` followed by a lowercase letter becomes that letter in upper
case), and setting ``dataset["userId"]`` writes ``data-user-id``. Snake case
is *not* translated (``dataset["user_id"]`` is the attribute
``data-user_id``): the DOM's mapping is one-to-one, and a second spelling
would make two keys name one attribute.

Keys read both ways, ``el.dataset["userId"]`` and ``el.dataset.userId``
(also ``del`` and assignment either way). The mapping is live: it reads and
writes the element's attributes, so a change is a ``SetAttr``/``RemoveAttr``
op like any other. A key with ``-`` followed by a lowercase letter cannot be
set (the DOM's SyntaxError; here a ``ValueError``), and values are strings
(``str(value)``, as the DOM converts them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._dom_attrs import ElementState

__all__ = ["DOMStringMap"]

_PREFIX = "data-"
_DASH_LOWER = re.compile(r"-([a-z])")
_UPPER = re.compile(r"[A-Z]")


def _key(attribute: str) -> str:
    return _DASH_LOWER.sub(lambda m: m.group(1).upper(), attribute[len(_PREFIX):])


def _attribute(key: str) -> str:
    if _DASH_LOWER.search(key):
        raise ValueError(f"dataset key {key!r} has '-' before a lowercase letter (the DOM refuses it: "
                         f"write {_key(_PREFIX + key)!r})")
    return _PREFIX + _UPPER.sub(lambda m: "-" + m.group(0).lower(), key)


class DOMStringMap(MutableMapping[str, str]):
    """The live view of one element's ``data-*`` attributes (see the module docstring)."""

    __slots__ = ("_element",)
    _element: ElementState

    def __init__(self, element: ElementState) -> None:
        object.__setattr__(self, "_element", element)

    def __getitem__(self, key: str) -> str:
        value = self._element._attrs.get(_attribute(key)) if isinstance(key, str) else None
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: object) -> None:
        if not isinstance(key, str):
            raise TypeError(f"dataset keys are strings, not {type(key).__name__}")
        self._element.set_attribute(_attribute(key), value)

    def __delitem__(self, key: str) -> None:
        name = _attribute(key) if isinstance(key, str) else ""
        if name not in self._element._attrs:
            raise KeyError(key)
        self._element.remove_attribute(name)

    def __iter__(self) -> Iterator[str]:
        return iter([_key(name) for name in self._element._attrs if name.startswith(_PREFIX)])

    def __len__(self) -> int:
        return sum(name.startswith(_PREFIX) for name in self._element._attrs)

    def __getattr__(self, key: str) -> str:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"dataset has no {key!r} (no attribute {_attribute(key)!r})") from None

    def __setattr__(self, key: str, value: object) -> None:
        self[key] = value  # the DOM converts any value to a string

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __repr__(self) -> str:
        return f"DOMStringMap({dict(self)!r})"
