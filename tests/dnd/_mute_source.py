"""A hostile XDND source: it offers files, drops them, and never answers the request for the data.

    python _mute_source.py ROOT_X ROOT_Y

Speaking XDND 5 by hand (python-xlib), it owns ``XdndSelection``, sends
``XdndEnter``, ``XdndPosition`` at (ROOT_X, ROOT_Y) and ``XdndDrop`` to the
top-level window under that point, then ignores the ``SelectionRequest``
that follows. It says ``{"dropped": true}`` once the drop is sent and
``{"status": accept}`` for the target's ``XdndStatus``; it ends when stdin
closes.
"""

from __future__ import annotations

import json
import select
import sys
from typing import Any

from Xlib import X, display
from Xlib.protocol import event


def say(**what: object) -> None:
    print(json.dumps(what), flush=True)


def main(argv: list[str]) -> None:
    x, y = int(argv[0]), int(argv[1])
    d = display.Display()
    root = d.screen().root
    source = root.create_window(-10, -10, 1, 1, 0, X.CopyFromParent)
    atom = d.intern_atom
    source.set_selection_owner(atom("XdndSelection"), X.CurrentTime)
    target = root.query_pointer().child  # the test put the pointer over the window
    assert target, "no window under the pointer"

    def send(kind: str, data: list[int]) -> None:
        message = event.ClientMessage(window=target, client_type=atom(kind), data=(32, (data + [0] * 5)[:5]))
        target.send_event(message)
        d.flush()

    send("XdndEnter", [source.id, 5 << 24, atom("text/uri-list")])
    send("XdndPosition", [source.id, 0, (x << 16) | y, X.CurrentTime, atom("XdndActionCopy")])
    waiting_status = True
    dropped = False
    while True:
        readable = select.select([d, sys.stdin], [], [], 0.2 if waiting_status else None)[0]
        if sys.stdin in readable and not sys.stdin.readline():
            return
        while d.pending_events():
            ev: Any = d.next_event()
            if ev.type == X.ClientMessage and ev.client_type == atom("XdndStatus"):
                say(status=int(ev.data[1][1]) & 1)
                waiting_status = False
            # A SelectionRequest for the data: never answered.
        if not waiting_status and not dropped:
            send("XdndDrop", [source.id, 0, X.CurrentTime])
            dropped = True
            say(dropped=True)


if __name__ == "__main__":
    main(sys.argv[1:])
