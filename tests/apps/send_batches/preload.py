"""Bursts of sends, as a page makes them, and forged batches, as a tampered
renderer would write them."""

import msgspec

from tkelectron.common._connection import SendBufferFull
from tkelectron.renderer import MessageChannel, ipc_renderer

kept = []  # this side's ends of the ports sent to main


def _conn():
    return ipc_renderer._runtime().conn


def counts(event):
    """The renderer's batching counters (sends batched, batch frames written)."""
    conn = _conn()
    return {"batched": conn.batched_sends, "batches": conn.batches_sent, "frames": conn.frames_sent}


async def mixed(event, blocks, per_block):
    """``blocks`` times: ``per_block`` sends on "a" and "b" each in one turn,
    a DOM change, then an awaited invoke."""
    out = document.get_element_by_id("out")  # noqa: F821 - the preload's globals
    for block in range(blocks):
        for i in range(per_block):
            index = block * per_block + i
            ipc_renderer.send("a", index)
            ipc_renderer.send("b", index)
        out.text_content = f"block {block}"
        await ipc_renderer.invoke("mark", block)
    return blocks * per_block


def fill(event, size, most):
    """Send ``size``-byte messages in one turn until refused (at most ``most``),
    main holding still from the first of them until this page, refused, lets
    it go (the "hold" port): the socket fills, then the buffer."""
    import socket

    mine, theirs = MessageChannel()
    ipc_renderer.post_message("hold", None, transfer=[theirs])
    chunk = b"x" * size
    sent = 0
    sndbuf = _conn().sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    try:
        while sent < most:
            ipc_renderer.send("sink", chunk)
            sent += 1
    except SendBufferFull as exc:
        return {"sent": sent, "error": type(exc).__name__, "message": str(exc), "sndbuf": sndbuf}
    finally:
        mine.post_message("go on")
        kept.append(mine)
    return {"sent": sent, "sndbuf": sndbuf}


def ports(event, count):
    """``count`` sends, each followed by a post_message carrying a fresh port, in one turn."""
    for i in range(count):
        ipc_renderer.send("m", i)
        mine, theirs = MessageChannel()
        mine.post_message(["hello from", i])  # queued in the port until main starts its end
        kept.append(mine)
        ipc_renderer.post_message("port", i, transfer=[theirs])
    return count


def forge(event, body):
    """Write one frame whose msgpack body is ``body`` (a list), behind everything queued."""
    _conn().send(msgspec.Raw(msgspec.msgpack.encode(body)))
    return "sent"


for _name, _fn in {"counts": counts, "mixed": mixed, "fill": fill, "ports": ports, "forge": forge}.items():
    ipc_renderer.handle(_name, _fn)
