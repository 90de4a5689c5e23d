"""Main's frame decoder under fuzzing, in-process: thousands of cases in a
fraction of a second (the end-to-end fuzz with a real renderer is
test_fuzz_reader.py).

Whatever bytes arrive, decoding yields messages of main's union or raises
FrameError — no other exception — and what it yields is data only: values
of the cloning table, with every record a renderer names (a Struct or
dataclass, framework message types included) arriving as a dict (issue 8,
item 4).
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
import uuid
from typing import Any

import msgspec

from tkelectron.common._errors import IpcRemoteError
from tkelectron.common._framing import FrameDecoder, FrameError
from tkelectron.common._messages import ErrorInfo, RendererToMain, _Msg
from tkelectron.common._sandbox_report import SandboxReport

from ._fuzz_frames import corpus, fuzz_case

CASES = 4000

#: What a decoded value may be made of in main.
_DATA = (type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset,
         dt.datetime, dt.date, dt.time, dt.timedelta, uuid.UUID, decimal.Decimal)  # fmt: skip


def _only_data(value: Any, seen: int = 0) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (_Msg, ErrorInfo, SandboxReport)):  # the schema's own structs, holding the data
            stack.extend(getattr(v, f) for f in v.__struct_fields__)
        elif isinstance(v, BaseException):
            assert type(v).__module__ == "builtins" or isinstance(v, IpcRemoteError), type(v)
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            stack.extend(v)
        else:
            assert type(v) in _DATA, f"main decoded a {type(v).__module__}.{type(v).__qualname__}"


def test_fuzzed_frames_decode_to_data_or_raise_frame_error() -> None:
    rng = random.Random(90210)
    frames = corpus()
    outcomes = {"decoded": 0, "refused": 0}
    for _ in range(CASES):
        decoder: FrameDecoder[Any] = FrameDecoder(RendererToMain, max_frame=1 << 20)
        data = fuzz_case(rng, frames)
        try:
            msgs = decoder.feed(data)
        except FrameError:
            outcomes["refused"] += 1
            continue
        for msg in msgs:
            _only_data(msg)
        outcomes["decoded"] += bool(msgs)
    assert outcomes["decoded"] > CASES // 10 and outcomes["refused"] > CASES // 10


def test_a_forged_framework_message_or_record_arrives_as_a_dict() -> None:
    enc = msgspec.msgpack.encode
    ext = msgspec.msgpack.Ext
    forged = [
        ext(12, enc(["tkelectron.common._messages", "Init", {"window_id": "NOT-AN-INT", "app_root": "/"}])),
        ext(13, enc(["tkelectron.main._web_preferences", "WebPreferences", {"preload": "/etc/shadow"}])),
        ext(12, enc(["msgspec", "Struct", {}])),
        ext(13, enc(["pathlib", "PurePath", {"x": 1}])),
    ]
    body = enc(["Send", "note", forged])
    (msg,) = FrameDecoder(RendererToMain).feed(len(body).to_bytes(4, "little") + body)
    assert msg.args == [{"window_id": "NOT-AN-INT", "app_root": "/"}, {"preload": "/etc/shadow"}, {}, {"x": 1}]


def test_a_malformed_record_payload_is_a_frame_error() -> None:
    enc = msgspec.msgpack.encode
    body = enc(["Send", "note", [msgspec.msgpack.Ext(12, enc([1, 2, 3]))]])
    try:
        FrameDecoder(RendererToMain).feed(len(body).to_bytes(4, "little") + body)
    except FrameError as exc:
        assert "malformed record" in str(exc)
    else:
        raise AssertionError("a record whose module is not a str decoded")
