"""The wire protocol (tkelectron.common._messages) through real frames.

Every message of each direction's union is built with *every* field set (to a
value other than its default) and round-tripped through FrameEncoder and the
FrameDecoder of that direction. Samples are derived from the schema itself, so
a message added later is covered without touching this file.
"""

from __future__ import annotations

import datetime as dt
import gc
import typing
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest

from tkelectron.common import _messages as m
from tkelectron.common._clone import to_wire
from tkelectron.common._framing import FrameDecoder, FrameEncoder, FrameError

#: A value for ``Any`` fields: it has to be cloned to travel (tuples, sets, big ints...).
RAW: Any = [(1, frozenset({2})), {3: "x", "y": None}, 2**70, dt.date(2020, 1, 1), b"\x00"]

DIRECTIONS = {"MainToRenderer": m.MainToRenderer, "RendererToMain": m.RendererToMain}


def _members(union: Any) -> list[type]:
    return list(typing.get_args(union))


def _pair(t: mi.Type, salt: int) -> tuple[Any, Any]:
    """(what is sent, what should arrive) for a field of type ``t``."""
    if isinstance(t, mi.AnyType):
        return to_wire(RAW), RAW
    if isinstance(t, mi.IntType):
        return 1000 + salt, 1000 + salt
    if isinstance(t, mi.FloatType):
        return 0.5, 0.5
    if isinstance(t, mi.StrType):
        return f"s{salt}", f"s{salt}"
    if isinstance(t, mi.BoolType):
        return False, False  # most bool fields default to True; False is the interesting value
    if isinstance(t, mi.NoneType):
        return None, None
    if isinstance(t, mi.LiteralType):
        return t.values[-1], t.values[-1]
    if isinstance(t, mi.UnionType):
        # The last non-None member: the Literal of `bool | Literal["required"]`,
        # the struct of `ErrorInfo | None`, ...
        return _pair([u for u in t.types if not isinstance(u, mi.NoneType)][-1], salt)
    if isinstance(t, mi.ListType):
        item = t.item_type
        if isinstance(item, mi.UnionType) and all(isinstance(u, mi.StructType) for u in item.types):
            built = [_pair(u, salt + i) for i, u in enumerate(item.types)]  # one of each (Commit.ops)
            return [w for w, _ in built], [p for _, p in built]
        wire, plain = _pair(item, salt)
        return [wire, wire], [plain, plain]
    if isinstance(t, mi.DictType):
        wire, plain = _pair(t.value_type, salt)
        return {"k": wire}, {"k": plain}
    if isinstance(t, mi.StructType):
        return _build(t.cls, salt)
    raise AssertionError(f"no sample for {t!r}: extend _pair")


def _build(cls: type, salt: int = 0, *, required_only: bool = False) -> tuple[Any, Any]:
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    wire: dict[str, Any] = {}
    plain: dict[str, Any] = {}
    for i, field in enumerate(info.fields):
        if required_only and not field.required:
            continue
        wire[field.name], plain[field.name] = _pair(field.type, salt + i)
    return cls(**wire), cls(**plain)


def _round_trip(msg: Any, union: Any) -> list[Any]:
    return FrameDecoder(union).feed(FrameEncoder().frame(msg))


CASES = [(name, cls) for name, union in DIRECTIONS.items() for cls in _members(union)]


@pytest.mark.parametrize("direction, cls", CASES, ids=[f"{d}-{c.__name__}" for d, c in CASES])
def test_every_message_round_trips_with_every_field_set(direction: str, cls: type) -> None:
    wire, plain = _build(cls)
    assert _round_trip(wire, DIRECTIONS[direction]) == [plain]


@pytest.mark.parametrize("direction, cls", CASES, ids=[f"{d}-{c.__name__}" for d, c in CASES])
def test_every_message_round_trips_with_defaults(direction: str, cls: type) -> None:
    wire, plain = _build(cls, required_only=True)
    assert _round_trip(wire, DIRECTIONS[direction]) == [plain]


def test_the_samples_really_differ_from_the_defaults() -> None:
    init, _ = _build(m.Init)
    assert init.sandbox == "required" and init.development is False and init.readable
    commit, _ = _build(m.Commit)
    assert {type(op) for op in commit.ops} == set(_members(m.Op))


WRONG_WAY = [
    (name, cls)
    for name, union in DIRECTIONS.items()
    for other_name, other in DIRECTIONS.items()
    if other_name != name
    for cls in _members(other)
    if cls not in _members(union)
]


def test_each_direction_has_messages_of_its_own_and_shares_the_call_messages() -> None:
    shared = set(_members(m.MainToRenderer)) & set(_members(m.RendererToMain))
    assert {m.Invoke, m.Result, m.Failure, m.Cancel} <= shared
    assert m.SyncReply not in _members(m.RendererToMain) and m.SendSync not in _members(m.MainToRenderer)
    assert len(WRONG_WAY) >= 10


@pytest.mark.parametrize("decoder, cls", WRONG_WAY, ids=[f"{d}-{c.__name__}" for d, c in WRONG_WAY])
def test_a_message_of_the_other_direction_is_rejected(decoder: str, cls: type) -> None:
    wire, _ = _build(cls)
    with pytest.raises(FrameError):
        _round_trip(wire, DIRECTIONS[decoder])


@pytest.mark.parametrize("op", _members(m.Op), ids=lambda c: c.__name__)
def test_a_bare_dom_op_is_not_a_message(op: type) -> None:
    wire, _ = _build(op)
    for union in DIRECTIONS.values():
        with pytest.raises(FrameError):
            _round_trip(wire, union)


def test_unknown_tag_is_rejected() -> None:
    for union in DIRECTIONS.values():
        with pytest.raises(FrameError):
            _round_trip(["NoSuchMessage", 1], union)


def test_the_tag_is_the_class_name_and_fields_travel_by_position() -> None:
    msg = m.Message(channel="ch", args=[1], sender_id=3)
    raw = msgspec.msgpack.decode(FrameEncoder().frame(msg)[4:])
    assert raw[:4] == ["Message", "ch", [1], 3]


def test_a_shorter_array_from_an_older_sender_decodes_with_defaults() -> None:
    # Evolution rule 1: fields added at the end, with a default.
    (msg,) = _round_trip(["Message", "ch", [1]], m.MainToRenderer)
    assert msg == m.Message(channel="ch", args=[1])
    (ready,) = _round_trip(["Ready", 42], m.RendererToMain)
    assert ready == m.Ready(pid=42)


def test_a_field_of_the_wrong_type_is_rejected() -> None:
    with pytest.raises(FrameError):
        _round_trip(["Settled", "not an int"], m.RendererToMain)
    with pytest.raises(FrameError):
        _round_trip(["Console", "shout", "msg"], m.RendererToMain)  # not one of the levels
    with pytest.raises(FrameError):
        _round_trip(["Init", 1, "/app", None, None, "sometimes"], m.MainToRenderer)


def test_messages_are_frozen() -> None:
    msg = m.Settled(seq=1)
    with pytest.raises(AttributeError):
        msg.seq = 2  # type: ignore[misc]


def test_failure_carries_an_error_info() -> None:
    failure = m.Failure(id=9, error=m.ErrorInfo("KeyError", "'k'", traceback="tb"), channel="c")
    assert _round_trip(failure, m.RendererToMain) == [failure]
    assert _round_trip(failure, m.MainToRenderer) == [failure]


def test_internal_prefix() -> None:
    assert m.INTERNAL_PREFIX == "tke:"


def test_decoded_sends_are_not_tracked_by_the_garbage_collector() -> None:
    # A burst decoded a read at a time waits in main for its fair slices: each
    # tracked Send was a young object outliving collections (see Send).
    frame = FrameEncoder().frame(m.Sends([m.Send("ch", [i, "x"]) for i in range(3)]))
    (batch,) = FrameDecoder(m.RendererToMain).feed(frame)
    assert [gc.is_tracked(item) for item in batch.items] == [False] * 3
    assert not gc.is_tracked(m.Send("ch", [1]))
