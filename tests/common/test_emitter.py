"""The Node-style EventEmitter shared by both processes (tkelectron.common._emitter)."""

from __future__ import annotations

from typing import Any

import pytest
import trio
import trio.lowlevel

from tkelectron.common._emitter import EventEmitter, PreventableEvent
from tkelectron.common._listeners import ListenerRunner


class Recorder(EventEmitter):
    """An emitter wired the way the app and renderer wire theirs: a nursery and an error sink."""

    def __init__(self, nursery: trio.Nursery | None = None) -> None:
        super().__init__()
        if nursery is not None:
            self._listener_runner = ListenerRunner(nursery.start_soon)
        self.errors: list[BaseException] = []

    def _report_listener_error(self, exc: BaseException) -> None:
        self.errors.append(exc)


def test_listeners_run_in_registration_order_with_the_arguments() -> None:
    em = EventEmitter()
    calls: list[tuple[str, tuple[Any, ...]]] = []
    em.on("e", lambda *a: calls.append(("first", a)))
    em.once("e", lambda *a: calls.append(("once", a)))
    em.add_listener("e", lambda *a: calls.append(("third", a)))
    assert em.emit("e", 1, "two") is True
    assert calls == [("first", (1, "two")), ("once", (1, "two")), ("third", (1, "two"))]


def test_emit_without_listeners_returns_false() -> None:
    em = EventEmitter()
    assert em.emit("nothing") is False
    em.on("x", lambda: None)
    em.off("x", em.listeners("x")[0])
    assert em.emit("x") is False


def test_once_runs_once() -> None:
    em = EventEmitter()
    calls: list[int] = []
    em.once("e", calls.append)
    em.emit("e", 1)
    em.emit("e", 2)
    assert calls == [1] and em.listener_count("e") == 0


def test_a_once_listener_that_emits_again_runs_only_once() -> None:
    em = EventEmitter()
    calls: list[int] = []

    def again(n: int) -> None:
        calls.append(n)
        em.emit("e", n + 1)

    em.once("e", again)
    em.emit("e", 1)
    assert calls == [1]


def test_off_removes_one_registration_and_works_for_once() -> None:
    em = EventEmitter()
    calls: list[str] = []

    def a() -> None:
        calls.append("a")

    em.on("e", a).on("e", a)
    em.off("e", a)
    em.emit("e")
    assert calls == ["a"]
    em.off("e", a)
    em.once("e", a)
    em.remove_listener("e", a)
    assert em.emit("e") is False
    em.off("e", a)  # removing what is not there is a no-op
    em.off("never", a)


def test_off_accepts_the_same_bound_method_again() -> None:
    class Owner:
        def __init__(self) -> None:
            self.n = 0

        def hit(self) -> None:
            self.n += 1

    owner = Owner()
    em = EventEmitter()
    em.on("e", owner.hit)
    em.off("e", owner.hit)  # a new bound-method object, equal to the first
    em.emit("e")
    assert owner.n == 0


def test_removing_during_emit_does_not_skip_or_repeat() -> None:
    em = EventEmitter()
    calls: list[str] = []

    def b() -> None:
        calls.append("b")

    def a() -> None:
        calls.append("a")
        em.off("e", b)

    em.on("e", a).on("e", b)
    em.emit("e")  # b was registered when the emit began: it still runs (Node does the same)
    em.emit("e")
    assert calls == ["a", "b", "a"]


def test_remove_all_listeners_one_event_or_all() -> None:
    em = EventEmitter()
    for name in ("a", "b"):
        em.on(name, lambda: None)
    assert em.remove_all_listeners("a") is em
    assert em.listener_count("a") == 0 and em.listener_count("b") == 1
    em.remove_all_listeners()
    assert em.listener_count("b") == 0
    em.remove_all_listeners("missing")


def test_listeners_returns_the_functions_in_order() -> None:
    em = EventEmitter()

    def f() -> None: ...
    def g() -> None: ...

    em.on("e", f).once("e", g)
    assert em.listeners("e") == [f, g] and em.listener_count("e") == 2
    assert em.listeners("none") == []


def test_a_raising_listener_is_reported_and_the_others_still_run() -> None:
    em = Recorder()
    calls: list[str] = []

    def bad() -> None:
        raise ValueError("boom")

    em.on("e", bad).on("e", lambda: calls.append("after"))
    assert em.emit("e") is True
    assert calls == ["after"]
    assert len(em.errors) == 1 and isinstance(em.errors[0], ValueError)


def test_the_default_report_logs(caplog: pytest.LogCaptureFixture) -> None:
    em = EventEmitter()
    em.on("e", lambda: 1 / 0)
    with caplog.at_level("ERROR", logger="tkelectron"):
        em.emit("e")
    assert "listener raised" in caplog.text and "ZeroDivisionError" in caplog.text


def test_async_listeners_need_a_loop_by_default_and_are_not_leaked() -> None:
    em = EventEmitter()
    made: list[Any] = []

    async def body() -> None:
        pass

    def listener() -> Any:
        made.append(body())
        return made[-1]

    em.on("e", listener)
    with pytest.raises(RuntimeError, match="cannot run async listeners"):
        em.emit("e")
    assert made[0].cr_frame is None  # closed, so no "coroutine was never awaited" later


@pytest.mark.trio
async def test_async_listeners_run_as_tasks_and_their_errors_are_reported() -> None:
    seen: list[Any] = []
    async with trio.open_nursery() as nursery:
        em = Recorder(nursery)

        async def slow(x: int) -> None:
            await trio.lowlevel.checkpoint()
            seen.append(("async", x))

        async def failing(x: int) -> None:
            await trio.lowlevel.checkpoint()
            raise KeyError(x)

        em.on("e", slow).on("e", failing).on("e", lambda x: seen.append(("sync", x)))
        em.emit("e", 5)
        assert seen == [("sync", 5)]  # async ones have not run yet: emit does not block
    assert seen == [("sync", 5), ("async", 5)]
    assert len(em.errors) == 1 and isinstance(em.errors[0], KeyError)


def test_preventable_event() -> None:
    event = PreventableEvent(reason="quit", code=3)
    assert (event.reason, event.code, event.default_prevented) == ("quit", 3, False)  # type: ignore[attr-defined]
    event.preventDefault()
    assert event.default_prevented


# -- ordered async listeners (the ListenerRunner) ---------------------------------------------------


class Keyed(Recorder):
    """An emitter that orders its async listeners per event, as the IPC emitters do per channel."""

    def _order_key(self, event: str, args: tuple[Any, ...]) -> Any:
        return ("ch", event)


@pytest.mark.trio
async def test_keyed_async_listeners_start_in_emit_order_in_one_worker() -> None:
    started: list[int] = []
    finished: list[int] = []
    most_tasks = 0
    async with trio.open_nursery() as nursery:
        em = Keyed(nursery)

        async def listener(n: int) -> None:
            nonlocal most_tasks
            started.append(n)
            most_tasks = max(most_tasks, len(nursery.child_tasks))
            for _ in range(n % 3):  # uneven awaits: a task per message would finish out of order
                await trio.lowlevel.checkpoint()
            finished.append(n)

        em.on("e", listener)
        for n in range(2000):
            em.emit("e", n)
        assert em._listener_runner.workers == 1 and em._listener_runner.pending(("ch", "e")) == 2000
    assert started == list(range(2000)) and finished == started
    assert most_tasks == 1  # one worker, not a task per message
    assert em._listener_runner.workers == 0  # the worker ended with its queue


@pytest.mark.trio
async def test_other_keys_run_while_one_key_waits() -> None:
    release = trio.Event()
    seen: list[str] = []
    async with trio.open_nursery() as nursery:
        em = Keyed(nursery)

        async def slow() -> None:
            await release.wait()
            seen.append("slow")

        async def later() -> None:
            seen.append("slow's next")

        async def fast() -> None:
            seen.append("fast")
            release.set()

        em.on("a", slow)
        em.emit("a")
        em.off("a", slow).on("a", later)
        em.emit("a")  # queued behind slow on key a
        em.on("b", fast)
        em.emit("b")  # its own key: not held back by a
    assert seen == ["fast", "slow", "slow's next"]


@pytest.mark.trio
async def test_a_raising_keyed_listener_is_reported_and_its_queue_goes_on() -> None:
    seen: list[int] = []
    async with trio.open_nursery() as nursery:
        em = Keyed(nursery)

        async def listener(n: int) -> None:
            await trio.lowlevel.checkpoint()
            if n == 1:
                raise KeyError(n)
            seen.append(n)

        em.on("e", listener)
        for n in range(4):
            em.emit("e", n)
    assert seen == [0, 2, 3]
    assert len(em.errors) == 1 and isinstance(em.errors[0], KeyError)


@pytest.mark.trio
async def test_cancelling_a_worker_drops_its_queue_without_unawaited_coroutines() -> None:
    made: list[Any] = []
    ran: list[int] = []
    with trio.CancelScope() as scope:
        async with trio.open_nursery() as nursery:
            em = Keyed(nursery)

            async def body(n: int) -> None:
                ran.append(n)
                scope.cancel()
                await trio.sleep_forever()

            def listener(n: int) -> Any:  # a plain function returning a coroutine: made at emit
                made.append(body(n))
                return made[-1]

            em.on("e", listener)
            for n in range(5):
                em.emit("e", n)
    assert ran == [0]
    assert all(coro.cr_frame is None for coro in made)  # all closed: no "never awaited" warning
    assert em._listener_runner.workers == 0


@pytest.mark.trio
async def test_unkeyed_async_listeners_each_get_a_task() -> None:
    both = trio.Event()
    waiting = 0
    async with trio.open_nursery() as nursery:
        em = Recorder(nursery)

        async def listener() -> None:
            nonlocal waiting
            waiting += 1
            if waiting == 2:
                both.set()
            await both.wait()  # would deadlock if the two calls ran one after another

        em.on("e", listener)
        em.emit("e")
        em.emit("e")
    assert waiting == 2


class Checked(EventEmitter):
    """An emitter that refuses some events in ``on`` (as ipc_main refuses reserved
    channels) and records what ``_listener_added`` heard."""

    def __init__(self) -> None:
        super().__init__()
        self.added: list[str] = []

    def on(self, event: str, listener: Any) -> Checked:
        if event.startswith("tke:"):
            raise ValueError(f"{event!r} is reserved")
        super().on(event, listener)
        return self

    def _listener_added(self, event: str) -> None:
        self.added.append(event)


def test_add_listener_goes_through_a_subclass_s_on_and_every_addition_is_announced() -> None:
    em = Checked()
    with pytest.raises(ValueError, match="reserved"):
        em.add_listener("tke:internal", lambda *a: None)
    assert em.listener_count("tke:internal") == 0 and em.added == []
    em.add_listener("a", lambda *a: None)
    em.on("b", lambda *a: None)
    em.once("c", lambda *a: None)
    assert em.added == ["a", "b", "c"]


def test_ipc_main_add_listener_refuses_a_reserved_channel_as_on_does() -> None:
    from tkelectron.main._ipc_main import IpcMain

    ipc = IpcMain()
    for add in (ipc.on, ipc.add_listener):
        with pytest.raises(ValueError, match="reserved for tkelectron"):
            add("tke:reserved", lambda *a: None)
    assert ipc.listener_count("tke:reserved") == 0
