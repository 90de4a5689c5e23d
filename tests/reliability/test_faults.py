"""Whatever ends a renderer's reader, the supervisor finishes (issue 9, item 1
and 2): pending calls both ways fail at once with RendererGoneError, main's
tasks for that renderer are cancelled, ``render-process-gone`` fires exactly
once with the right reason, and the bystander window keeps answering.

Each fault is produced by the fault probe's preload writing onto its own
socket, as a compromised renderer would.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import trio

from tkelectron import RendererGoneError
from tkelectron.main import _renderer_messages
from tkelectron.testing import launch
from tkelectron.testing._harness import DEFAULT_TIMEOUT

from ._fault_support import Pair, fault_app, open_pair


async def _fault_with_calls_pending(pair: Pair, kind: str, arg: object = None) -> list[BaseException]:
    """With an invoke pending in each direction, let the victim commit ``kind``."""
    failures: list[BaseException] = []
    wc = pair.wc

    async def call(*args: object) -> None:
        try:
            await wc.invoke(*args)
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            failures.append(exc)

    with trio.fail_after(DEFAULT_TIMEOUT):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(call, "forever")  # main -> renderer, never answered
            nursery.start_soon(call, "hold-main", 1)  # renderer -> main, main's handler waits
            await pair.app.wait_for(lambda: len(wc._calls) == 2 and len(wc._answers) == 1, what="both calls pending")
            nursery.start_soon(call, "fault", kind, arg)
    return failures


async def _assert_finished(pair: Pair, failures: list[BaseException], reason: str) -> None:
    details = await pair.wait_gone()
    assert details.reason == reason
    assert len(failures) == 3 and all(isinstance(f, RendererGoneError) for f in failures), failures
    assert pair.module.cancelled == ["hold"]  # main's task for that renderer was cancelled
    assert len(pair.wc._answers) == 0 and len(pair.wc._calls) == 0
    await pair.app.wait_settled()
    assert len(pair.gone) == 1  # exactly once
    assert [wid for wid, _ in pair.app.gone] == [pair.victim.id]
    await pair.bystander_answers("still here")
    # Main goes on: the victim's page comes back in a fresh renderer.
    await pair.wc.reload()
    assert await pair.wc.invoke("echo", 2) == [2]


FAULTS = {
    # kind: (reason, what main's log says, web preferences)
    "bad-node-id": ("ipc-violation", "renderer broke the protocol", {}),
    "short-frame": ("ipc-violation", "a frame of 1004 bytes was still incomplete after 0.3 s", {"frame_timeout": 0.3}),
    "eof-mid-frame": ("abnormal-exit", "connection ended in the middle of a frame", {}),
    "kill-mid-frame": ("killed", "renderer gone (killed, exit code -9)", {}),
    "close-and-hang": ("abnormal-exit", "closed its connection but kept running: killed", {}),
    "internal-send-sync": ("ipc-violation", "user message on the reserved channel 'tke:x'", {}),
    "extra-fds": ("ipc-violation", "2 file descriptor(s) arrived beyond what the messages declared", {}),
}


@pytest.mark.tkelectron
@pytest.mark.parametrize("kind", list(FAULTS))
async def test_every_fault_ends_the_renderer_and_reports_it_once(compositor, kind, tmp_path: Path, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    reason, logged, prefs = FAULTS[kind]
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module, **prefs)
        failures = await _fault_with_calls_pending(pair, kind)
        await _assert_finished(pair, failures, reason)
        assert logged in caplog.text


@pytest.mark.tkelectron("headless")
async def test_any_exception_while_handling_a_message_is_an_ipc_violation(compositor, tmp_path, monkeypatch, caplog):
    # Not only FrameError/IpcViolation: whatever a handler raises (here a
    # navigation handler that breaks) ends that renderer the same way.
    def broken(wc: object, url: str) -> None:
        raise OSError(36, "File name too long")

    monkeypatch.setattr(_renderer_messages, "navigate", broken)
    caplog.set_level(logging.ERROR, logger="tkelectron")
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module)
        failures = await _fault_with_calls_pending(pair, "navigate", "file:///x.html")
        await _assert_finished(pair, failures, "ipc-violation")
        assert "renderer broke the protocol (OSError: [Errno 36] File name too long): killed" in caplog.text


BAD_PATHS = {
    "nul": "file:///tmp/x%00.html",
    "long-name": "file:///tmp/" + "a" * 300 + ".html",
    "long-path": "file://" + "/abc" * 1100 + ".html",
    "long-url": "file:///" + "b" * 10000,
    "bad-ipv6": "http://[::1",
    "bad-utf8": "file:///tmp/%ff%fe.html",
}


@pytest.mark.tkelectron
async def test_navigation_refuses_bad_paths_with_a_clear_message(compositor, tmp_path: Path, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module)
        pid = pair.wc.get_os_process_id()
        for name, url in BAD_PATHS.items():
            assert await pair.wc.invoke("fault", "navigate", url) == "sent"
            assert await pair.wc.invoke("echo", name) == [name]  # still the same renderer, answering
        assert pair.wc.get_os_process_id() == pid and not pair.gone
        refusals = [r.getMessage() for r in caplog.records if "navigation to" in r.getMessage()]
        assert len(refusals) == len(BAD_PATHS)
        assert any("contains a NUL byte" in r for r in refusals)
        assert any("a name in the path is 305 bytes long (at most 255)" in r for r in refusals)
        await pair.bystander_answers("fine")


@pytest.mark.tkelectron("headless")
async def test_a_kill_mid_invoke_fails_both_ways_and_reports_killed(compositor, tmp_path: Path):
    import os
    import signal

    module = fault_app(tmp_path)
    async with launch(module, compositor=compositor) as app:
        pair = await open_pair(app, module)
        failures: list[BaseException] = []
        wc = pair.wc

        async def call(*args: object) -> None:
            try:
                await wc.invoke(*args)
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

        with trio.fail_after(DEFAULT_TIMEOUT):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(call, "forever")
                nursery.start_soon(call, "hold-main", 1)
                await app.wait_for(lambda: len(wc._calls) == 2 and len(wc._answers) == 1, what="both calls pending")
                os.kill(wc.get_os_process_id(), signal.SIGKILL)
        details = await pair.wait_gone()
        assert details.reason == "killed" and details.exit_code == -signal.SIGKILL
        assert len(failures) == 2 and all(isinstance(f, RendererGoneError) for f in failures)
        assert module.cancelled == ["hold"]
        await pair.bystander_answers(3)
