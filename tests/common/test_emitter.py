"""The Node-style EventEmitter shared by both processes (tkelectron.common._emitter)."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import pytest
import trio

from tkelectron.common._emitter import EventEmitter, PreventableEvent


class Recorder(EventEmitter):
    """An emitter wired the way the app and renderer wire theirs: a nursery and an error sink."""

    def __init__(self, nursery: trio.Nursery | None = None) -> None:
        super().__init__()
        self.nursery = nursery
        self.errors: list[BaseException] = []

    def _spawn_listener(self, fn: Callable[[], Awaitable[Any]]) -> None:
        assert self.nursery is not None
        self.nursery.start_soon(fn)

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
            await trio.sleep(0)
            seen.append(("async", x))

        async def failing(x: int) -> None:
            await trio.sleep(0)
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
