"""Tk waits for trio's I/O itself: trio's guest ticks run from Tk's own wait.

In trio's guest mode, when trio has nothing to run it waits for I/O in a
worker thread (``io_manager.get_events(timeout)``) and hands each wake-up to
the host through ``run_sync_soon_threadsafe``: on Tk that is a byte down the
host's self-pipe, which Tcl's notifier sees, and only then does Tk run the
tick. Every wake-up of main (a socket trio waits on, a task a Tk callback
rescheduled, a signal, ``TrioToken.run_sync_soon`` from another thread) takes
that relay, two thread hops before trio runs.

Trio's I/O waits in one epoll instance, and an epoll fd is itself readable
when any fd registered in it is ready, so Tk can wait on it directly: a
``createfilehandler`` on trio's epoll fd plus one ``after`` timer for trio's
next deadline replace the worker thread. When either fires, the events are
collected without blocking (``get_events(0)``) and the tick runs right there,
in the Tk callback. Everything that wakes trio still wakes it: trio's
``force_wakeup`` socket, its entry queue's wake-up socket (other threads'
``run_sync_soon`` and the signal wake-up fd) and every fd a task waits on are
all registered in that epoll instance. And when a Tk callback itself makes a
task runnable (the renderer reader resolving an invoke's reply), it runs the
tick before it returns (:func:`run_due_tick`) instead of waiting for Tcl's
notifier to see trio's wake-up socket.

This drives trio's private guest-run state (``trio._core._run.GuestState``:
its ``unrolled_run_gen``/``unrolled_run_next_send``, the runner's
``guest_tick_scheduled`` and its ``EpollIOManager``), so it is pinned:
:func:`guest_state_of` accepts only the trio versions in
``KNOWN_TRIO_VERSIONS`` with exactly the shape this was written against, and
:class:`~._host.TkHost` falls back to trio's own worker thread otherwise
(another trio, another I/O manager such as kqueue or IOCP, a Tk without file
handlers). ``tests/main/test_guest_wait.py`` fails loudly when trio's shape
changes, so the pin is revisited rather than silently dropped.

:meth:`GuestWait.tick` is trio's ``GuestState.guest_tick`` with the thread
branch replaced: same ``unrolled_run`` protocol, same ``guest_tick_scheduled``
bookkeeping (``Runner.force_guest_tick_asap`` relies on it to know whether it
must wake the wait), same sniffio name, same done callback.
"""

from __future__ import annotations

import math
import time
import tkinter
from collections.abc import Callable
from typing import Any

import outcome
import sniffio
import trio

__all__ = ["KNOWN_TRIO_VERSIONS", "MAX_IDLE_SKIP", "MAX_WAIT_MS", "GuestWait", "guest_state_of", "hold_wakeups",
           "run_due_tick", "skip_idle"]

#: The trio releases whose guest-run internals this module was checked against.
KNOWN_TRIO_VERSIONS = frozenset({"0.35.0"})

#: The longest single ``after`` timer (ms). Tcl 8.6 times ``after`` with the
#: wall clock, so a clock stepped backwards would hold a longer timer back by
#: the step; trio's own wait is monotonic. Checking the monotonic clock every
#: 10 s bounds that delay (Tk's own timers have no bound at all) for one
#: short Tk callback per 10 s while a deadline is pending (no trio tick: see
#: :meth:`GuestWait._on_timer`); each wake-up of Tk costs three context
#: switches (main and Tcl's notifier thread). An idle main with no deadline
#: at all sets no timer (:meth:`GuestWait._wait`), so it does not wake.
MAX_WAIT_MS = 10_000

#: The longest wait trio ever asks for (``trio._core._run._MAX_TIMEOUT``): what
#: it asks when nothing has a deadline. Such a wait needs no timer at all.
_TRIO_MAX_TIMEOUT: float = getattr(trio._core._run, "_MAX_TIMEOUT", 0.0)

#: The longest stretch (seconds) of ticks that skip Tk's idle round
#: (:func:`skip_idle`): then one tick waits for it, whoever asks to skip.
MAX_IDLE_SKIP = 0.2
#: The run Tk waits for now (one Tk and one trio run per thread at a time).
_current: GuestWait | None = None

_GUEST_STATE_FIELDS = ("runner", "unrolled_run_gen", "unrolled_run_next_send", "done_callback")
_RUNNER_FIELDS = ("io_manager", "guest_tick_scheduled", "main_task_outcome", "is_guest", "runq", "deadlines")


def guest_state_of(fn: Callable[[], object]) -> Any | None:
    """Trio's guest-run state behind ``fn``, if ``fn`` is a guest tick of a shape we know.

    ``fn`` is what ``trio.lowlevel.start_guest_run`` hands the host for its
    first tick (``GuestState.guest_tick``, bound). None means "do not take
    over": the caller runs ``fn`` the ordinary way and trio keeps its thread.
    """
    if trio.__version__ not in KNOWN_TRIO_VERSIONS:
        return None
    state = getattr(fn, "__self__", None)
    if state is None or getattr(fn, "__name__", None) != "guest_tick":
        return None
    if type(state).__name__ != "GuestState" or type(state).__module__ != "trio._core._run":
        return None
    if not all(hasattr(state, name) for name in _GUEST_STATE_FIELDS):
        return None
    runner = state.runner
    if not all(hasattr(runner, name) for name in _RUNNER_FIELDS) or runner.is_guest is not True:
        return None
    if not _TRIO_MAX_TIMEOUT > 0 or not callable(getattr(runner.deadlines, "next_deadline", None)):
        return None
    io = runner.io_manager
    if type(io).__name__ != "EpollIOManager":
        return None
    epoll = getattr(io, "_epoll", None)
    if not callable(getattr(epoll, "fileno", None)) or not callable(getattr(io, "get_events", None)):
        return None
    if not isinstance(state.unrolled_run_next_send, outcome.Value | outcome.Error):
        return None
    return state


def hold_wakeups() -> None:
    """Let the Tk callback that calls this run trio's tick itself, without trio's wake-up byte.

    A task the callback reschedules (an invoke's reply resolving its caller)
    or a deadline it moves makes trio call ``force_guest_tick_asap``, which
    writes trio's wake-up socket so that the epoll fd turns readable: a
    ``send`` now, Tcl's notifier thread woken for a readable fd no one will
    read, and the tick's ``get_events`` then draining the byte again. A
    callback that ends in :func:`run_due_tick` does not need the byte: this
    marks the tick as asked for already (``guest_tick_scheduled``), so trio
    writes nothing, and :func:`run_due_tick` looks for itself whether a task
    became runnable or trio's next deadline moved, and ticks only then.
    Nothing may run a tick in between (no nested Tk loop: see
    ``compositor._tk_dialogs``). Does nothing outside a wait, as
    :func:`run_due_tick`.
    """
    if _current is not None:
        _current.hold_wakeups()


def skip_idle(on: bool) -> None:
    """While on, trio's next ticks come before Tk's idle round, not after it.

    A busy trio loop normally lets Tk's idle callbacks run between its ticks
    (``after idle after 0``): Tkhtml's layout and redraw are idle callbacks.
    A commit applied in slices yields between them so that main's loop runs;
    each such turn then laid the whole growing document out again (10,000
    list rows in slices of 1,000: ten layouts of 1,000 .. 10,000 rows, ~300 ms
    of a ~500 ms refill here). With this on, a tick is scheduled with
    ``after 0``: Tk still reads input, runs its timers and file handlers
    (other renderers' sockets wake trio) between ticks, but the layout and
    redraw wait until the commit is applied, and run once. Tk's idle round is
    held back at most :data:`MAX_IDLE_SKIP` seconds at a stretch, whatever a
    renderer sends. Calls nest (one on and one off per commit): two windows'
    commits applied at once both skip until the last ends. Does nothing in
    trio's own thread fallback.
    """
    if _current is not None:
        _current.skip_idle = max(0, _current.skip_idle + (1 if on else -1))


def run_due_tick() -> None:
    """Run trio's tick now if host code (this Tk callback) made a task runnable.

    Trio's ``Runner.force_guest_tick_asap`` marks ``guest_tick_scheduled``
    and writes its wake-up socket; the epoll fd turns readable and Tk would
    run the tick once its notifier saw it. A Tk callback that knows it may
    have woken a task (the renderer reader, after it resolved an invoke's
    reply) calls this as it ends to run the tick at once, skipping that
    round trip. Does nothing outside a wait (inside a tick, or in the
    fallback), so it never nests a tick.
    """
    if _current is not None:
        _current.tick_if_due()


class GuestWait:
    """Runs one trio guest run's ticks from Tk, waiting on trio's epoll fd in Tk.

    Made by :class:`~._host.TkHost` for trio's first tick; it then owns every
    tick of the run. :meth:`close` removes its file handler, timer and Tcl
    commands (the run ends, or the host closes under it).
    """

    def __init__(self, root: tkinter.Misc, state: Any) -> None:
        self._root = root
        self._tk: Any = root.tk
        self._state = state
        self._runner = state.runner
        self._io = state.runner.io_manager
        self._epoll_fd: int = self._io._epoll.fileno()
        self._watching = False
        self._closed = False
        #: When trio's current wait times out (time.monotonic()).
        self._wake_at = math.inf
        #: Set by :meth:`hold_wakeups` (trio's next deadline then) until
        #: :meth:`tick_if_due`: the ``guest_tick_scheduled`` flag is ours.
        self._held: float | None = None
        # Pending Tcl `after` ids: the next tick, the deadline timer.
        self._tick_id: str | None = None
        self._timer_id: str | None = None
        #: When the deadline timer fires (time.monotonic(), to the ms).
        self._timer_at = math.inf
        #: How many callers of :func:`skip_idle` have it on; ``_skip_since`` is
        #: when the stretch of ticks that skipped the idle round began (None:
        #: the last one waited).
        self.skip_idle = 0
        self._skip_since: float | None = None
        self._tick_cmd = root.register(self._scheduled_tick)
        self._timer_cmd = root.register(self._on_timer)

    @property
    def watching(self) -> bool:
        """Whether Tk watches trio's epoll fd now (trio waits for I/O or its deadline)."""
        return self._watching

    @property
    def pending_after(self) -> tuple[str, ...]:
        """The Tcl ``after`` ids this run still has pending (for tests: none once closed)."""
        return tuple(i for i in (self._tick_id, self._timer_id) if i is not None)

    def start(self) -> None:
        """Take the place of trio's first ``run_sync_soon_not_threadsafe(guest_tick)``."""
        global _current
        _current = self
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        # As TkHost's own not-threadsafe path: `after idle after 0`, so a busy
        # trio loop lets Tk's input, timers and redraws run between its ticks.
        # While a sliced commit is applied (skip_idle), `after 0` alone, for
        # at most MAX_IDLE_SKIP at a stretch.
        if self._tick_id is None and not self._closed:
            if self.skip_idle:
                now = time.monotonic()
                if self._skip_since is None:
                    self._skip_since = now
                if now - self._skip_since < MAX_IDLE_SKIP:
                    self._tick_id = self._tk.call("after", "0", self._tick_cmd)
                    return
            self._skip_since = None
            self._tick_id = self._tk.call("after", "idle", "after", "0", self._tick_cmd)

    # -- Tk callbacks. KI-protected like trio's own guest tick: a Ctrl+C that
    # lands in one is delivered to trio's main task, never raised in the
    # middle of a tick, whatever the frames that run Tk's loop are marked.

    @trio.lowlevel.enable_ki_protection
    def _scheduled_tick(self) -> None:
        self._tick_id = None
        if not self._closed:
            self.tick()

    @trio.lowlevel.enable_ki_protection
    def _on_readable(self, _fd: int, _mask: int) -> None:
        if not self._watching:
            return  # a stale event Tcl queued before the handler went away
        events = outcome.capture(self._io.get_events, 0)
        if isinstance(events, outcome.Value) and not events.value:
            # Nothing after all (an fd drained meanwhile). An empty result
            # tells trio its timeout ran out (it then wakes
            # wait_all_tasks_blocked and autojumps clocks), so keep waiting.
            return
        self._stop_waiting()
        self._deliver(events)

    @trio.lowlevel.enable_ki_protection
    def _on_timer(self) -> None:
        self._timer_id = None
        if not self._watching:
            return
        remaining = self._wake_at - time.monotonic()
        if remaining > 0:
            # Early: the timer was capped (MAX_WAIT_MS), kept from an earlier
            # wait (see _wait) or the wall clock jumped. Trio must not hear
            # "timeout" before its timeout (it would wake
            # wait_all_tasks_blocked or autojump a clock early).
            if not math.isinf(remaining):  # no deadline: no timer (see _wait)
                self._arm_timer(remaining, time.monotonic())
            return
        self._stop_waiting()
        # Collected without blocking: empty means the timeout passed, as
        # trio's own get_events(timeout) would say.
        self._deliver(outcome.capture(self._io.get_events, 0))

    # -- the tick -------------------------------------------------------------

    @trio.lowlevel.enable_ki_protection
    def tick(self) -> None:
        """One guest tick: run trio until it would wait, then wait in Tk."""
        state = self._state
        runner = self._runner
        prev_library, sniffio.thread_local.name = sniffio.thread_local.name, "trio"
        try:
            timeout = state.unrolled_run_next_send.send(state.unrolled_run_gen)
        except StopIteration:
            # Trio closed its epoll fd on the way out; nothing watches it.
            self.close()
            state.done_callback(runner.main_task_outcome)
            return
        except trio.TrioInternalError as exc:
            self.close()
            state.done_callback(outcome.Error(exc))
            return
        finally:
            sniffio.thread_local.name = prev_library
        events = outcome.capture(self._io.get_events, 0)
        if timeout <= 0 or isinstance(events, outcome.Error) or events.value:
            state.unrolled_run_next_send = events
            runner.guest_tick_scheduled = True
            self._schedule_tick()
        else:
            # From here a task rescheduled by host code (a Tk callback) calls
            # force_guest_tick_asap, which writes trio's wake-up socket: the
            # epoll fd turns readable and Tk runs the tick.
            runner.guest_tick_scheduled = False
            self._wait(timeout)

    def hold_wakeups(self) -> None:
        """Take trio's tick flag while trio waits in Tk (see :func:`hold_wakeups`)."""
        runner = self._runner
        if self._watching and self._held is None and not runner.guest_tick_scheduled:
            runner.guest_tick_scheduled = True  # force_guest_tick_asap: "asked already", no byte
            self._held = runner.deadlines.next_deadline()

    def tick_if_due(self) -> None:
        """Tick now if trio waits in Tk and host code asked for a tick (see :func:`run_due_tick`)."""
        runner = self._runner
        held, self._held = self._held, None
        if held is not None and self._watching and not runner.runq and runner.deadlines.next_deadline() == held:
            # Nothing became runnable and the wait's deadline stands: trio
            # waits on, as if the flag had never been taken.
            runner.guest_tick_scheduled = False
            return
        if self._watching and runner.guest_tick_scheduled:
            self._stop_waiting()
            self._deliver(outcome.capture(self._io.get_events, 0))

    def _deliver(self, events: outcome.Outcome[Any]) -> None:
        self._state.unrolled_run_next_send = events
        self._runner.guest_tick_scheduled = True
        self.tick()

    def _wait(self, timeout: float) -> None:
        if self._closed:
            return
        self._tk.createfilehandler(self._epoll_fd, tkinter.READABLE, self._on_readable)
        self._watching = True
        if timeout >= _TRIO_MAX_TIMEOUT and math.isinf(self._runner.deadlines.next_deadline()):
            # Nothing has a deadline (and no wait_all_tasks_blocked or
            # autojump shortened the wait): trio's own wait would only end
            # after a day to wait again, so an idle main sets no timer and
            # sleeps until an fd, a signal or another thread wakes it. A
            # deadline set later is set in a tick (or by host code, which
            # wakes trio: force_guest_tick_asap), and each tick waits anew.
            # A timer an earlier wait kept goes too.
            self._wake_at = math.inf
            self._cancel_timer()
            return
        # epoll's own clock: trio's get_events(timeout) times out on it.
        now = time.monotonic()
        self._wake_at = now + timeout
        if self._timer_id is not None:
            if self._timer_at <= self._wake_at:
                # The last wait's timer fires no later than this one must:
                # kept (one `after cancel` and one `after` less per tick); if
                # it fires early, _on_timer arms the rest.
                return
            self._cancel_timer()
        self._arm_timer(timeout, now)

    def _arm_timer(self, seconds: float, now: float) -> None:
        ms = min(MAX_WAIT_MS, max(1, math.ceil(seconds * 1000)))
        self._timer_id = self._tk.call("after", ms, self._timer_cmd)
        self._timer_at = now + ms / 1000

    def _cancel_timer(self) -> None:
        if self._timer_id is not None:
            self._cancel(self._timer_id)
            self._timer_id = None

    def _stop_waiting(self) -> None:
        """Stop watching trio's epoll fd (the timer stays: the next wait may keep it)."""
        if self._watching:
            self._watching = False
            try:
                self._tk.deletefilehandler(self._epoll_fd)
            except tkinter.TclError:
                pass

    def _cancel(self, after_id: str) -> None:
        try:
            self._tk.call("after", "cancel", after_id)
        except tkinter.TclError:
            pass  # the interpreter is gone: so is the timer

    def close(self) -> None:
        """Remove the file handler, timers and commands: no callback runs after this."""
        global _current
        if self._closed:
            return
        self._closed = True
        if _current is self:
            _current = None
        self._stop_waiting()
        self._cancel_timer()
        if self._tick_id is not None:
            self._cancel(self._tick_id)
            self._tick_id = None
        for cmd in (self._tick_cmd, self._timer_cmd):
            try:
                self._root.deletecommand(cmd)
            except tkinter.TclError:
                pass
