"""Tk waits for trio's I/O itself (tkelectron.main._guest_wait), on a real Tk under Xvfb.

The first test pins trio's private guest-run internals: when trio changes
(another version, or the code GuestWait re-implements), it fails and says
what to re-check. The others are behaviour: who runs trio's ticks, that every
kind of wake-up still reaches trio, timeouts, cancellation, Ctrl+C, cleanup,
and the fallback to trio's own I/O thread.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import signal
import socket
import textwrap
import threading
from collections.abc import Callable, Iterator
from typing import Any

import outcome
import pytest
import trio
import trio._core._io_epoll
import trio._core._run
import trio.lowlevel
import trio.testing

from tkelectron.main import _guest_wait, _host
from tkelectron.main._guest_wait import KNOWN_TRIO_VERSIONS, GuestWait, guest_state_of, hold_wakeups, run_due_tick
from tkelectron.main._host import TkHost

pytestmark = pytest.mark.usefixtures("display")

#: sha256 of the trio code GuestWait re-implements or relies on, as of trio
#: 0.35.0. If one changes, read the new code against _guest_wait.py (the tick
#: protocol, guest_tick_scheduled, what get_events returns), then update
#: KNOWN_TRIO_VERSIONS there and the hashes here.
_PINNED_SOURCES = {
    "GuestState.guest_tick": "bc33eab88ff588e612412c08bf92914c4af7dccbb0dc34c4a4ceeb844eaef3f1",
    "Runner.force_guest_tick_asap": "ff32b219d5452b3bd4fd5ad46d51c56f5f245ffdcba0a9a66a6a5f08b0e2c9ba",
    "EpollIOManager.get_events": "b15c4ffbdf99c8b971cebdd759288a6ff79cec49469024024469155c57093b21",
    "EpollIOManager.force_wakeup": "7d43b47e94f11a05564e0a29968daee6fdb86cdc89db1c433dc34c1cc096a839",
    "Runner.reschedule": "4e289b1c6d80a558ccc6fd581a86adfdc5e1b419f9d20cea1b3dfd7248bfbaf0",
    "Deadlines.next_deadline": "03f7988ec29896138a65b2e1c5ed4dd98f418770e4f07534c45965a56306e271",
}


def _sources() -> dict[str, Callable[..., Any]]:
    return {
        "GuestState.guest_tick": trio._core._run.GuestState.guest_tick,
        "Runner.force_guest_tick_asap": trio._core._run.Runner.force_guest_tick_asap,
        "EpollIOManager.get_events": trio._core._io_epoll.EpollIOManager.get_events,
        "EpollIOManager.force_wakeup": trio._core._io_epoll.EpollIOManager.force_wakeup,
        # hold_wakeups: a reschedule or a moved deadline asks for a tick only through the flag.
        "Runner.reschedule": trio._core._run.Runner.reschedule,
        "Deadlines.next_deadline": trio._core._run.Deadlines.next_deadline,
    }


def _digest(fn: Callable[..., Any]) -> str:
    return hashlib.sha256(textwrap.dedent(inspect.getsource(fn)).encode()).hexdigest()


def test_trio_internals_have_the_pinned_shape() -> None:
    assert trio.__version__ in KNOWN_TRIO_VERSIONS, (
        f"trio {trio.__version__} is not one _guest_wait was checked against "
        f"({sorted(KNOWN_TRIO_VERSIONS)}): main falls back to trio's I/O thread until it is re-checked"
    )
    changed = {name: _digest(fn) for name, fn in _sources().items() if _digest(fn) != _PINNED_SOURCES[name]}
    assert not changed, f"trio's guest-run code changed, re-check tkelectron/main/_guest_wait.py: {changed}"


# -- helpers -------------------------------------------------------------------


class _Calls:
    """Counts calls to trio's worker-thread starter and to the host's threadsafe path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.threads = 0
        self.threadsafe = 0
        start = trio._core._run.start_thread_soon
        schedule = TkHost._schedule_threadsafe

        def counting_start(*args: Any, **kwargs: Any) -> None:
            self.threads += 1
            start(*args, **kwargs)

        def counting_schedule(host: TkHost, fn: Callable[[], Any]) -> None:
            self.threadsafe += 1
            schedule(host, fn)

        monkeypatch.setattr(trio._core._run, "start_thread_soon", counting_start)
        monkeypatch.setattr(TkHost, "_schedule_threadsafe", counting_schedule)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> _Calls:
    return _Calls(monkeypatch)


@pytest.fixture(params=["guest-wait", "trio-thread"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both ways of hosting: Tk waiting for trio, and the fallback (trio's thread)."""
    if request.param == "trio-thread":
        monkeypatch.setattr(_host, "guest_state_of", lambda fn: None)
    yield request.param


async def _idle() -> None:
    """Return once every task sleeps (so trio waits in Tk, or in its thread)."""
    await trio.testing.wait_all_tasks_blocked()


async def _recv_when_readable(sock: socket.socket, got: list[bytes]) -> None:
    await trio.lowlevel.wait_readable(sock)
    got.append(sock.recv(16))


def _after_ids(host: TkHost) -> set[str]:
    return set(host.root.tk.splitlist(host.root.tk.call("after", "info")))


# -- who runs the ticks --------------------------------------------------------


def test_tk_runs_every_tick_without_trio_s_thread_or_the_self_pipe(calls: _Calls) -> None:
    """Sleeps, timeouts and I/O waits all wait in Tk: no worker thread starts, no pipe byte."""
    a, b = socket.socketpair()
    host = TkHost()
    watched: list[bool] = []

    def write() -> None:
        assert host.guest_wait is not None
        watched.append(host.guest_wait.watching)
        b.sendall(b"ping")

    async def main() -> bytes:
        assert isinstance(host.guest_wait, GuestWait)
        await trio.sleep(0.01)
        with trio.move_on_after(0.01):
            await trio.sleep_forever()
        got: list[bytes] = []
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_recv_when_readable, a, got)
            await _idle()
            host.root.after(1, write)  # from Tk, while trio waits in Tk
        return got[0]

    try:
        assert host.run(main) == b"ping"
    finally:
        a.close()
        b.close()
    assert watched == [True]
    assert (calls.threads, calls.threadsafe) == (0, 0)


def test_the_fallback_uses_trio_s_thread(calls: _Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the shape check says no, trio keeps its I/O thread (and the previous test can fail)."""
    monkeypatch.setattr(_host, "guest_state_of", lambda fn: None)
    host = TkHost()

    async def main() -> None:
        assert host.guest_wait is None
        await trio.sleep(0.01)

    host.run(main)
    assert calls.threads > 0
    assert calls.threadsafe > 0


def test_the_shape_check_refuses_what_it_does_not_know(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    host = TkHost()
    schedule = host._schedule

    def first_tick(fn: Callable[[], object]) -> None:
        seen.append(fn)
        schedule(fn)

    async def main() -> None:
        await trio.lowlevel.checkpoint()

    monkeypatch.setattr(host, "_schedule", first_tick)  # catch what trio hands the host
    host.run(main)
    tick = seen[0]
    assert guest_state_of(tick) is tick.__self__
    assert guest_state_of(lambda: None) is None
    monkeypatch.setattr(trio, "__version__", "0.99.0")
    assert guest_state_of(tick) is None


# -- every wake-up still reaches trio ---------------------------------------------


def test_another_thread_wakes_an_idle_trio(mode: str) -> None:
    """TrioToken.run_sync_soon from a thread (the zygote's, a dialog's) while trio waits."""

    async def main() -> str:
        token = trio.lowlevel.current_trio_token()
        done = trio.Event()
        with trio.fail_after(10):
            await _idle()  # trio waits (in Tk, or in its thread) with nothing due
            thread = threading.Thread(target=token.run_sync_soon, args=(done.set,))
            thread.start()
            await done.wait()
        thread.join()
        return "woke"

    assert TkHost().run(main) == "woke"


def test_a_tk_callback_wakes_trio(mode: str) -> None:
    """Host code (a Tk callback: a renderer socket read inline) sets an event trio waits on."""
    host = TkHost()

    async def main() -> str:
        event = trio.Event()
        host.root.after(1, event.set)
        with trio.fail_after(10):
            await event.wait()
        return "woke"

    assert host.run(main) == "woke"


def test_a_deadline_moved_by_host_code_wakes_trio(monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving a cancel scope's deadline from Tk wakes the wait (force_guest_tick_asap).

    With no timer cap, nothing but that wake-up could end the sleep before the
    10 s guard.
    """
    monkeypatch.setattr(_guest_wait, "MAX_WAIT_MS", 60_000)
    host = TkHost()

    async def main() -> bool:
        with trio.fail_after(10):
            with trio.CancelScope(deadline=trio.current_time() + 3600) as scope:
                host.root.after(1, lambda: setattr(scope, "deadline", trio.current_time()))
                await trio.sleep_forever()
        return scope.cancelled_caught

    assert host.run(main) is True


def test_cancelling_from_a_tk_callback_wakes_trio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_guest_wait, "MAX_WAIT_MS", 60_000)
    host = TkHost()

    async def main() -> bool:
        with trio.fail_after(10):
            with trio.CancelScope() as scope:
                host.root.after(1, scope.cancel)
                await trio.sleep_forever()
        return scope.cancelled_caught

    assert host.run(main) is True


def test_an_idle_trio_with_no_deadline_sets_no_timer() -> None:
    """Nothing has a deadline: Tk watches trio's epoll fd and sets no ``after`` timer.

    An idle app must not wake at all (issue #13: idle main at 0 % CPU); a
    capped timer here would wake main every MAX_WAIT_MS. A deadline, once
    one exists, arms the timer again.
    """
    host = TkHost()
    found: list[tuple[bool, tuple[str, ...]]] = []

    async def main() -> None:
        idle, timed = trio.Event(), trio.Event()

        def look(then: trio.Event) -> None:
            try:
                wait = host.guest_wait
                assert wait is not None
                found.append((wait.watching, wait.pending_after))
            finally:
                then.set()  # from Tk: force_guest_tick_asap wakes trio

        host.root.after(50, look, idle)
        await idle.wait()  # no deadline anywhere in this run
        with trio.CancelScope(deadline=trio.current_time() + 3600):
            host.root.after(50, look, timed)
            await timed.wait()

    host.run(main)
    (idle_watching, idle_pending), (timed_watching, timed_pending) = found
    assert idle_watching and idle_pending == ()
    assert timed_watching and len(timed_pending) == 1


def test_a_wait_with_no_deadline_drops_the_timer_an_earlier_wait_kept() -> None:
    """Waits keep their deadline's timer; once nothing has a deadline, none is left pending."""
    host = TkHost()
    found: list[tuple[str, ...]] = []

    async def main() -> None:
        def look(then: trio.Event) -> None:
            try:
                wait = host.guest_wait
                assert wait is not None
                found.append(wait.pending_after)
            finally:
                then.set()

        with trio.CancelScope(deadline=trio.current_time() + 3600):
            timed = trio.Event()
            host.root.after(20, look, timed)
            await timed.wait()
        idle = trio.Event()
        host.root.after(20, look, idle)
        await idle.wait()

    host.run(main)
    timed_pending, idle_pending = found
    assert len(timed_pending) == 1 and idle_pending == ()


def test_a_nearer_deadline_replaces_the_timer_a_wait_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each wait keeps the last one's timer only if it fires no later than its own deadline.

    The first waits time out in an hour (their timer capped at 60 s here); a
    short sleep then must arm its own: kept, the sleep would end a minute
    later, when the capped timer fires.
    """
    monkeypatch.setattr(_guest_wait, "MAX_WAIT_MS", 60_000)
    host = TkHost()

    async def main() -> float:
        with trio.CancelScope(deadline=trio.current_time() + 3600):
            await _idle()  # trio waits in Tk: a timer for the hour
            event = trio.Event()
            host.root.after(1, event.set)
            await event.wait()  # another wait for the same hour: its timer is kept
            start = trio.current_time()
            with trio.move_on_after(0.05):
                await trio.sleep_forever()
            return trio.current_time() - start

    # Not a speed check: kept, the timer would end the sleep after 60 s, not 0.05.
    assert host.run(main) < 30


def test_a_timeout_is_not_reported_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """A capped timer, or a readable fd with nothing to read, is not "the timeout passed".

    ``wait_all_tasks_blocked(cushion)`` wakes when trio's wait times out with
    nothing to do; reporting either early would end it before its cushion.
    """
    monkeypatch.setattr(_guest_wait, "MAX_WAIT_MS", 5)
    host = TkHost()
    cushion = 0.3

    def spurious() -> None:
        wait = host.guest_wait
        assert wait is not None and wait.watching
        wait._on_readable(0, 0)  # as if Tk saw the epoll fd readable with nothing ready

    async def main() -> float:
        start = trio.current_time()
        host.root.after(20, spurious)
        await trio.testing.wait_all_tasks_blocked(cushion=cushion)
        return trio.current_time() - start

    assert host.run(main) >= cushion


def test_a_signal_wakes_an_idle_tk_and_ctrl_c_reaches_trio(mode: str) -> None:
    """SIGINT with Python's default handler: trio delivers KeyboardInterrupt to the main task."""
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    seen: list[str] = []

    async def main() -> None:
        try:
            with trio.fail_after(10):
                await _idle()
                threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()
                await trio.sleep_forever()
        except KeyboardInterrupt:
            seen.append("in trio")
            raise

    host = TkHost()
    with pytest.raises(KeyboardInterrupt):
        host.run(main)
    assert seen == ["in trio"]  # trio unwound its tasks: it did not hit Tk's loop


def test_run_due_tick_runs_a_task_woken_by_host_code_before_the_callback_returns(mode: str) -> None:
    """What the renderer reader does after an inline reply: no trip through Tcl's notifier."""
    host = TkHost()
    order: list[str] = []

    def tk_callback(event: trio.Event) -> None:
        event.set()  # a task is runnable: force_guest_tick_asap
        run_due_tick()
        order.append("callback returns")

    async def main() -> None:
        event = trio.Event()
        run_due_tick()  # inside a tick: nothing to do, and it must not nest one
        host.root.after(1, tk_callback, event)
        with trio.fail_after(10):
            await event.wait()
        order.append("task resumed")

    host.run(main)
    if mode == "guest-wait":
        assert order == ["task resumed", "callback returns"]
    else:  # trio's thread hands the tick over later, through the self-pipe
        assert order == ["callback returns", "task resumed"]


class _Wakeups:
    """Counts the bytes trio writes to its wake-up socket (``force_wakeup``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        wakeup = trio._core._io_epoll.EpollIOManager.force_wakeup

        def counting(io: Any) -> None:
            self.count += 1
            wakeup(io)

        monkeypatch.setattr(trio._core._io_epoll.EpollIOManager, "force_wakeup", counting)


def test_held_wakeups_tick_for_a_woken_task_without_trio_s_wakeup_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """hold_wakeups, then a task woken: the callback's run_due_tick resumes it; trio wrote nothing."""
    wakeups = _Wakeups(monkeypatch)
    host = TkHost()
    order: list[str] = []
    seen: list[int] = []

    def tk_callback(event: trio.Event) -> None:
        hold_wakeups()
        before = wakeups.count
        event.set()  # reschedule: force_guest_tick_asap finds the tick asked for
        seen.append(wakeups.count - before)
        run_due_tick()
        order.append("callback returns")

    async def main() -> None:
        event = trio.Event()
        await _idle()
        host.root.after(1, tk_callback, event)
        with trio.fail_after(10):
            await event.wait()
        order.append("task resumed")

    host.run(main)
    assert seen == [0]
    assert order == ["task resumed", "callback returns"]


def test_held_wakeups_with_nothing_woken_leave_trio_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """No task woken, no deadline moved: no tick, and trio still wakes for what comes later."""
    host = TkHost()
    ticks: list[int] = []
    tick = GuestWait.tick

    def counting_tick(self: GuestWait) -> None:
        ticks.append(1)
        tick(self)

    def idle_callback() -> None:
        assert host.guest_wait is not None
        waiting.append(host.guest_wait.watching)
        hold_wakeups()
        before = len(ticks)
        run_due_tick()
        ticks_in_callback.append(len(ticks) - before)

    ticks_in_callback: list[int] = []
    waiting: list[bool] = []

    async def main() -> str:
        monkeypatch.setattr(GuestWait, "tick", counting_tick)
        event = trio.Event()
        await _idle()
        host.root.after(1, idle_callback)
        host.root.after(20, event.set)  # the flag went back: this wakes trio as ever
        with trio.fail_after(10):
            await event.wait()
        return "woke"

    assert host.run(main) == "woke"
    assert waiting == [True]  # trio waited in Tk: the flag was there to take
    assert ticks_in_callback == [0]


def test_held_wakeups_tick_when_host_code_moves_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deadline moved inside a held callback ends the wait from its run_due_tick (no timer cap helps)."""
    monkeypatch.setattr(_guest_wait, "MAX_WAIT_MS", 60_000)
    host = TkHost()

    async def main() -> bool:
        with trio.fail_after(10):
            with trio.CancelScope(deadline=trio.current_time() + 3600) as scope:

                def move() -> None:
                    hold_wakeups()
                    scope.deadline = trio.current_time()
                    run_due_tick()

                host.root.after(1, move)
                await trio.sleep_forever()
        return scope.cancelled_caught

    assert host.run(main) is True


# -- cleanup -------------------------------------------------------------------------


def test_a_finished_run_leaves_no_handler_timer_or_command() -> None:
    host = TkHost()
    before = _after_ids(host)
    waits: list[GuestWait] = []

    async def main() -> None:
        wait = host.guest_wait
        assert wait is not None
        waits.append(wait)
        await trio.sleep(0.01)
        with trio.move_on_after(0.01):
            await trio.sleep_forever()

    host.run(main, keep=True)
    try:
        (wait,) = waits
        assert host.guest_wait is None and _guest_wait._current is None
        assert not wait.watching
        assert wait.pending_after == ()
        assert _after_ids(host) <= before
        for cmd in (wait._tick_cmd, wait._timer_cmd):
            assert host.root.tk.call("info", "commands", cmd) == ""

        async def again() -> int:  # the host runs again, with a new GuestWait
            assert host.guest_wait is not None and host.guest_wait is not wait
            await trio.sleep(0.01)
            return 7

        assert host.run(again, keep=True) == 7
    finally:
        host.close()


def test_closing_mid_wait_removes_the_handler_and_timer() -> None:
    """GuestWait.close while trio waits in Tk (as when mainloop raises out of a run)."""
    host = TkHost()
    found: list[Any] = []

    def close_it(event: trio.Event) -> None:  # a Tk callback: trio waits in Tk now
        wait = host.guest_wait
        assert wait is not None
        found.append((wait.watching, wait.pending_after))
        wait.close()
        found.append((wait.watching, wait.pending_after, _after_ids(host) & set(found[0][1])))
        # Hand the rest of the run to a fresh GuestWait, or the run would hang.
        host.guest_wait = GuestWait(host.root, wait._state)
        event.set()
        host.guest_wait._deliver(outcome.Value([]))

    async def main() -> None:
        event = trio.Event()
        host.root.after(1, close_it, event)
        with trio.fail_after(10):
            await event.wait()

    host.run(main)
    (watching, pending), (watching_after, pending_after, still_scheduled) = found
    assert watching and pending
    assert not watching_after and pending_after == () and still_scheduled == set()


# -- ticks that skip Tk's idle round -------------------------------------------


def _idle_ran_during_checkpoints(host: TkHost, skip: bool) -> tuple[bool, bool]:
    """Whether an idle callback set before 20 checkpoints ran during them, and by the run's end."""
    ran: list[bool] = []

    async def main() -> tuple[bool, bool]:
        _guest_wait.skip_idle(skip)
        try:
            host.root.after_idle(lambda: ran.append(True))
            for _ in range(20):
                await trio.lowlevel.checkpoint()
            during = bool(ran)
        finally:
            _guest_wait.skip_idle(False)
        for _ in range(3):
            await trio.lowlevel.checkpoint()
        return during, bool(ran)

    return host.run(main)


def test_skip_idle_runs_ticks_before_tk_s_idle_round_until_it_is_off() -> None:
    """A sliced commit's ticks (skip_idle on) let no idle callback (Tkhtml's
    layout) run between them; once off, the next tick waits for the round."""
    assert _idle_ran_during_checkpoints(TkHost(), skip=False) == (True, True)
    assert _idle_ran_during_checkpoints(TkHost(), skip=True) == (False, True)


def test_skip_idle_calls_nest() -> None:
    """Two commits applied at once: the first to end leaves the other skipping."""
    host = TkHost()
    counts: list[int] = []

    async def main() -> None:
        wait = host.guest_wait
        assert wait is not None
        _guest_wait.skip_idle(True)
        _guest_wait.skip_idle(True)
        _guest_wait.skip_idle(False)
        counts.append(wait.skip_idle)
        _guest_wait.skip_idle(False)
        _guest_wait.skip_idle(False)  # one off too many stays off
        counts.append(wait.skip_idle)

    host.run(main)
    assert counts == [1, 0]


def test_skip_idle_holds_the_idle_round_back_at_most_max_idle_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a renderer sends, Tk's idle round is skipped for at most
    MAX_IDLE_SKIP at a stretch (0 here: never)."""
    monkeypatch.setattr(_guest_wait, "MAX_IDLE_SKIP", 0.0)
    assert _idle_ran_during_checkpoints(TkHost(), skip=True) == (True, True)
