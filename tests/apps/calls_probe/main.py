"""A test app for cancellation, typed handlers and streams (main's side)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import msgspec
import trio

from tkelectron import BrowserWindow, hookimpl, ipc_main

HERE = Path(__file__).parent

#: What main's handlers saw, for assertions.
log: list = []
produced: list[int] = []


class Point(msgspec.Struct):
    x: int
    y: int


@dataclass
class Box:
    top_left: Point
    size: Annotated[int, msgspec.Meta(gt=0)]


async def slow(event):
    log.append("slow started")
    try:
        await trio.sleep_forever()
    except trio.Cancelled:
        log.append("slow cancelled")
        raise


def area(event, box: Box, scale: Annotated[float, msgspec.Meta(ge=0)] = 1.0) -> float:
    log.append(("area ran", type(box).__name__, type(box.top_left).__name__))
    return box.size * box.size * scale


def untyped(event, anything):
    return anything


async def count(event, n: int):
    for i in range(n):
        produced.append(i)
        yield i


async def count_then_fail(event, n: int):
    for i in range(n):
        yield i
    raise KeyError("out of numbers")


async def endless(event):
    i = 0
    try:
        while True:
            produced.append(i)
            yield i
            i += 1
    finally:
        log.append("endless closed")


@hookimpl
def tkelectron_ready(app):
    log.clear()
    produced.clear()
    ipc_main.handle("slow", slow)
    ipc_main.handle("area", area)
    ipc_main.handle("untyped", untyped)
    ipc_main.handle("count", count)
    ipc_main.handle("count-then-fail", count_then_fail)
    ipc_main.handle("endless", endless)
    window = BrowserWindow(web_preferences={"preload": HERE / "preload.py"})
    window.load_file(HERE / "index.html")
