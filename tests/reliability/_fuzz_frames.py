"""Random and mutated frames from a renderer, for the fuzz tests (seeded by the caller)."""

from __future__ import annotations

import random
import struct
from typing import Any

import msgspec

from tkelectron.common._clone import to_wire_args
from tkelectron.common._framing import FrameEncoder
from tkelectron.common._messages import (
    Cancel,
    Commit,
    Console,
    DidFinishLoad,
    ErrorInfo,
    Failure,
    Invoke,
    Navigate,
    Result,
    Send,
    SendSync,
    SetTitle,
    Settled,
    StreamCredit,
    StreamItem,
)

__all__ = ["corpus", "fuzz_case"]

_ext = msgspec.msgpack.Ext
_encode = msgspec.msgpack.encode
_TAGS = [
    "Ready", "Commit", "Settled", "Console", "PreloadError", "LoadFailed", "DidFinishLoad", "Send", "SendSync",
    "Invoke", "Result", "Failure", "Cancel", "StreamItem", "StreamCredit", "Navigate", "Init", "Message", "Bogus",
]  # fmt: skip


def corpus() -> list[bytes]:
    """Frames of valid messages a renderer may send (after Ready), to mutate."""
    enc = FrameEncoder()
    return [enc.frame(m) for m in [
        Send("note", to_wire_args([1, "x", (2, 3), {"k": {1, 2}}])),
        Send("nobody-listens", []),
        Invoke(7001, "echo", to_wire_args(["a", 1.5, None])),
        Invoke(7002, "no-such-handler", []),
        Console("log", "hello from the fuzzer"),
        Settled(0),
        Navigate("file:///nowhere/page.html"),
        StreamCredit(5, 3),
        Cancel(12345),
        Result(99999, "an answer nobody asked for"),
        Failure(99998, ErrorInfo("ValueError", "nope")),
        StreamItem(99997, 1),
        SendSync(7003, "note", []),
        Commit([SetTitle("fuzzed")]),
        DidFinishLoad("t"),
    ]]


def _value(rng: random.Random, depth: int = 0) -> Any:
    """A random msgpack value, extension types (known and unknown codes) included."""
    pick = rng.randrange(12 if depth < 4 else 6)
    if pick == 0:
        return rng.randrange(-(2**63), 2**64)
    if pick == 1:
        return rng.random() * 10 ** rng.randrange(-5, 300)
    if pick == 2:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(12)))
    if pick == 3:
        return rng.randbytes(rng.randrange(12))
    if pick == 4:
        return rng.choice([None, True, False])
    if pick == 5:
        return _ext(rng.randrange(-128, 128), rng.randbytes(rng.randrange(16)))
    if pick == 6:
        code = rng.randrange(1, 15)  # a known code with a crafted payload
        payload = _encode([_value(rng, depth + 1) for _ in range(rng.randrange(4))])
        return _ext(code, payload)
    if pick == 7:
        fields = {"window_id": "NOT-AN-INT", "preload": "/etc/shadow"}
        return _ext(rng.choice([12, 13]), _encode([rng.choice(["tkelectron.common._messages", "os"]),
                                                   rng.choice(["Init", "WebPreferences", "path"]), fields]))
    if pick == 8:
        return {str(_value(rng, depth + 1))[:10]: _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    if pick == 9:  # arrays nested 10 to 100,000 deep, written as raw msgpack
        return msgspec.Raw(b"\x91" * rng.choice([10, 1000, 100_000]) + b"\x00")
    return [_value(rng, depth + 1) for _ in range(rng.randrange(5))]


def _frame(body: bytes) -> bytes:
    return struct.pack("<I", len(body)) + body


def fuzz_case(rng: random.Random, corpus: list[bytes]) -> bytes:
    """The bytes of one case: complete frames, or a header that lies."""
    kind = rng.randrange(8)
    base = bytearray(rng.choice(corpus)[4:])
    if kind == 0:  # random bytes under an honest header
        return _frame(rng.randbytes(rng.randrange(1, 64)))
    if kind == 1:  # flipped bytes in a valid body
        for _ in range(rng.randrange(1, 4)):
            base[rng.randrange(len(base))] = rng.randrange(256)
        return _frame(bytes(base))
    if kind == 2:  # truncated body, header fixed to match
        return _frame(bytes(base[: rng.randrange(len(base))]))
    if kind == 3:  # bytes inserted in the body
        at = rng.randrange(len(base) + 1)
        return _frame(bytes(base[:at] + rng.randbytes(rng.randrange(1, 8)) + base[at:]))
    if kind == 4:  # a header that claims more (or far more) than comes
        extra = rng.choice([1, 100, 2**20, 2**31])
        return struct.pack("<I", len(base) + extra) + bytes(base)
    if kind == 5:  # a known or unknown tag with random fields
        return _frame(_encode([rng.choice(_TAGS)] + [_value(rng) for _ in range(rng.randrange(5))]))
    if kind == 6:  # a valid message whose args are random values
        return _frame(_encode(["Send", "note", [_value(rng) for _ in range(rng.randrange(1, 4))]]))
    # several frames in one write, valid and mutated mixed
    return b"".join(fuzz_case(rng, corpus) if rng.random() < 0.3 else rng.choice(corpus) for _ in range(3))
