"""Large payloads cross in sealed memfds (common/_shared_bytes.py) with real renderers.

Round trips both ways at the sizes around the threshold, sandbox on and off;
values inside lists and dicts; one-way sends; and forged frames from a
tampered renderer (unsealed memfds, a pipe, a socket, sizes that lie or are
over the window's limit, an extension without its fd, an fd without its
extension, one inside a tuple...), each an ``ipc-violation`` that ends only that renderer, with
no file descriptor left open in main.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import pytest
from _forged import each_kills_the_renderer

from tkelectron import RendererGoneError
from tkelectron.common import _framing
from tkelectron.common._shared_bytes import THRESHOLD
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "shared_bytes"
SIZES = [0, THRESHOLD - 1, THRESHOLD, 10 * 1024 * 1024]


def _payload(size: int, salt: int = 0) -> bytes:
    block = bytes((i * 7 + salt) & 0xFF for i in range(251))
    return (block * (size // 251 + 1))[:size]


def _main_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _main_memfds() -> list[str]:
    """The memfds main holds open (the shared values' and the forged ones')."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own fd is gone by now
            target = os.readlink(f"/proc/self/fd/{name}")
            if target.startswith("/memfd:"):
                found.append(target)
    return found


async def _no_fd_left(app, before: int) -> None:
    """Main holds no memfd and no more fds than ``before`` (fewer is fine: a zygote may have ended)."""
    await app.wait_for(lambda: _main_fds() <= before, what="main's fds back to where they were")
    assert _main_memfds() == []


async def _round_trips(app, sandbox: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    shared: list[int] = []  # sizes main read out of memfds
    real_unshare = _framing.unshare

    def counting_unshare(fd: int, size: int) -> bytes:
        shared.append(size)
        return real_unshare(fd, size)

    monkeypatch.setattr(_framing, "unshare", counting_unshare)
    window = app.module.open_window(sandbox=sandbox)
    await app.wait_for(lambda: not window.web_contents.is_loading(), what="the page loaded")
    wc = window.web_contents
    report = wc.get_sandbox_report()
    assert bool(report["sandboxed"]) is sandbox, report
    if sandbox and report["layers"]["landlock"]:  # files may grow only as far as a frame may reach
        assert report["layers"]["rlimits"]["fsize"] == 64 * 1024 * 1024, report
    # renderer -> main -> renderer
    results = await wc.invoke("round-trip", SIZES)
    assert results == [{"size": size, "type": "bytes", "same": True} for size in SIZES]
    # Only the values of THRESHOLD bytes and more came in memfds; each went back in one.
    assert shared == [size for size in SIZES if size >= THRESHOLD]
    assert await wc.invoke("shared-back") == [size for size in SIZES if size >= THRESHOLD]
    # main -> renderer -> main
    for size in SIZES:
        sent = _payload(size, 5)
        back = await wc.invoke("echo-r", sent)
        assert type(back) is bytes and back == sent, size
    # one-way, renderer -> main
    app.module.heard.clear()
    assert await wc.invoke("send-big", 10 * 1024 * 1024) == "sent"
    await app.wait_for(lambda: app.module.heard, what="the big send")
    assert app.module.heard == [("sb:note", (_payload(10 * 1024 * 1024, 9),))]
    # inside lists, dicts, tuples and sets
    assert await wc.invoke("nested", THRESHOLD + 17) is True
    window.destroy()


@pytest.mark.tkelectron("headless")
@pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox-on", "sandbox-off"])
async def test_large_payloads_round_trip_both_ways(compositor, sandbox, monkeypatch):
    async with launch(APP, compositor=compositor) as app:
        before = _main_fds()
        await _round_trips(app, sandbox, monkeypatch)
        await _no_fd_left(app, before)


@pytest.mark.tkelectron("tkhtml")
async def test_a_sandboxed_renderer_on_tk_round_trips_10_mb(compositor, monkeypatch):
    async with launch(APP, compositor=compositor) as app:
        await _round_trips(app, True, monkeypatch)


@pytest.mark.tkelectron("headless")
async def test_without_landlock_a_renderer_sends_large_payloads_inline(compositor, monkeypatch):
    """No Landlock: the renderer keeps RLIMIT_FSIZE=0, so it cannot fill a memfd and sends inline;
    what main sends it still comes in memfds."""
    monkeypatch.setenv("TKELECTRON_SANDBOX_DISABLE", "landlock")
    shared: list[int] = []
    real_unshare = _framing.unshare
    monkeypatch.setattr(_framing, "unshare", lambda fd, size: shared.append(size) or real_unshare(fd, size))
    async with launch(APP, compositor=compositor) as app:
        window = app.module.open_window(sandbox=True)
        await app.wait_for(lambda: not window.web_contents.is_loading(), what="the page loaded")
        wc = window.web_contents
        report = wc.get_sandbox_report()
        assert "landlock" in report["missing"] and report["layers"]["rlimits"]["fsize"] == 0, report
        results = await wc.invoke("round-trip", SIZES)
        assert results == [{"size": size, "type": "bytes", "same": True} for size in SIZES]
        assert shared == []  # nothing came to main in a memfd
        assert await wc.invoke("shared-back") == [size for size in SIZES if size >= THRESHOLD]


@pytest.mark.tkelectron("headless")
async def test_the_sandbox_leaves_the_renderer_s_fds_as_they_were(compositor):
    async with launch(APP, compositor=compositor) as app:
        window = app.module.open_window(sandbox=False)  # /proc/self/fd is readable without Landlock
        await app.wait_for(lambda: not window.web_contents.is_loading(), what="the page loaded")
        wc = window.web_contents
        await wc.invoke("round-trip", [THRESHOLD])  # warm up: imports, buffers
        before = await wc.invoke("open-fds")
        assert type(before) is int
        await wc.invoke("round-trip", SIZES * 3)
        for size in SIZES:
            await wc.invoke("echo-r", _payload(size))
        assert await wc.invoke("open-fds") == before


@pytest.mark.tkelectron("headless")
async def test_seccomp_allows_sealable_memfds_and_still_refuses_the_rest(compositor):
    async with launch(APP, compositor=compositor) as app:
        windows = {sandbox: app.module.open_window(sandbox=sandbox) for sandbox in (True, False)}
        for window in windows.values():
            await app.wait_for(lambda w=window: not w.web_contents.is_loading(), what="the pages loaded")
        locked = await windows[True].web_contents.invoke("try-syscalls")
        assert locked == {"sealable": "ok", "plain": "ok", "hugetlb": "PermissionError", "exec": "PermissionError",
                          "socket": "PermissionError"}
        # The control: without the sandbox none is refused (a kernel without hugetlbfs or MFD_EXEC
        # would say EINVAL, an OSError that is not a PermissionError).
        free = await windows[False].web_contents.invoke("try-syscalls")
        assert free["sealable"] == free["plain"] == free["socket"] == "ok", free
        assert "PermissionError" not in free.values(), free
        # The refused calls did not end the renderer; its large payloads still cross.
        assert await windows[True].web_contents.invoke("round-trip", [THRESHOLD]) == [
            {"size": THRESHOLD, "type": "bytes", "same": True}
        ]


#: Each forged frame, and the size it announces.
FORGED = [
    ("unsealed", 1000),
    ("partly-sealed", 1000),
    ("pipe", 10),
    ("socket", 10),
    ("wrong-size", 1000),
    ("ext-without-fd", 1000),
    ("fd-without-ext", 1000),
    ("too-many", 1),
    ("bad-ext", 1),
    ("nested-unsealed", 1000),
]
#: What main's log says of each.
WHY = {
    "unsealed": "the memfd of shared bytes is not sealed (seals 0x0",
    "partly-sealed": "the memfd of shared bytes is not sealed (seals 0x6",
    "pipe": "the file descriptor of shared bytes is not a memfd",
    "socket": "the file descriptor of shared bytes is not a memfd",
    "wrong-size": "the memfd of shared bytes holds 1001 bytes, the frame says 1000",
    "ext-without-fd": "a frame shares bytes without passing their file descriptor",
    "fd-without-ext": "1 file descriptor(s) arrived beyond what the messages declared",
    "too-many": "a frame shares more than 16 values",
    "bad-ext": "a shared-bytes extension of 2 bytes (must be 8)",
    "nested-unsealed": "the memfd of shared bytes is not sealed (seals 0xb",
}


@pytest.mark.tkelectron("headless")
async def test_forged_shared_bytes_are_ipc_violations(compositor, caplog):
    caplog.set_level(logging.ERROR, logger="tkelectron")
    async with launch(APP, compositor=compositor) as app:
        bystander = app.module.open_window()
        window = app.module.open_window()
        for w in (bystander, window):
            await app.wait_for(lambda w=w: not w.web_contents.is_loading(), what="the pages loaded")
        wc = window.web_contents
        await wc.invoke("round-trip", [THRESHOLD])  # main's lazy imports and buffers, before counting
        before = _main_fds()

        async def forge(case: tuple[str, int]) -> object:
            return await wc.invoke("forge", *case)

        gone = await each_kills_the_renderer(app, wc, [(name, (name, size)) for name, size in FORGED], forge)
        assert gone == ["ipc-violation"] * len(FORGED)
        for name, _size in FORGED:
            assert WHY[name] in caplog.text, name
        assert app.module.heard == []  # no forged note reached the handler
        assert not bystander.web_contents.is_crashed()
        assert await bystander.web_contents.invoke("round-trip", [10 * 1024 * 1024]) == [
            {"size": 10 * 1024 * 1024, "type": "bytes", "same": True}
        ]
        # Every fd the forged frames brought was closed (the reloaded renderer holds what the first did).
        await _no_fd_left(app, before)


@pytest.mark.tkelectron("headless")
async def test_shared_bytes_over_the_window_s_max_frame_are_violations(compositor, caplog):
    caplog.set_level(logging.ERROR, logger="tkelectron")
    limit = 1024 * 1024
    async with launch(APP, compositor=compositor) as app:
        window = app.module.open_window(max_frame=limit)
        await app.wait_for(lambda: not window.web_contents.is_loading(), what="the page loaded")
        wc = window.web_contents
        # Within the limit: a shared value of THRESHOLD bytes crosses.
        assert await wc.invoke("round-trip", [THRESHOLD]) == [{"size": THRESHOLD, "type": "bytes", "same": True}]
        gone = []
        wc.on("render-process-gone", lambda _event, details: gone.append(details.reason))
        with contextlib.suppress(RendererGoneError):
            await wc.invoke("forge", "huge", limit)  # the frame and its memfd: over the limit together
        await app.wait_for(lambda: gone, what="the renderer killed")
        assert gone == ["ipc-violation"]
        assert f"shares {limit} more, over the limit of {limit}" in caplog.text
