"""Who reads the renderer's socket: the reader task, or an invoke waiting for its answer.

A trio task woken by another (an ``Event`` set by the reader when the answer
arrives) runs one loop iteration later — in a renderer that is a good part of
an invoke's round trip. So a task awaiting an invoke takes the *read turn*:
it reads and handles main's messages itself, in order, exactly as the reader
task would, until its own answer has been handled, and then resumes in the
very iteration the answer arrived. Then it gives the turn back.

Only one task reads at a time. Taking the turn cancels the reader task's
wait for the socket (trio unregisters a cancelled wait at once, and
``Connection.receive`` has no other checkpoint, so no data is lost); other
invokes meanwhile wait for their answers as before. Whatever ends reading
in the taker (main's ``Shutdown``, the connection closing, a broken frame,
a message that breaks the protocol) is handed to the reader task, which acts
on it as if it had read it itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import trio

from ..common._connection import Connection

__all__ = ["ReadTurn"]


class ReadTurn:
    """The read turn of one connection, shared by the reader task and invokes."""

    def __init__(self, conn: Connection[Any], handle: Callable[[Any], bool]) -> None:
        self._conn = conn
        #: Acts on one message; False for the message that ends reading (Shutdown).
        self._handle = handle
        self._taken = False
        self._back = trio.Event()
        self._reader_scope: trio.CancelScope | None = None
        self._ended: BaseException | None = None  # what ended reading in a taker, for the reader
        self._shutdown = False

    async def run_reader(self) -> None:
        """The reader task's loop: returns at Shutdown; raises what ends reading."""
        conn = self._conn
        while True:
            while self._taken:
                await self._back.wait()
            if self._ended is not None:
                raise self._ended
            if self._shutdown:
                return
            with trio.CancelScope() as scope:
                self._reader_scope = scope
                try:
                    msg = await conn.receive()
                except trio.BusyResourceError:
                    # Woken with a partial frame just as an invoke took the
                    # turn: the invoke now waits on the socket; so do we, for the turn.
                    if not self._taken:
                        raise
                    continue
                finally:
                    self._reader_scope = None
            if scope.cancelled_caught:
                continue  # an invoke took the turn
            if not self._handle(msg):
                return

    async def drive(self, done: Callable[[], bool]) -> bool:
        """Read and handle messages in this task until ``done()``; False when another task holds the turn."""
        if self._taken or self._ended is not None or self._shutdown:
            return False
        self._taken = True
        if self._reader_scope is not None:
            self._reader_scope.cancel()
        try:
            while not done():
                msg = await self._conn.receive()
                if not self._handle(msg):
                    self._shutdown = True
                    break
        except trio.Cancelled:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the reader task, which ends the renderer as before
            self._ended = exc
        finally:
            self._taken = False
            self._back.set()
            self._back = trio.Event()
        return True
