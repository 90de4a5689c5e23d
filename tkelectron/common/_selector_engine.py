"""The insides of :mod:`tkelectron.common._selectors`: the parser and the
right-to-left matcher. Elements are read only through the adapter protocol
described there (``_sel_tag``, ``_sel_attr``, ``_sel_parent``...)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Complex", "parse_selector_list"]

_IDENT = re.compile(r"-?(?:[A-Za-z_]|[^\x00-\x7f]|\\.)(?:[-\w]|[^\x00-\x7f]|\\.)*")
_ESCAPE = re.compile(r"\\(.)")
_ATTR_OPS = ("~=", "|=", "^=", "$=", "*=", "=")


def _first_child(el: Any) -> bool:
    parent = el._sel_parent()
    return parent is None or parent._sel_first() is el


def _last_child(el: Any) -> bool:
    parent = el._sel_parent()
    return parent is None or parent._sel_last() is el


def _attr_test(op: str, want: str) -> Callable[[str], bool]:
    if op == "=":
        return lambda v: v == want
    if op == "~=":
        return lambda v: want in v.split()
    if op == "|=":
        return lambda v: v == want or v.startswith(want + "-")
    if op == "^=":
        return lambda v: bool(want) and v.startswith(want)
    if op == "$=":
        return lambda v: bool(want) and v.endswith(want)
    return lambda v: bool(want) and want in v  # "*="


def _id_test(want: str) -> Callable[[Any], bool]:
    return lambda el: bool(el._sel_attr("id") == want)


def _class_test(want: str) -> Callable[[Any], bool]:
    return lambda el: want in (el._sel_attr("class") or "").split()


@dataclass
class _Compound:
    """A sequence of simple selectors that all apply to one element."""

    tag: str | None = None
    tests: list[Callable[[Any], bool]] = field(default_factory=list)

    def matches(self, el: Any) -> bool:
        if self.tag is not None and el._sel_tag() != self.tag:
            return False
        return all(test(el) for test in self.tests)


@dataclass
class Complex:
    """Compounds joined by combinators; ``combinators[i]`` joins i and i+1."""

    compounds: list[_Compound]
    combinators: list[str]

    def matches(self, el: Any, k: int | None = None) -> bool:
        if k is None:
            k = len(self.compounds) - 1
        if not self.compounds[k].matches(el):
            return False
        if k == 0:
            return True
        comb = self.combinators[k - 1]
        if comb == " ":
            parent = el._sel_parent()
            while parent is not None:
                if self.matches(parent, k - 1):
                    return True
                parent = parent._sel_parent()
            return False
        if comb == ">":
            parent = el._sel_parent()
            return parent is not None and self.matches(parent, k - 1)
        sibling = el._sel_prev()
        if comb == "+":
            return sibling is not None and self.matches(sibling, k - 1)
        while sibling is not None:  # "~"
            if self.matches(sibling, k - 1):
                return True
            sibling = sibling._sel_prev()
        return False


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, what: str) -> ValueError:
        return ValueError(f"invalid selector {self.text!r}: {what} at position {self.pos}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_ws(self) -> bool:
        start = self.pos
        while self.peek() in (" ", "\t", "\n", "\r", "\f") and self.peek():
            self.pos += 1
        return self.pos > start

    def ident(self, what: str) -> str:
        m = _IDENT.match(self.text, self.pos)
        if not m:
            raise self.error(f"expected {what}")
        self.pos = m.end()
        return _ESCAPE.sub(r"\1", m.group())

    def string_or_ident(self) -> str:
        quote = self.peek()
        if quote not in ("'", '"'):
            return self.ident("an attribute value")
        out: list[str] = []
        self.pos += 1
        while True:
            ch = self.peek()
            if not ch:
                raise self.error("unterminated string")
            self.pos += 1
            if ch == quote:
                return "".join(out)
            if ch == "\\" and self.peek():
                ch = self.peek()
                self.pos += 1
            out.append(ch)

    def selector_list(self) -> list[Complex]:
        alternatives = [self.complex()]
        while self.peek() == ",":
            self.pos += 1
            alternatives.append(self.complex())
        if self.pos != len(self.text):
            raise self.error(f"unexpected {self.peek()!r}")
        return alternatives

    def complex(self) -> Complex:
        self.skip_ws()
        compounds = [self.compound()]
        combinators: list[str] = []
        while True:
            had_ws = self.skip_ws()
            ch = self.peek()
            if ch in (">", "+", "~"):
                self.pos += 1
                self.skip_ws()
                combinators.append(ch)
            elif ch in ("", ",", ")"):
                break
            elif had_ws:
                combinators.append(" ")
            else:
                raise self.error(f"unexpected {ch!r}")
            compounds.append(self.compound())
        return Complex(compounds, combinators)

    def compound(self) -> _Compound:
        comp = _Compound()
        universal = self.peek() == "*"
        if universal:
            self.pos += 1
        elif _IDENT.match(self.text, self.pos):
            comp.tag = self.ident("a tag name").lower()
        start = self.pos
        while True:
            ch = self.peek()
            if ch == "#":
                self.pos += 1
                ident = self.ident("an id")
                comp.tests.append(_id_test(ident))
            elif ch == ".":
                self.pos += 1
                cls = self.ident("a class name")
                comp.tests.append(_class_test(cls))
            elif ch == "[":
                comp.tests.append(self.attribute())
            elif ch == ":":
                comp.tests.append(self.pseudo())
            else:
                break
        if comp.tag is None and self.pos == start and not universal:
            raise self.error("expected a selector")
        return comp

    def attribute(self) -> Callable[[Any], bool]:
        self.pos += 1
        self.skip_ws()
        name = self.ident("an attribute name").lower()
        self.skip_ws()
        op = next((o for o in _ATTR_OPS if self.text.startswith(o, self.pos)), None)
        if op is None:
            if self.peek() != "]":
                raise self.error("expected ']' or an attribute operator")
            self.pos += 1
            return lambda el: el._sel_attr(name) is not None
        self.pos += len(op)
        self.skip_ws()
        want = self.string_or_ident()
        self.skip_ws()
        if self.peek() != "]":
            raise self.error("expected ']'")
        self.pos += 1
        test = _attr_test(op, want)

        def check(el: Any) -> bool:
            value = el._sel_attr(name)
            return value is not None and test(value)

        return check

    def pseudo(self) -> Callable[[Any], bool]:
        self.pos += 1
        if self.peek() == ":":
            raise self.error("pseudo-elements are not supported")
        name = self.ident("a pseudo-class").lower()
        if name == "not":
            if self.peek() != "(":
                raise self.error("expected '(' after :not")
            self.pos += 1
            self.skip_ws()
            inner = self.compound()
            self.skip_ws()
            if self.peek() != ")":
                raise self.error("expected ')' closing :not(")
            self.pos += 1
            return lambda el: not inner.matches(el)
        if name == "checked":
            return lambda el: bool(el._sel_checked())
        if name == "disabled":
            return lambda el: bool(el._sel_disabled())
        if name == "enabled":
            return lambda el: not el._sel_disabled()
        if name == "first-child":
            return _first_child
        if name == "last-child":
            return _last_child
        if name == "only-child":
            return lambda el: _first_child(el) and _last_child(el)
        if name == "empty":
            return lambda el: not el._sel_children() and not _has_text(el)
        raise self.error(f"unsupported pseudo-class ':{name}'")


def _has_text(el: Any) -> bool:
    text = getattr(el, "_sel_has_text", None)
    return bool(text()) if text is not None else False


def parse_selector_list(text: str) -> list[Complex]:
    """Parse a selector list; ``ValueError`` naming the problem if invalid."""
    return _Parser(text).selector_list()
