"""Entry point of a renderer subprocess (started by main, never by hand).

Imports what it needs, reads its ``Init`` frame with a blocking read, locks
itself down while it is still single-threaded — before any app code, the
preload included, can run — and only then starts trio.
"""

from __future__ import annotations

import signal

# A Ctrl+C at the terminal is main's to act on: main quits and ends its
# renderers. Ignored before anything else, so no import is interrupted either.
signal.signal(signal.SIGINT, signal.SIG_IGN)

import socket  # noqa: E402 - after SIGINT is ignored, on purpose
import sys  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

if TYPE_CHECKING:
    from ..common._framing import FrameDecoder


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = sock.recv(size, socket.MSG_WAITALL)
    if len(data) != size:
        raise SystemExit(0)  # main went away before saying anything
    return data


def _read_init(sock: socket.socket, decoder: FrameDecoder[Any]) -> object:
    """Read exactly the first frame, leaving later ones to the connection."""
    from ..common._messages import Init

    header = _recv_exactly(sock, 4)
    body = _recv_exactly(sock, int.from_bytes(header, "little"))
    msgs = decoder.feed(header + body)
    if len(msgs) != 1 or not isinstance(msgs[0], Init):
        raise SystemExit("renderer: the first frame from main must be Init")
    return msgs[0]


def main(fd: int) -> None:
    # Every framework import happens first: before the lockdown, and before
    # Init arrives, so a spare renderer started ahead of need (see
    # App.spare_renderers) has paid for them by the time a window wants it.
    import os

    import trio

    from ..common._framing import FrameDecoder
    from ..common._messages import Init, MainToRenderer
    from ..common._sandbox_policy import disabled_layers
    from ._runtime import run
    from ._sandbox import SandboxUnavailable, lock_down
    from ._send_batch import BatchingConnection

    # Made before the wait, not after: a decoder's first use of the message
    # union builds msgspec's type information for all of it (~2 ms of a
    # spare's start once a window wants it); the connection's decoder, made
    # after, reuses it.
    decoder: FrameDecoder[MainToRenderer] = FrameDecoder(MainToRenderer)
    sock = socket.socket(fileno=fd)
    init = _read_init(sock, decoder)
    assert isinstance(init, Init)
    os.chdir(init.app_root)
    try:
        report = lock_down(
            init.readable, init.sandbox, disable=disabled_layers(), limits=init.limits, shared_bytes=init.max_frame
        )
    except SandboxUnavailable as exc:
        print(f"renderer: {exc}", file=sys.stderr)
        raise SystemExit(3) from None
    conn: BatchingConnection[object] = BatchingConnection(sock, MainToRenderer, init.max_frame)
    _tune_gc()
    trio.run(run, conn, init, report)


def _tune_gc() -> None:
    """Keep the collector off the framework's objects.

    Everything imported so far lives as long as the renderer: frozen, the
    collector never walks it again. When the page's garbage is collected
    (once the loop is idle, not inside a page's burst of work) is
    ``_idle_gc``'s business, which ``_runtime.run`` starts.
    """
    import gc

    gc.freeze()  # O(1), and no collection first: that would touch every page a zygote's fork shares


if __name__ == "__main__":
    main(int(sys.argv[1]))
