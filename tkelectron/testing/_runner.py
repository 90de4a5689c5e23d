"""Running a test coroutine in the loop its compositor needs.

``headless`` tests run under plain ``trio.run``: no display, no Tk. ``tkhtml``
tests run trio as a guest on a real Tk mainloop, exactly as an app does, on
the current display or on an Xvfb started for the session.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Awaitable, Callable
from typing import Any

import trio

__all__ = ["current_tk_root", "run_in_app_loop", "run_on_display", "session_display"]

_root: Any = None
#: The Xvfb (and window manager) started for the session, once it has a display.
_session_processes: list[Any] | None = None


def current_tk_root() -> Any:
    """The Tk root hosting the running tkhtml test (None under headless)."""
    return _root


def session_display(*, window_manager: bool = False) -> str:
    """A display for the rest of the session (Xvfb started once if needed).

    ``window_manager`` gives a private Xvfb a window manager too (title bars
    in whole-window screenshots); it counts only for the call that starts it.
    What is started is never stopped here: it dies with this process (see
    :func:`close_session_display`).
    """
    global _session_processes
    if _session_processes is None:
        from ._display import open_display

        display, _session_processes = open_display(window_manager=window_manager)
        os.environ["DISPLAY"] = display
    return os.environ["DISPLAY"]


def close_session_display() -> None:
    """End the session's Tk host; its Xvfb ends with this process.

    Xvfb is not stopped here on purpose: Tk keeps its display connection for
    the life of the process, so an X server that went away first makes Xlib
    abort the process on its next X call (exit status 1 after a green run, seen
    here). Xvfb was started to die with us (PDEATHSIG), so nothing outlives it.
    """
    close_session_host()


_host: Any = None


def session_host() -> Any:
    """The session's one Tk host (an app has one Tk per process; so do tests).

    Creating and destroying a Tk interpreter per test left process-wide Tk
    display state behind that later swallowed input (seen here), and one host
    is faster too.
    """
    global _host
    if _host is None:
        from ..main._host import TkHost

        session_display()
        _host = TkHost()
    return _host


def close_session_host() -> None:
    global _host
    if _host is not None:
        _host.close()
        _host = None


def run_in_app_loop(fn: Callable[..., Awaitable[Any]], loop: str, kwargs: dict[str, Any] | None = None) -> Any:
    """Run ``fn(**kwargs)`` to completion in the loop compositor ``loop`` needs."""
    global _root
    call = functools.partial(fn, **(kwargs or {}))
    if loop == "headless":
        return trio.run(call)
    if loop != "tkhtml":
        raise ValueError(f"unknown compositor {loop!r}")
    host = session_host()
    _root = host.root
    try:
        return host.run(call, keep=True)
    finally:
        _root = None


def run_on_display(
    fn: Callable[..., Awaitable[Any]], compositor: str = "tkhtml", *, window_manager: bool = False, **kwargs: Any
) -> Any:
    """Run ``await fn(**kwargs)`` as the test harness does, outside pytest.

    The loop is the one ``compositor`` needs (a real Tk mainloop hosting trio
    for ``tkhtml``), on the current display, else on a private Xvfb started
    for this process (with a window manager when ``window_manager``: title
    bars in whole-window screenshots). Returns what ``fn`` returns; the Tk
    host is closed afterwards, and the Xvfb ends with the process. For
    scripts that drive an app with :func:`launch`, such as the demo tour.
    """
    if compositor == "tkhtml":
        session_display(window_manager=window_manager)
    try:
        return run_in_app_loop(fn, compositor, kwargs)
    finally:
        close_session_display()
