"""``class_list`` and ``style``: live views that read and write an element's
``class`` and ``style`` attributes (so every change is an attribute op)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._dom_attrs import ElementState

__all__ = ["ClassList", "Style"]


class ClassList:
    """The live set of an element's classes (its ``class`` attribute)."""

    __slots__ = ("_el",)

    def __init__(self, el: ElementState) -> None:
        self._el = el

    def _tokens(self) -> list[str]:
        return (self._el.get_attribute("class") or "").split()

    def _write(self, tokens: list[str]) -> None:
        value = " ".join(dict.fromkeys(tokens))
        if value != self._el.get_attribute("class"):
            self._el.set_attribute("class", value)

    @staticmethod
    def _check(token: str) -> str:
        if not token or any(ch.isspace() for ch in token):
            raise ValueError(f"a class name must be non-empty without spaces, not {token!r}")
        return token

    def add(self, *tokens: str) -> None:
        self._write(self._tokens() + [self._check(t) for t in tokens])

    def remove(self, *tokens: str) -> None:
        gone = {self._check(t) for t in tokens}
        self._write([t for t in self._tokens() if t not in gone])

    def toggle(self, token: str, force: bool | None = None) -> bool:
        """Add or remove ``token``; returns whether it is present afterwards."""
        present = self._check(token) in self._tokens()
        want = not present if force is None else bool(force)
        if want != present:
            (self.add if want else self.remove)(token)
        return want

    def replace(self, old: str, new: str) -> bool:
        tokens = self._tokens()
        if self._check(old) not in tokens:
            return False
        self._write([self._check(new) if t == old else t for t in tokens])
        return True

    def contains(self, token: str) -> bool:
        return token in self._tokens()

    __contains__ = contains

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(self._tokens()))

    def __len__(self) -> int:
        return len(dict.fromkeys(self._tokens()))

    def __getitem__(self, index: int) -> str:
        return list(self)[index]

    @property
    def value(self) -> str:
        return self._el.get_attribute("class") or ""

    def __repr__(self) -> str:
        return f"ClassList({list(self)!r})"


def _prop(name: str) -> str:
    # Python code may write style["font_size"]; CSS never uses underscores.
    return name.strip().lower().replace("_", "-")


class Style:
    """An element's inline style, mapping-like; kept as the ``style`` attribute.

    ``el.style["color"] = "red"`` sets a property, ``""``/``None`` or ``del``
    removes it, a missing property reads as ``""``. ``el.style.color`` works
    too, for names that are not methods of this class.
    """

    __slots__ = ("_el",)
    _el: ElementState

    def __init__(self, el: ElementState) -> None:
        object.__setattr__(self, "_el", el)

    def _read(self) -> dict[str, str]:
        decls: dict[str, str] = {}
        for decl in (self._el.get_attribute("style") or "").split(";"):
            name, sep, value = decl.partition(":")
            if sep and name.strip():
                decls[_prop(name)] = value.strip()
        return decls

    def _write(self, decls: dict[str, str]) -> None:
        text = "; ".join(f"{k}: {v}" for k, v in decls.items())
        if not text:
            self._el.remove_attribute("style")
        elif text != self._el.get_attribute("style"):
            self._el.set_attribute("style", text)

    def __getitem__(self, name: str) -> str:
        return self._read().get(_prop(name), "")

    def __setitem__(self, name: str, value: object) -> None:
        decls = self._read()
        text = "" if value is None else str(value).strip()
        if text:
            decls[_prop(name)] = text
        else:
            decls.pop(_prop(name), None)
        self._write(decls)

    def __delitem__(self, name: str) -> None:
        self[name] = None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _prop(name) in self._read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._read().get(_prop(name), default)

    def items(self) -> list[tuple[str, str]]:
        return list(self._read().items())

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name: str, value: object) -> None:
        self[name] = value

    @property
    def css_text(self) -> str:
        return self._el.get_attribute("style") or ""

    def __repr__(self) -> str:
        return f"Style({self._read()!r})"
