"""Main's own connection to the X server, for what Tk cannot do.

The clipboard with binary formats (Tk's selection code stops at the first
NUL byte, so it cannot serve ``image/png``), global key grabs on the root
window and RandR's monitor list all go through one python-xlib connection
that lives as long as the running app.

Nothing here ever blocks main's loop waiting for another client: requests
that have a reply are round trips to the local X server only, and events are
read when the connection's socket is readable. With a Tk root (the tkhtml
compositor) the socket is watched by a Tk file handler, so events are
answered even while Tk waits in its own nested loop (Tk's ``selection get``
spins one while it waits for an owner, and the owner may be us); headless,
a trio task waits for it. Handlers are plain functions called on the main
thread; one that needs trio wakes it through the run's trio token.

:func:`connection` gives the running app's connection, opening it on first
use; it is closed when the app stops.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

import trio

from ._context import current_session

__all__ = ["XConnection", "XUnavailableError", "connection"]

log = logging.getLogger("tkelectron.x11")


class XUnavailableError(RuntimeError):
    """There is no X display to talk to (no ``DISPLAY``, or it refused us)."""


class XConnection:
    """A python-xlib display, a hidden window of ours, and event dispatch."""

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import X, display, error

        name = display_name or os.environ.get("DISPLAY")
        if not name:
            raise XUnavailableError("no X display: DISPLAY is not set (the system modules need an X11 session)")
        try:
            self.display = display.Display(name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise XUnavailableError(f"cannot connect to the X display {name!r}: {exc}") from None
        self.display.set_error_handler(self._on_async_error)
        self.screen = self.display.screen()
        self.root = self.screen.root
        #: An unmapped window of ours: selection owner and property target.
        self.window = self.root.create_window(
            -10, -10, 1, 1, 0, self.screen.root_depth, X.InputOutput, X.CopyFromParent,
            event_mask=X.PropertyChangeMask,
        )
        self.window.set_wm_name("tkelectron")
        self._handlers: dict[int, list[Callable[[Any], None]]] = {}
        self._atoms: dict[str, int] = {}
        self._atom_names: dict[int, str] = {}
        self._dispatching = False
        self._closed = False
        self._tk_root: Any = None
        self._close_hooks: list[Callable[[], None]] = []
        self.token: trio.lowlevel.TrioToken | None = None
        self.display.flush()

    # -- atoms ------------------------------------------------------------------

    def atom(self, name: str) -> int:
        atom = self._atoms.get(name)
        if atom is None:
            atom = self._atoms[name] = self.display.intern_atom(name)
            self._atom_names[atom] = name
        return atom

    def atom_name(self, atom: int) -> str:
        name = self._atom_names.get(atom)
        if name is None:
            name = self._atom_names[atom] = self.display.get_atom_name(atom)
            self._atoms.setdefault(name, atom)
        return name

    # -- events -----------------------------------------------------------------

    def on(self, event_type: int, handler: Callable[[Any], None]) -> None:
        self._handlers.setdefault(event_type, []).append(handler)

    def off(self, event_type: int, handler: Callable[[Any], None]) -> None:
        handlers = self._handlers.get(event_type, [])
        if handler in handlers:
            handlers.remove(handler)

    def dispatch(self) -> None:
        """Handle every event already received (call after any round trip:
        replies are read together with the events before them, and those
        then sit in python-xlib's queue with nothing left on the socket)."""
        if self._dispatching or self._closed:
            return
        self._dispatching = True
        try:
            # Flushing our requests reads whatever arrived meanwhile, too: so
            # flush, then look again, until nothing is queued.
            while True:
                while self.display.pending_events():
                    event = self.display.next_event()
                    for handler in list(self._handlers.get(event.type, ())):
                        try:
                            handler(event)
                        except Exception:
                            log.exception("an X event handler raised")
                self.display.flush()
                if not self.display.pending_events():
                    break
        finally:
            self._dispatching = False

    def _on_async_error(self, err: Any, request: Any = None) -> None:
        # A client that went away mid-transfer (BadWindow) is routine; log it.
        log.debug("X error: %s", err)

    def call_in_trio(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` in the app's trio run (safe from a Tk file handler).

        ``fn`` runs as a trio system callback, where an exception would end
        the whole run: one that raises is logged instead.
        """

        def guarded() -> None:
            try:
                fn()
            except Exception:
                log.exception("a callback of the X connection raised")

        if self.token is not None:
            try:
                self.token.run_sync_soon(guarded)
            except trio.RunFinishedError:
                pass

    # -- lifetime ---------------------------------------------------------------

    async def serve(self, tk_root: Any, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        """Read events until cancelled (the app stopping), then close."""
        import tkinter

        self.token = trio.lowlevel.current_trio_token()
        fd = self.display.fileno()
        try:
            if tk_root is not None:
                self._tk_root = tk_root
                tk_root.createfilehandler(fd, tkinter.READABLE, lambda *_: self._on_readable())
                task_status.started()
                self.dispatch()
                await trio.sleep_forever()
            else:
                task_status.started()
                while True:
                    self.dispatch()
                    await trio.lowlevel.wait_readable(fd)
        finally:
            self.close()

    def _on_readable(self) -> None:
        try:
            self.dispatch()
        except Exception:  # the server went away: stop watching, keep the app
            log.exception("the X connection failed")
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        global _current
        if _current is self:
            _current = None
        if self._tk_root is not None:
            import tkinter

            with contextlib.suppress(tkinter.TclError):
                self._tk_root.deletefilehandler(self.display.fileno())
        for hook in list(self._close_hooks):
            try:
                hook()
            except Exception:
                log.exception("an X connection close hook raised")
        from Xlib import error

        try:
            self.window.destroy()
            self.display.close()
        except (OSError, error.ConnectionClosedError) as exc:  # the server is already gone
            log.debug("closing the X connection: %s", exc)

    def add_close_hook(self, hook: Callable[[], None]) -> None:
        """Call ``hook()`` when the connection closes (the app stopped)."""
        self._close_hooks.append(hook)


_current: XConnection | None = None


def connection() -> XConnection:
    """The running app's X connection (opened on first use)."""
    global _current
    if _current is not None and not _current._closed:
        return _current
    session = current_session()
    if session.nursery is None:
        raise RuntimeError("the app is not running: the system modules work between ready and quit")
    conn = XConnection()
    tk_root = getattr(session.compositor, "root", None)
    _current = conn
    session.start_soon(conn.serve, tk_root)
    return conn
