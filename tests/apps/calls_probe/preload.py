"""The renderer's side: runs calls on main's request and reports what it saw."""

import trio

from tkelectron.renderer import IpcRemoteError, ipc_renderer

seen = []
changed = [trio.Event()]


def note(text):
    seen.append(text)
    changed[0].set()
    changed[0] = trio.Event()


async def wait_seen(event, count):
    while len(seen) < count:
        await changed[0].wait()
    return list(seen)


async def invoke_with_timeout(event, channel, seconds):
    with trio.move_on_after(seconds) as scope:
        await ipc_renderer.invoke(channel)
    return scope.cancelled_caught


async def try_invoke(event, channel, *args):
    try:
        return {"ok": await ipc_renderer.invoke(channel, *args)}
    except IpcRemoteError as exc:
        return {"remote_type": exc.remote_type, "message": exc.message, "is_value_error": isinstance(exc, ValueError)}


async def collect(event, channel, *args):
    values = []
    try:
        async for value in ipc_renderer.stream(channel, *args):
            values.append(value)
    except IpcRemoteError as exc:
        return {"values": values, "error": [exc.remote_type, exc.message]}
    return {"values": values}


async def slow_consumer(event, channel, take):
    """Take `take` items slowly; report how far ahead the producer got at each step."""
    values = []
    async for value in ipc_renderer.stream(channel):
        values.append(value)
        await trio.sleep(0.01)
        if len(values) >= take:
            break
    return values


async def renderer_slow(event):
    note("renderer slow started")
    try:
        await trio.sleep_forever()
    except trio.Cancelled:
        note("renderer slow cancelled")
        raise


async def renderer_count(event, n):
    for i in range(n):
        yield i * i


ipc_renderer.handle("invoke-with-timeout", invoke_with_timeout)
ipc_renderer.handle("try-invoke", try_invoke)
ipc_renderer.handle("collect", collect)
ipc_renderer.handle("slow-consumer", slow_consumer)
ipc_renderer.handle("renderer-slow", renderer_slow)
ipc_renderer.handle("renderer-count", renderer_count)
ipc_renderer.handle("seen", lambda event: list(seen))
ipc_renderer.handle("echo-value", lambda event, value: value)
ipc_renderer.handle("wait-seen", wait_seen)
