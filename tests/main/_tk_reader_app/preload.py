"""The Tk reader probe's preload: writes exact sequences of frames on the
renderer's socket (as a tampered renderer could), floods, and calls main."""

import itertools
import struct
import time

import msgspec

from tkelectron.common._messages import Commit, Insert, Invoke, Ready, Send, SetTitle
from tkelectron.renderer import ipc_renderer

_inserted = itertools.count(10**9)


def _conn():
    return ipc_renderer._runtime().conn


def _frames(messages):
    out = bytearray()
    for msg in messages:
        body = msgspec.msgpack.encode(msg)
        out += struct.pack("<I", len(body)) + body
    return bytes(out)


def _raw(data):
    """Write ``data`` straight onto the socket, after everything already queued."""
    conn = _conn()
    conn.flush_blocking(time.monotonic() + 5)
    conn.sock.setblocking(True)
    try:
        conn.sock.sendall(data)
    finally:
        conn.sock.setblocking(False)


def sequence(event, steps):
    """One write of frames: ["send", x] | ["invoke", id, x] | ["commit", title] | ["paced", title].

    A "commit" (a title alone) is applied where main reads it; a "paced" one
    also inserts HTML into the body, so main's loop applies it, in order."""
    messages = []
    for kind, *args in steps:
        if kind == "send":
            messages.append(Send("order", [args[0]]))
        elif kind == "invoke":
            messages.append(Invoke(args[0], "order-invoke", [args[1]]))
        elif kind == "commit":
            messages.append(Commit([SetTitle(args[0])]))
        elif kind == "paced":
            body = document.body._nid  # noqa: F821 - the preload's global
            nid = next(_inserted)  # ids the page's own DOM never reaches
            messages.append(Commit([SetTitle(args[0]), Insert(body, f'<i data-tke-id="{nid}">{args[0]}</i>', None)]))
        else:
            raise ValueError(kind)
    _raw(_frames(messages))
    return len(messages)


def forge(event, kind):
    """Something main must refuse, read inline: it kills this renderer."""
    if kind == "garbage":
        _raw(struct.pack("<I", 5) + b"\xc1\xc1\xc1\xc1\xc1")
    elif kind == "second-ready":
        from tkelectron.common._sandbox_report import SandboxReport

        _raw(_frames([Ready(SandboxReport())]))
    elif kind == "reserved-send":
        _raw(_frames([Send("tke:forged", [])]))
    elif kind == "short-frame":  # a header that claims more than ever arrives
        _raw(struct.pack("<I", 1000) + b"\x93")
    else:
        raise ValueError(kind)
    return "sent"


def flood(event, n):
    for i in range(n):
        ipc_renderer.send("flood", i)
    return n


async def call_main(event, channel, *args):
    return await ipc_renderer.invoke(channel, *args)


def send_main(event, channel, *args):
    ipc_renderer.send(channel, *args)
    return "sent"


#: Per DOM event the renderer handled since "watch-clicks": (writes to main
#: made while handling it, bytes still queued for main's socket after it).
event_writes = []


def watch_clicks(event):
    """Listen for mouseup and click on #status (a click changes its text and
    sends "clicked"), and record how each DOM event's answer is written."""
    status = document.get_element_by_id("status")  # noqa: F821 - the preload's global
    status.add_event_listener("mouseup", lambda e: None)

    def on_click(e):
        status.text_content = f"clicked {len(event_writes)}"
        ipc_renderer.send("clicked", len(event_writes))

    status.add_event_listener("click", on_click)
    rt = ipc_renderer._runtime()
    conn = rt.conn
    send_some, handle = conn._send_some, rt.handle
    inside = []

    def counting_send_some():
        if inside:
            inside[-1] += 1
        send_some()

    def counting_handle(msg):
        if type(msg).__name__ != "DomEvent":
            return handle(msg)
        inside.append(0)
        try:
            handle(msg)
        finally:
            event_writes.append((inside.pop(), conn.queued))

    conn._send_some = counting_send_some
    rt.handle = counting_handle
    return status._nid


for _channel, _fn in {
    "watch-clicks": watch_clicks, "event-writes": lambda event: event_writes,
    "sequence": sequence, "forge": forge, "flood": flood, "call-main": call_main, "send-main": send_main,
    "echo": lambda event, value: value,
}.items():
    ipc_renderer.handle(_channel, _fn)
