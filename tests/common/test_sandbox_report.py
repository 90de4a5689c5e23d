"""The sandbox report a renderer sends in Ready: a typed Struct main decodes.

It replaced a plain dict on the wire without changing the bytes, and main now
refuses a report of the wrong shape with the rest of the frame (a renderer
that sends one breaks the protocol).
"""

from __future__ import annotations

import msgspec
import pytest

from tkelectron.common._framing import FrameDecoder, FrameEncoder, FrameError
from tkelectron.common._messages import Ready, RendererToMain
from tkelectron.common._sandbox_report import SandboxReport

encode_frame = FrameEncoder().frame

FULL = SandboxReport(
    sandboxed=True,
    platform="linux",
    layers={"landlock": False, "seccomp": True, "rlimits": {"fsize": 0}},
    missing=["landlock"],
    readable=7,
    skipped={"cgroup": "not delegated"},
    timings_ms={"seccomp": 0.25},
    reasons={"landlock": "disabled"},
)


def test_on_the_wire_it_is_the_map_the_dict_was() -> None:
    as_dict = FULL.as_dict()
    assert msgspec.msgpack.encode(FULL) == msgspec.msgpack.encode(as_dict)
    assert msgspec.msgpack.decode(msgspec.msgpack.encode(as_dict), type=SandboxReport) == FULL


def test_as_dict_leaves_out_what_does_not_apply() -> None:
    assert SandboxReport(platform="linux").as_dict() == {
        "sandboxed": False, "platform": "linux", "layers": {}, "missing": [], "readable": 0,
    }
    assert set(FULL.as_dict()) == {
        "sandboxed", "platform", "layers", "missing", "readable", "skipped", "timings_ms", "reasons",
    }


def test_main_decodes_ready_with_its_report_typed() -> None:
    decoder: FrameDecoder[RendererToMain] = FrameDecoder(RendererToMain)
    (ready,) = decoder.feed(encode_frame(Ready(1234, FULL)))
    assert isinstance(ready, Ready) and ready.sandbox == FULL
    (bare,) = decoder.feed(encode_frame(Ready(1234)))
    assert isinstance(bare, Ready) and bare.sandbox == SandboxReport()


class _HostileReady(msgspec.Struct, tag="Ready", tag_field="msg", array_like=True):
    pid: int
    sandbox: object


@pytest.mark.parametrize("report", [
    {"missing": "landlock"},          # a str where a list of layer names belongs
    {"sandboxed": "yes"},             # not a bool
    {"readable": -1.5},               # not an int
    ["not", "a", "map"],
])
def test_a_malformed_report_is_an_undecodable_frame(report: object) -> None:
    decoder: FrameDecoder[RendererToMain] = FrameDecoder(RendererToMain)
    with pytest.raises(FrameError, match="undecodable frame"):
        decoder.feed(encode_frame(_HostileReady(1, report)))
