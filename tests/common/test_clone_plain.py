"""The clone's plain walk (lists, str-keyed dicts, scalars) gives exactly what
the full walk gives, and hands everything else over to it, so errors still
name their path and extension values still become extensions."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from enum import StrEnum
from typing import Any

import pytest

from tkelectron.common import _clone
from tkelectron.common._clone import _walk, to_wire, to_wire_args
from tkelectron.common._errors import DataCloneError
from tkelectron.common._shared_bytes import THRESHOLD, LargeBytes


class Color(StrEnum):
    RED = "red"


VALUES: list[Any] = [
    {"a": 1, "b": [1, 2.5, None, True, "s", b"x"]},
    [{"id": i, "tags": ["x", {"deep": [i]}]} for i in range(50)],
    {"k": (1, 2)},  # a tuple inside: the full walk's extension
    [dt.date(2020, 1, 2), {"when": dt.datetime(2020, 1, 2, 3, 4)}],
    {"big": 2**70},
    {1: "int key"},
    {Color.RED: "str subclass key", "plain": Color.RED},
    OrderedDict(a=1),
    [bytearray(b"ab"), memoryview(b"cd")],
    {"large": b"y" * THRESHOLD},
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],  # deeper than the plain walk goes
]


def _same(a: Any, b: Any) -> bool:
    if type(a) is LargeBytes or type(b) is LargeBytes:
        return type(a) is type(b) and a.data == b.data
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_plain_walk_gives_what_the_full_walk_gives(value: Any) -> None:
    assert _same(to_wire(value), _walk(value, "value", set()))
    assert _same(to_wire_args((value, 1)), [_walk(value, "args[0]", set()), 1])


def test_plain_trees_never_reach_the_full_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("the full walk ran")

    monkeypatch.setattr(_clone, "_walk", refuse)
    assert to_wire_args(({"a": [1, {"b": "c"}]}, [None])) == [{"a": [1, {"b": "c"}]}, [None]]


def test_errors_still_name_their_path_and_cycles_are_found() -> None:
    with pytest.raises(DataCloneError, match=r'args\[1\]\["rows"\]\[2\]\["cb"\]: function is not cloneable'):
        to_wire_args((1, {"rows": [{}, {}, {"cb": print}]}))
    loop: list[Any] = [1]
    loop.append({"again": loop})
    with pytest.raises(DataCloneError, match="cycle"):
        to_wire(loop)
