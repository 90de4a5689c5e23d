"""The bench's renderer side: loops that time IPC from inside the renderer.

Main drives each phase with ``web_contents.invoke``; the answer carries the
samples back, so reporting costs one message after the timed loop.
"""

from __future__ import annotations

import time
from typing import Any

from tkelectron.renderer import ipc_renderer

# Sent as soon as app code runs: main times a renderer's spawn up to here.
ipc_renderer.send("bench:up")


async def invoke_loop(event: Any, count: int, warmup: int) -> list[int]:
    """Time ``count`` awaited invokes renderer -> main (after ``warmup`` untimed)."""
    clock = time.perf_counter_ns
    samples = []
    for i in range(count + warmup):
        t0 = clock()
        await ipc_renderer.invoke("bench:echo", i)
        if i >= warmup:
            samples.append(clock() - t0)
    return samples


async def payload_loop(event: Any, size: int, count: int, warmup: int) -> list[int]:
    """Time ``count`` invokes renderer -> main echoing ``size`` bytes (after ``warmup`` untimed)."""
    clock = time.perf_counter_ns
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    samples = []
    for i in range(count + warmup):
        t0 = clock()
        back = await ipc_renderer.invoke("bench:echo", payload)
        t1 = clock()
        if back != payload:
            raise RuntimeError(f"the {size} bytes did not come back intact")
        if i >= warmup:
            samples.append(t1 - t0)
    return samples


def burst(event: Any, count: int) -> int:
    """Send ``count`` one-way messages in one burst (no await in between)."""
    send = ipc_renderer.send
    for i in range(count):
        send("bench:msg", i)
    return count


ipc_renderer.handle("bench:invoke-loop", invoke_loop)
ipc_renderer.handle("bench:payload-loop", payload_loop)
ipc_renderer.handle("bench:burst", burst)
ipc_renderer.handle("bench:echo-r", lambda event, value: value)


# Renderer to renderer: over a MessagePort (main not on the path) or relayed by main.
class _Relay:
    """The port this renderer got, and how many messages arrived of how many expected."""

    port: Any = None
    count = 0
    target = -1


relay = _Relay()


def _arrived(*_: Any) -> None:
    relay.count += 1
    if relay.count == relay.target:
        ipc_renderer.send("bench:r2r-done")


def _on_port(event: Any, role: str) -> None:
    port = event.ports[0]
    port.on("message", _arrived)
    port.start()
    relay.port = port


def expect(event: Any, count: int) -> None:
    relay.count, relay.target = 0, count


def port_burst(event: Any, count: int) -> int:
    post = relay.port.post_message
    for i in range(count):
        post(i)
    return count


def main_burst(event: Any, count: int) -> int:
    send = ipc_renderer.send
    for i in range(count):
        send("bench:relay", i)
    return count


ipc_renderer.on("bench:port", _on_port)
ipc_renderer.on("bench:relayed", _arrived)
ipc_renderer.handle("bench:expect", expect)
ipc_renderer.handle("bench:port-burst", port_burst)
ipc_renderer.handle("bench:main-burst", main_burst)
