"""Typed channels: a handler's annotations are checked at the boundary.

A handler ``def draw(event, point: Point, zoom: Annotated[float, Meta(gt=0)])``
receives ``point`` as a ``Point`` even though it crossed as a dict, and a call
whose arguments do not fit fails at the caller with :class:`IpcValidationError`
naming the parameter and the field — the handler never runs. Parameters without
annotations are passed through untouched, so untyped handlers keep working.
The return annotation, if any, is applied to the result the same way.

Checking uses ``msgspec.convert`` (lax about str/number forms is *off*; a dict
becomes a Struct or dataclass, a list a tuple, and so on).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import msgspec

from ._errors import IpcValidationError

__all__ = ["ArgumentChecker", "checker_for"]

_NO_CHECK = object()


class ArgumentChecker:
    """Converts one handler's arguments (after the event) and its result."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.name = getattr(fn, "__qualname__", repr(fn))
        #: An async generator function (a stream's handler), asked once per handler.
        self.streaming = inspect.isasyncgenfunction(fn)
        try:
            signature = inspect.signature(fn)
            hints = typing.get_type_hints(fn, include_extras=True)
        except (TypeError, ValueError, NameError):
            signature, hints = None, {}
        self.params: list[tuple[str, Any]] = []
        self.varargs: tuple[str, Any] | None = None
        self.returns: Any = hints.get("return", _NO_CHECK) if hints else _NO_CHECK
        if self.returns is None or self.returns is type(None) or self.returns is Any:
            self.returns = _NO_CHECK
        if signature is not None:
            positional = [
                p for p in signature.parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            for p in positional[1:]:  # the first one is the event
                self.params.append((p.name, hints.get(p.name, _NO_CHECK)))
            for p in signature.parameters.values():
                if p.kind is p.VAR_POSITIONAL:
                    self.varargs = (p.name, hints.get(p.name, _NO_CHECK))
        self.active = any(t is not _NO_CHECK for _, t in self.params) or (
            self.varargs is not None and self.varargs[1] is not _NO_CHECK
        )

    def args(self, channel: str, args: list[Any]) -> list[Any]:
        if not self.active:
            return args
        out = []
        for i, value in enumerate(args):
            if i < len(self.params):
                name, kind = self.params[i]
            elif self.varargs is not None:
                name, kind = f"{self.varargs[0]}[{i - len(self.params)}]", self.varargs[1]
            else:
                out.append(value)  # too many arguments: Python will say so
                continue
            out.append(_convert(value, kind, channel, f"argument {name!r}"))
        return out

    def result(self, channel: str, value: Any) -> Any:
        if self.returns is _NO_CHECK:
            return value
        return _convert(value, self.returns, channel, "the return value")


def _convert(value: Any, kind: Any, channel: str, what: str) -> Any:
    if kind is _NO_CHECK:
        return value
    try:
        return msgspec.convert(value, kind, from_attributes=True)
    except msgspec.ValidationError as exc:
        raise IpcValidationError(f"{what} of {channel!r} is invalid: {exc}") from None
    except TypeError:
        return value  # an annotation msgspec cannot check (a Protocol, ...)


_cache: dict[Any, ArgumentChecker] = {}


def checker_for(fn: Callable[..., Any]) -> ArgumentChecker:
    checker = _cache.get(fn)
    if checker is None:
        checker = _cache[fn] = ArgumentChecker(fn)
    return checker
