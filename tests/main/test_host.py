"""trio as a guest on a real Tk mainloop (tkelectron.main._host), under Xvfb."""

from __future__ import annotations

import os
import signal
import socket
import threading
import tkinter
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from tkelectron.main._host import TkHost, run_on_tk
from tkelectron.main._signals import quit_on_signals

pytestmark = pytest.mark.usefixtures("display")


def test_the_result_comes_back() -> None:
    async def main(a: int, b: int) -> int:
        await trio.lowlevel.checkpoint()
        return a + b

    assert TkHost().run(main, 40, 2) == 42


def test_an_exception_comes_back() -> None:
    async def main() -> None:
        await trio.lowlevel.checkpoint()
        raise KeyError("from trio")

    with pytest.raises(KeyError, match="from trio"):
        TkHost().run(main)


def test_an_exception_in_a_child_task_comes_back_in_a_group() -> None:
    async def main() -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(trio.sleep_forever)

            async def fail() -> None:
                raise ValueError("child")

            nursery.start_soon(fail)

    with pytest.raises(ExceptionGroup) as info:
        TkHost().run(main)
    assert info.value.subgroup(ValueError) is not None


def test_run_waits_for_every_task_and_then_destroys_the_root() -> None:
    done: list[int] = []

    async def main() -> None:
        async with trio.open_nursery() as nursery:
            for i in range(20):
                nursery.start_soon(lambda i=i: _later(done, i))

    host = TkHost()
    assert host.root.state() == "withdrawn"  # the hidden root never shows
    host.run(main)
    assert sorted(done) == list(range(20))
    with pytest.raises(tkinter.TclError):
        host.root.winfo_exists()


async def _later(done: list[int], i: int) -> None:
    for _ in range(i % 4):
        await trio.lowlevel.checkpoint()
    done.append(i)


def test_many_checkpoints() -> None:
    async def main() -> int:
        n = 0
        for _ in range(5000):
            await trio.lowlevel.checkpoint()
            n += 1
        return n

    assert run_on_tk(main) == 5000


def test_timers_fire_in_deadline_order() -> None:
    """Tk's loop wakes trio for its timers: both sleeps end, the earlier deadline first."""

    async def main() -> list[str]:
        woke: list[str] = []

        async def sleeper(name: str, seconds: float) -> None:
            await trio.sleep(seconds)
            woke.append(name)

        with trio.fail_after(10):
            async with trio.open_nursery() as nursery:
                nursery.start_soon(sleeper, "later", 0.03)
                nursery.start_soon(sleeper, "sooner", 0.01)
        return woke

    assert run_on_tk(main) == ["sooner", "later"]


def test_a_thread_can_call_back_into_trio() -> None:
    async def main() -> list[Any]:
        trio_thread = threading.get_ident()

        def in_worker() -> list[Any]:
            worker = threading.get_ident()
            where = trio.from_thread.run_sync(threading.get_ident)
            return [worker != trio_thread, where == trio_thread]

        return await trio.to_thread.run_sync(in_worker)

    assert run_on_tk(main) == [True, True]


def test_many_calls_from_a_thread_all_run_in_order() -> None:
    async def main() -> list[int]:
        token = trio.lowlevel.current_trio_token()
        seen: list[int] = []
        finished = trio.Event()

        def flood() -> None:
            for i in range(1000):
                token.run_sync_soon(seen.append, i)
            token.run_sync_soon(finished.set)

        thread = threading.Thread(target=flood)
        thread.start()
        with trio.fail_after(10):
            await finished.wait()
        thread.join()
        return seen

    assert run_on_tk(main) == list(range(1000))


def test_io_wakes_trio_up() -> None:
    a, b = socket.socketpair()
    a.setblocking(False)
    go = threading.Event()

    def writer() -> None:
        go.wait(10)
        b.sendall(b"ping")

    async def main() -> bytes:
        thread = threading.Thread(target=writer)
        thread.start()
        try:
            with trio.fail_after(10):
                async with trio.open_nursery() as nursery:
                    got: list[bytes] = []

                    async def reader() -> None:
                        await trio.lowlevel.wait_readable(a)
                        got.append(a.recv(16))

                    nursery.start_soon(reader)
                    await trio.testing.wait_all_tasks_blocked()
                    go.set()  # only now does the other thread write
            return got[0]
        finally:
            thread.join()

    try:
        assert run_on_tk(main) == b"ping"
    finally:
        a.close()
        b.close()


def test_tk_events_run_while_trio_runs() -> None:
    host = TkHost()

    async def main() -> str:
        token = trio.lowlevel.current_trio_token()
        fired = trio.Event()
        result: list[str] = []

        def tk_callback() -> None:  # runs in Tk's loop, outside trio
            result.append(host.root.tk.eval("set tcl_version"))
            token.run_sync_soon(fired.set)

        host.root.after(1, tk_callback)
        with trio.fail_after(10):
            await fired.wait()
        return result[0]

    assert host.run(main) == str(tkinter.TclVersion)


def test_a_busy_trio_loop_does_not_starve_tk() -> None:
    host = TkHost()
    flag: list[bool] = []

    async def main() -> int:
        host.root.after(5, lambda: flag.append(True))
        spins = 0
        with trio.fail_after(10):
            while not flag:  # never blocks: trio always has work
                await trio.lowlevel.checkpoint()
                spins += 1
        return spins

    assert host.run(main) > 0


class _SignalledApp:
    """What quit_on_signals needs of the app: where the quit goes, which renderers to kill."""

    def __init__(self) -> None:
        self._renderers: set[Any] = set()
        self._spares: list[Any] = []
        self.quits: list[int] = []
        self.quit_called = trio.Event()

    def _quit_on_signal(self, signum: int) -> None:
        self.quits.append(signum)
        self.quit_called.set()


def test_a_signal_wakes_an_idle_tk_loop_and_quits_through_trio() -> None:
    """Tk sits in C with nothing to do; SIGINT from another thread must still reach trio."""
    app = _SignalledApp()
    before = signal.getsignal(signal.SIGINT)

    async def main() -> list[int]:
        with quit_on_signals(app):  # type: ignore[arg-type]
            assert signal.getsignal(signal.SIGINT) is not before
            with trio.fail_after(10):
                await trio.testing.wait_all_tasks_blocked()  # every task asleep: Tk idles
                thread = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT))
                thread.start()
                await app.quit_called.wait()
            thread.join()
        return app.quits

    assert run_on_tk(main) == [signal.SIGINT]  # no KeyboardInterrupt: the quit ran instead
    assert signal.getsignal(signal.SIGINT) is before  # the previous handler is back
