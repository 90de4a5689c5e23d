"""Runs calls in the renderer on main's request and reports what happened there."""

import os

from tkelectron.renderer import DataCloneError, IpcRemoteError, context_bridge, ipc_renderer


def describe(exc):
    info = {"class": type(exc).__name__, "str": str(exc)}
    if isinstance(exc, IpcRemoteError):
        info.update(
            remote_type=exc.remote_type,
            message=exc.message,
            channel=exc.channel,
            has_traceback=bool(exc.remote_traceback),
            is_value_error=isinstance(exc, ValueError),
            is_file_not_found=isinstance(exc, FileNotFoundError),
        )
    return info


async def try_invoke(event, channel, *args):
    try:
        return {"ok": await ipc_renderer.invoke(channel, *args)}
    except Exception as exc:
        return {"error": describe(exc)}


def try_send_sync(event, channel, *args):
    try:
        return {"ok": ipc_renderer.send_sync(channel, *args)}
    except Exception as exc:
        return {"error": describe(exc)}


def try_send_uncloneable(event):
    try:
        ipc_renderer.send("note", 1, {"cb": lambda: None})
    except DataCloneError as exc:
        return {"error": describe(exc)}
    return {"ok": None}


def pid(event):
    return os.getpid()


ipc_renderer.handle("try-invoke", try_invoke)
ipc_renderer.handle("try-send-sync", try_send_sync)
ipc_renderer.handle("try-send-uncloneable", try_send_uncloneable)
ipc_renderer.handle("pid", pid)
ipc_renderer.handle("fail", lambda event: 1 / 0)
ipc_renderer.on("say", lambda event, text: ipc_renderer.send("note", "heard", text))

context_bridge.expose_in_main_world("probe", {"note": lambda *args: ipc_renderer.send("note", *args)})
