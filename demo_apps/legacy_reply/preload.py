from tkelectron.renderer import context_bridge, ipc_renderer


def ping_async(text, callback):
    ipc_renderer.once("asynchronous-reply", lambda _event, reply: callback(reply))
    ipc_renderer.send("asynchronous-message", text)


def ping_sync(text):
    return ipc_renderer.send_sync("synchronous-message", text)


context_bridge.expose_in_main_world("legacy", {"ping_async": ping_async, "ping_sync": ping_sync})
