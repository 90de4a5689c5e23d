"""Registration rules of ``ipc_main`` and a window's ``web_contents.ipc`` (tkelectron.main._ipc_main).

Dispatch from a renderer (who is called, with which event) is covered end to
end in tests/e2e; here each IpcMain is a fresh instance so tests stay apart.
"""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.lowlevel

import tkelectron
from tkelectron.common._listeners import ListenerRunner
from tkelectron.main._ipc_main import IpcMain, IpcMainEvent, call_handler, check_user_channel, ipc_main


def test_the_public_ipc_main_is_the_app_wide_instance() -> None:
    assert tkelectron.ipc_main is ipc_main and isinstance(ipc_main, IpcMain)


def test_handle_twice_for_one_channel_raises_and_keeps_the_first() -> None:
    ipc = IpcMain()

    def first(event: Any) -> str:
        return "first"

    ipc.handle("ch", first)
    with pytest.raises(ValueError, match="second handler for 'ch'"):
        ipc.handle("ch", lambda event: "second")
    assert ipc._handler("ch") is first


def test_remove_handler_frees_the_channel() -> None:
    ipc = IpcMain()
    ipc.handle("ch", lambda event: 1)
    ipc.remove_handler("ch")
    assert ipc._handler("ch") is None
    ipc.remove_handler("ch")  # again: no error
    ipc.handle("ch", lambda event: 2)
    assert ipc._handler("ch") is not None


def test_handle_once_answers_one_call_then_the_channel_is_free() -> None:
    ipc = IpcMain()
    calls: list[tuple[Any, ...]] = []
    ipc.handle_once("ch", lambda event, *args: calls.append((event, *args)) or "done")
    handler = ipc._handler("ch")
    assert handler is not None
    assert handler("evt", 1, 2) == "done"
    assert calls == [("evt", 1, 2)]
    assert ipc._handler("ch") is None
    ipc.handle("ch", lambda event: None)  # free again


def test_handle_once_counts_as_the_handler_of_its_channel() -> None:
    ipc = IpcMain()
    ipc.handle_once("ch", lambda event: None)
    with pytest.raises(ValueError):
        ipc.handle("ch", lambda event: None)


def test_handle_once_for_an_async_handler() -> None:
    ipc = IpcMain()

    async def answer(event: Any, x: int) -> int:
        await trio.lowlevel.checkpoint()
        return x * 2

    ipc.handle_once("double", answer)
    handler = ipc._handler("double")
    assert handler is not None
    assert trio.run(call_handler, handler, "evt", 21) == 42
    assert ipc._handler("double") is None


def test_handler_must_be_callable() -> None:
    with pytest.raises(TypeError):
        IpcMain().handle("ch", "not callable")  # type: ignore[arg-type]


@pytest.mark.parametrize("register", ["on", "once", "handle", "handle_once"])
def test_reserved_channels_are_refused(register: str) -> None:
    ipc = IpcMain()
    with pytest.raises(ValueError, match="reserved"):
        getattr(ipc, register)("tke:ready", lambda *a: None)
    assert ipc._handler("tke:ready") is None and ipc.listener_count("tke:ready") == 0


@pytest.mark.parametrize("register", ["on", "once", "handle"])
def test_channel_names_must_be_strings(register: str) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        getattr(IpcMain(), register)(42, lambda *a: None)


def test_check_user_channel_allows_prefix_lookalikes() -> None:
    for ok in ("tke", "TKE:x", "app:tke:x", "tke-x", ""):
        check_user_channel(ok)


def test_listeners_run_in_order_and_once_listeners_once() -> None:
    ipc = IpcMain()
    calls: list[tuple[str, tuple[Any, ...]]] = []
    ipc.on("ch", lambda event, *a: calls.append(("on1", a)))
    ipc.once("ch", lambda event, *a: calls.append(("once", a)))
    ipc.on("ch", lambda event, *a: calls.append(("on2", a)))
    assert ipc.on("other", lambda event: None) is ipc  # chainable
    ipc.emit("ch", "event", 1)
    ipc.emit("ch", "event", 2)
    assert calls == [("on1", (1,)), ("once", (1,)), ("on2", (1,)), ("on1", (2,)), ("on2", (2,))]


def test_off_and_remove_all_listeners() -> None:
    ipc = IpcMain()

    def listener(event: Any) -> None:
        pass

    ipc.on("a", listener).on("b", listener)
    ipc.off("a", listener)
    assert ipc.listener_count("a") == 0 and ipc.listener_count("b") == 1
    ipc.remove_all_listeners("b")
    assert ipc.listener_count("b") == 0


def test_listeners_and_handlers_are_separate() -> None:
    ipc = IpcMain()
    ipc.on("ch", lambda event: None)
    assert ipc._handler("ch") is None
    ipc.handle("ch", lambda event: None)
    assert ipc.listener_count("ch") == 1


def test_remove_all_listeners_and_remove_handler_clear_a_scope() -> None:
    ipc = IpcMain()
    ipc.on("a", lambda event: None)
    ipc.handle("b", lambda event: None)
    ipc.remove_all_listeners()
    ipc.remove_handler("b")
    assert ipc.listener_count("a") == 0 and ipc._handler("b") is None


def test_call_handler_awaits_async_results_and_passes_sync_ones() -> None:
    async def main() -> list[Any]:
        async def later(event: Any) -> str:
            await trio.lowlevel.checkpoint()
            return "async"

        return [await call_handler(later, None), await call_handler(lambda event, x: x, None, "sync")]

    assert trio.run(main) == ["async", "sync"]


def test_a_handler_error_propagates_from_call_handler() -> None:
    def bad(event: Any) -> None:
        raise FileNotFoundError("nope")

    with pytest.raises(FileNotFoundError):
        trio.run(call_handler, bad, None)


class _Sender:
    """Stands in for a WebContents: what IpcMainEvent reads of its sender."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def get_os_process_id(self) -> int:
        return self.pid


@pytest.mark.trio
async def test_async_listeners_are_ordered_per_sender_and_channel_across_scope_and_ipc_main() -> None:
    seen: list[tuple[str, int, int]] = []
    a, b = _Sender(1), _Sender(2)
    release_a = trio.Event()
    with trio.fail_after(10):  # a key without the sender would hold b behind a: a deadlock
        await _two_senders(seen, a, b, release_a)
    # b ran through while a waited; each sender's calls kept their order, scope before ipc_main.
    assert [s for s in seen if s[1] == 2] == [("scope", 2, 0), ("main", 2, 0), ("scope", 2, 1), ("main", 2, 1)]
    assert [s for s in seen if s[1] == 1] == [("scope", 1, 0), ("main", 1, 0), ("scope", 1, 1), ("main", 1, 1)]
    assert seen.index(("main", 2, 1)) < seen.index(("scope", 1, 0))


async def _two_senders(seen: list[tuple[str, int, int]], a: _Sender, b: _Sender, release_a: trio.Event) -> None:
    async with trio.open_nursery() as nursery:
        runner = ListenerRunner(nursery.start_soon)
        scope, app_wide = IpcMain(), IpcMain()  # a window's web_contents.ipc, and ipc_main
        scope._listener_runner = app_wide._listener_runner = runner

        def listener(who: str) -> Any:
            async def run(event: IpcMainEvent, n: int) -> None:
                if event.sender is a and n == 0 and who == "scope":
                    await release_a.wait()  # holds back a's later messages on "ch" only
                seen.append((who, event.sender.pid, n))
                if event.sender is b and n == 1 and who == "main":
                    release_a.set()

            return run

        scope.on("ch", listener("scope"))
        app_wide.on("ch", listener("main"))
        for n in range(2):
            for sender in (a, b):
                event = IpcMainEvent(sender, "ch")  # type: ignore[arg-type]
                scope.emit("ch", event, n)  # dispatch's order: the window's scope, then ipc_main
                app_wide.emit("ch", event, n)
        assert runner.workers == 2  # one per (sender, channel)
