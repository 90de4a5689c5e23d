"""Length-prefixed msgpack frames (tkelectron.common._framing): pure byte handling."""

from __future__ import annotations

import struct
from typing import Any

import msgspec
import pytest

from tkelectron.common import _clone
from tkelectron.common._clone import to_wire
from tkelectron.common._framing import DEFAULT_MAX_FRAME, FrameDecoder, FrameEncoder, FrameError

Ext = msgspec.msgpack.Ext
_enc = msgspec.msgpack.Encoder().encode


def raw_frame(body: bytes) -> bytes:
    return struct.pack("<I", len(body)) + body


MESSAGES: list[Any] = [1, "two", [3, {"four": 4}], None, b"\x00" * 1000, {"k": [True, 1.5]}]


def test_a_frame_is_a_little_endian_length_then_msgpack() -> None:
    frame = FrameEncoder().frame({"a": 1})
    body = _enc({"a": 1})
    assert frame == len(body).to_bytes(4, "little") + body


def test_append_builds_many_frames_in_one_buffer_and_returns_sizes() -> None:
    enc = FrameEncoder()
    out = bytearray(b"prefix")
    sizes = [enc.append(m, out) for m in MESSAGES]
    assert out[:6] == b"prefix"
    assert sizes == [len(enc.frame(m)) for m in MESSAGES]
    assert bytes(out[6:]) == b"".join(enc.frame(m) for m in MESSAGES)


def test_many_frames_in_one_feed() -> None:
    data = b"".join(FrameEncoder().frame(m) for m in MESSAGES)
    dec: FrameDecoder[Any] = FrameDecoder(Any)
    assert dec.feed(data) == MESSAGES
    assert dec.buffered == 0


def test_frames_fed_byte_by_byte() -> None:
    data = b"".join(FrameEncoder().frame(m) for m in MESSAGES)
    dec: FrameDecoder[Any] = FrameDecoder(Any)
    got: list[Any] = []
    for i in range(len(data)):
        got += dec.feed(data[i : i + 1])
        assert dec.buffered < 4 + 1100  # never more than the frame in progress
    assert got == MESSAGES
    assert dec.buffered == 0


def test_split_at_every_point_of_two_frames() -> None:
    data = FrameEncoder().frame("first") + FrameEncoder().frame(["second"])
    for cut in range(len(data) + 1):
        dec: FrameDecoder[Any] = FrameDecoder(Any)
        assert dec.feed(data[:cut]) + dec.feed(data[cut:]) == ["first", ["second"]]


def test_accepts_bytearray_and_memoryview() -> None:
    frame = FrameEncoder().frame([1, 2])
    assert FrameDecoder(Any).feed(bytearray(frame)) == [[1, 2]]
    assert FrameDecoder(Any).feed(memoryview(frame)) == [[1, 2]]


def test_what_is_kept_of_a_read_does_not_depend_on_the_reads_buffer() -> None:
    # A connection reads into one buffer it reuses: whole frames are decoded
    # straight from it, so the start of a frame must be copied out, not
    # viewed, before the next read overwrites the buffer.
    data = FrameEncoder().frame(["first", b"x" * 100]) + FrameEncoder().frame(["second", "y" * 100])
    for cut in range(len(data) + 1):
        reads = bytearray(len(data))
        dec: FrameDecoder[Any] = FrameDecoder(Any)
        reads[:cut] = data[:cut]
        got = dec.feed(memoryview(reads)[:cut])
        reads[:] = b"\xc1" * len(data)  # the next read overwrites the buffer (0xc1: never valid msgpack)
        rest = len(data) - cut
        reads[:rest] = data[cut:]
        got += dec.feed(memoryview(reads)[:rest])
        assert got == [["first", b"x" * 100], ["second", "y" * 100]], cut
        assert dec.buffered == 0


def test_a_partial_header_waits() -> None:
    dec: FrameDecoder[Any] = FrameDecoder(Any)
    assert dec.feed(b"\x05\x00") == []
    assert dec.buffered == 2


def test_cloned_values_decode_through_the_ext_hook() -> None:
    value = {1: (2, frozenset({3})), "e": KeyError("x")}
    (out,) = FrameDecoder(Any).feed(FrameEncoder().frame(to_wire(value)))
    assert out[1] == (2, frozenset({3})) and type(out["e"]) is KeyError


def test_oversized_length_header_is_refused_before_the_body_arrives() -> None:
    dec: FrameDecoder[Any] = FrameDecoder(Any, max_frame=100)
    with pytest.raises(FrameError, match="101 bytes is over the limit of 100"):
        dec.feed(struct.pack("<I", 101))  # the header alone: nothing is waited for or buffered beyond it
    assert dec.buffered == 4


def test_default_limit_refuses_a_huge_announced_frame() -> None:
    assert DEFAULT_MAX_FRAME == 64 * 1024 * 1024
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(b"\xff\xff\xff\xff")
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(struct.pack("<I", DEFAULT_MAX_FRAME + 1))


def test_max_frame_is_configurable_and_inclusive() -> None:
    frame = FrameEncoder().frame("x" * 50)
    size = len(frame) - 4
    assert FrameDecoder(Any, max_frame=size).feed(frame) == ["x" * 50]
    with pytest.raises(FrameError):
        FrameDecoder(Any, max_frame=size - 1).feed(frame)
    dec: FrameDecoder[Any] = FrameDecoder(Any)
    dec.max_frame = 10  # can be tightened later (Init carries the renderer's limit)
    with pytest.raises(FrameError):
        dec.feed(frame)


@pytest.mark.parametrize(
    "body",
    [
        b"\xc1",  # a byte msgpack never uses
        b"\xc1\xc1\xc1",
        b"\x92\x01",  # an array of 2 with one item
        b"\xa5abc",  # a string cut short
        b"\x01\x02",  # trailing bytes after a value
        b"",
    ],
    ids=repr,
)
def test_garbage_bytes_raise_frame_error(body: bytes) -> None:
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(raw_frame(body))


def test_a_valid_msgpack_value_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(FrameError):
        FrameDecoder(list[int]).feed(FrameEncoder().frame({"not": "a list"}))


def test_good_frames_before_a_bad_one_are_not_silently_lost() -> None:
    dec: FrameDecoder[Any] = FrameDecoder(list[int])
    assert dec.feed(FrameEncoder().frame([1])) == [[1]]
    with pytest.raises(FrameError):
        dec.feed(FrameEncoder().frame("bad"))


@pytest.mark.parametrize(
    "ext",
    [
        Ext(99, b""),  # unknown extension code
        Ext(_clone.TIMEDELTA, _enc(5)),  # not a [days, seconds, micro] triple
        Ext(_clone.SET, _enc([[1]])),  # unhashable members
        Ext(_clone.ANYDICT, _enc([[1], 2])),  # unhashable key
        Ext(_clone.STRUCT, _enc(5)),
        Ext(_clone.DATACLASS, _enc(["builtins", 5, {}])),
        Ext(_clone.EXCEPTION, _enc(["builtins", 5, "m", []])),
        Ext(_clone.DECIMAL, b"not a number"),
        Ext(_clone.DATETIME, b"\xff\xfe"),
        Ext(_clone.UUID_, b"short"),
        Ext(_clone.BIGINT, _enc("12x")),
    ],
    ids=repr,
)
def test_crafted_extension_payloads_raise_frame_error(ext: Any) -> None:
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(FrameEncoder().frame([ext]))


def test_deep_nesting_raises_frame_error_not_recursion_error() -> None:
    body = b"\x91" * 100_000 + b"\x01"  # [[[[...1...]]]]
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(raw_frame(body))
    nested = _enc(1)
    for _ in range(3000):
        nested = _enc(Ext(_clone.TUPLE, nested))
    with pytest.raises(FrameError):
        FrameDecoder(Any).feed(raw_frame(nested))
