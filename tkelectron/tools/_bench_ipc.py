"""IPC figures measured through a real renderer process.

Main registers the bench's channels (:class:`BenchChannels`), opens a window
on the bench app, and drives each phase with ``web_contents.invoke``; the
renderer's preload (``_bench_app/preload.py``) runs the timed loops that must
run renderer-side and answers with its samples.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio

from ..main._browser_window import BrowserWindow
from ..main._ipc_main import ipc_main

__all__ = [
    "APP_DIR", "PRELOAD", "PAGE", "BLANK", "BenchChannels", "SpawnFigures",
    "invoke_renderer_to_main", "invoke_main_to_renderer", "burst", "spawn_to_ready", "renderer_to_renderer",
]

APP_DIR = Path(__file__).resolve().parent / "_bench_app"
PRELOAD = APP_DIR / "preload.py"
PAGE = APP_DIR / "index.html"
BLANK = APP_DIR / "blank.html"

#: How long one phase may take before the bench gives up on it.
PHASE_TIMEOUT = 60.0

_clock = time.perf_counter_ns


class BenchChannels:
    """Main's side of the bench channels: an echo, a burst counter, spawn marks."""

    def __init__(self) -> None:
        self._burst_target = 0
        self._burst_seen = 0
        self._burst_last_ns = 0
        self._burst_done = trio.Event()
        #: perf_counter_ns when each WebContents' preload started running.
        self.up_ns: dict[int, int] = {}
        self._up = trio.Event()
        #: The window main relays "bench:relay" messages to (renderer↔renderer via main).
        self.relay_to: BrowserWindow | None = None
        self._r2r_done = trio.Event()

    def install(self) -> None:
        ipc_main.handle("bench:echo", lambda event, value: value)
        ipc_main.on("bench:msg", self._on_msg)
        ipc_main.on("bench:up", self._on_up)
        ipc_main.on("bench:relay", self._relay)
        ipc_main.on("bench:r2r-done", lambda event: self._r2r_done.set())

    def _relay(self, event: Any, index: int) -> None:
        if self.relay_to is not None:
            self.relay_to.web_contents.send("bench:relayed", index)

    def _on_msg(self, event: Any, index: int) -> None:
        self._burst_seen += 1
        if self._burst_seen == self._burst_target:
            self._burst_last_ns = _clock()
            self._burst_done.set()

    def _on_up(self, event: Any) -> None:
        self.up_ns[event.sender.id] = _clock()
        self._up.set()
        self._up = trio.Event()

    def arm_burst(self, count: int) -> None:
        self._burst_target, self._burst_seen = count, 0
        self._burst_done = trio.Event()

    async def burst_finished(self) -> int:
        """perf_counter_ns at which the armed burst's last message arrived."""
        await self._burst_done.wait()
        return self._burst_last_ns

    async def wait_up(self, wc_id: int) -> int:
        while wc_id not in self.up_ns:
            await self._up.wait()
        return self.up_ns.pop(wc_id)


async def invoke_renderer_to_main(window: BrowserWindow, count: int, warmup: int) -> list[int]:
    """Round trips of ``await ipc_renderer.invoke`` timed in the renderer (ns)."""
    with trio.fail_after(PHASE_TIMEOUT):
        samples = await window.web_contents.invoke("bench:invoke-loop", count, warmup)
    return [int(s) for s in samples]


async def invoke_main_to_renderer(window: BrowserWindow, count: int, warmup: int) -> list[int]:
    """Round trips of ``await web_contents.invoke`` timed in main (ns)."""
    wc = window.web_contents
    samples: list[int] = []
    with trio.fail_after(PHASE_TIMEOUT):
        for i in range(count + warmup):
            t0 = _clock()
            await wc.invoke("bench:echo-r", i)
            if i >= warmup:
                samples.append(_clock() - t0)
    return samples


async def burst(window: BrowserWindow, channels: BenchChannels, count: int) -> int:
    """Nanoseconds from main's start signal until the last of ``count`` sends arrived."""
    channels.arm_burst(count)
    with trio.fail_after(PHASE_TIMEOUT):
        t0 = _clock()
        await window.web_contents.invoke("bench:burst", count)
        t1 = await channels.burst_finished()
    return t1 - t0


@dataclass
class SpawnFigures:
    """Spawn samples (ns) per sandbox setting, and what the sandbox applied."""

    ready_ns: dict[bool, list[int]] = field(default_factory=lambda: {True: [], False: []})
    loaded_ns: dict[bool, list[int]] = field(default_factory=lambda: {True: [], False: []})
    #: With a warm spare renderer waiting (sandbox on): the default in apps.
    spare_ready_ns: list[int] = field(default_factory=list)
    spare_loaded_ns: list[int] = field(default_factory=list)
    #: No spare, the renderer forked from the zygote (sandbox on).
    zygote_ready_ns: list[int] = field(default_factory=list)
    zygote_loaded_ns: list[int] = field(default_factory=list)
    sandbox_report: dict[str, Any] = field(default_factory=dict)


async def _spawn_once(channels: BenchChannels, sandbox: bool) -> tuple[int, int, dict[str, Any]]:
    window = BrowserWindow(width=320, height=200, show=False,
                           web_preferences={"preload": str(PRELOAD), "sandbox": sandbox})
    try:
        with trio.fail_after(PHASE_TIMEOUT):
            t0 = _clock()
            request = window.load_file(BLANK)
            up = await channels.wait_up(window.web_contents.id)
            await request
            loaded = _clock()
        return up - t0, loaded - t0, window.web_contents.get_sandbox_report()
    finally:
        window.destroy()


async def spawn_to_ready(channels: BenchChannels, count: int) -> SpawnFigures:
    """Start ``count`` renderers with the sandbox and ``count`` without, interleaved.

    Each sample runs from ``load_file`` (which starts the process) to the
    preload's first line running (the renderer is up, locked down, and runs
    app code) and to ``did-finish-load`` of a one-paragraph page. One untimed
    start of each kind goes first (caches, page cache of the interpreter).
    """
    from ..main._app import app

    figures = SpawnFigures()
    app.spare_renderers = 0
    with _zygote_off():  # these rows start each renderer directly
        for sandbox in (True, False):
            await _spawn_once(channels, sandbox)
        for _ in range(count):
            for sandbox in (True, False):
                ready, loaded, report = await _spawn_once(channels, sandbox)
                figures.ready_ns[sandbox].append(ready)
                figures.loaded_ns[sandbox].append(loaded)
                if sandbox:
                    figures.sandbox_report = report
    # A warm spare, as apps run: give each spare time to finish its imports
    # (a person does not open windows 140 ms apart), then time the window.
    app.spare_renderers = 1
    app._refill_spares()
    for _ in range(count):
        await trio.sleep(0.5)
        ready, loaded, _ = await _spawn_once(channels, True)
        figures.spare_ready_ns.append(ready)
        figures.spare_loaded_ns.append(loaded)
    app.spare_renderers = 0
    await _zygote_spawns(channels, count, figures)
    return figures


@contextlib.contextmanager
def _zygote_off() -> Iterator[None]:
    """Renderers started directly meanwhile (``TKELECTRON_ZYGOTE=0``), as before the zygote."""
    from ..main import _zygote

    before = os.environ.get(_zygote.ENV)
    os.environ[_zygote.ENV] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ[_zygote.ENV]
        else:
            os.environ[_zygote.ENV] = before


async def _zygote_spawns(channels: BenchChannels, count: int, figures: SpawnFigures) -> None:
    """No spare, renderers forked from the zygote (started with the app; awaited first)."""
    from ..main import _zygote

    if not _zygote.enabled() or not await _zygote.wait_ready(PHASE_TIMEOUT):
        return
    await _spawn_once(channels, True)
    for _ in range(count):
        ready, loaded, _ = await _spawn_once(channels, True)
        figures.zygote_ready_ns.append(ready)
        figures.zygote_loaded_ns.append(loaded)


async def renderer_to_renderer(sender: BrowserWindow, receiver: BrowserWindow,
                               channels: BenchChannels, count: int) -> tuple[int, int]:
    """Nanoseconds for ``count`` messages from one renderer to another: over a
    MessagePort (sockets handed to both; main is not on the path), then relayed
    by main (``ipc_renderer.send`` -> ``web_contents.send``). Each is timed in
    main from the start signal until the receiver reports the last arrival."""
    from ..main._ports import MessageChannelMain

    port1, port2 = MessageChannelMain()
    sender.web_contents.post_message("bench:port", "sender", transfer=[port1])
    receiver.web_contents.post_message("bench:port", "receiver", transfer=[port2])
    channels.relay_to = receiver
    times = []
    with trio.fail_after(PHASE_TIMEOUT):
        for phase in ("bench:port-burst", "bench:main-burst"):
            channels._r2r_done = trio.Event()
            await receiver.web_contents.invoke("bench:expect", count)
            t0 = _clock()
            await sender.web_contents.invoke(phase, count)
            await channels._r2r_done.wait()
            times.append(_clock() - t0)
    channels.relay_to = None
    return times[0], times[1]
