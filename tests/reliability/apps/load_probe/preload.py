"""The renderer's side of the load probe: floods main on request, records what main sends."""

import trio

from tkelectron.renderer import ipc_renderer

received = {"sync": [], "async": [], "port": []}
waiting = {"count": None, "kinds": (), "event": trio.Event()}
ports = {}


def arrived():
    count = waiting["count"]
    return count is not None and all(len(received[kind]) >= count for kind in waiting["kinds"])


def note(kind, n):
    received[kind].append(n)
    if arrived():
        waiting["event"].set()


def take_port(event, _message):
    """Main's end of a channel: flooded by main, and flooding main on request."""
    port = ports["main"] = event.ports[0]
    port.on("message", on_port_message)
    port.start()


async def on_port_message(event):
    for _ in range(event.data % 3):
        await trio.lowlevel.checkpoint()
    note("port", event.data)


def flood_port(event, count):
    for n in range(count):
        ports["main"].post_message(n)
    return count


async def from_main(event, n):
    for _ in range(n % 3):
        await trio.lowlevel.checkpoint()
    note("async", n)


ipc_renderer.on("from-main", lambda event, n: note("sync", n))
ipc_renderer.on("from-main", from_main)


def flood(event, count):
    """Send 0..count-1 on "sync" and on "async", as fast as the renderer can."""
    for n in range(count):
        ipc_renderer.send("sync", n)
        ipc_renderer.send("async", n)
    return count


async def invokes(event, count, concurrency):
    """``count`` invokes of main's "echo", ``concurrency`` at a time; how many answered right."""
    right = 0

    async def worker(first):
        nonlocal right
        for n in range(first, count, concurrency):
            if await ipc_renderer.invoke("echo", n) == n:
                right += 1

    async with trio.open_nursery() as nursery:
        for first in range(concurrency):
            nursery.start_soon(worker, first)
    return right


async def report(event, count, kinds):
    """Whether each kind of listener saw 0..count-1 in order, once all arrived."""
    waiting.update(count=count, kinds=tuple(kinds))
    if arrived():
        waiting["event"].set()
    await waiting["event"].wait()
    return {kind: received[kind] == list(range(count)) for kind in kinds}


async def call_main_hang(event):
    """Invoke main's never-answering "hang": both directions then have a call pending."""
    return await ipc_renderer.invoke("hang")


ipc_renderer.on("port", take_port)
ipc_renderer.handle("call-main-hang", call_main_hang)
ipc_renderer.handle("flood", flood)
ipc_renderer.handle("flood-port", flood_port)
ipc_renderer.handle("invokes", invokes)
ipc_renderer.handle("report", report)
