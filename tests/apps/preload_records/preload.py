"""Records defined in a preload, as an Electron port writes them: a dataclass with
postponed annotations, one without, and a msgspec Struct."""

from __future__ import annotations

import dataclasses

import msgspec

from tkelectron.renderer import ipc_renderer


@dataclasses.dataclass
class Point:
    x: int
    y: int


@dataclasses.dataclass(frozen=True)
class Tagged:
    name: str
    tags: list[str] = dataclasses.field(default_factory=list)


class Size(msgspec.Struct):
    width: int
    height: int


ipc_renderer.send("records", Point(1, 2), Tagged("a", ["b"]), Size(3, 4), __name__)
