from tkelectron.renderer import context_bridge, ipc_renderer


def on_event(callback):
    ipc_renderer.on("wm-event", lambda _event, *args: callback(*args))


context_bridge.expose_in_main_world(
    "wm",
    {"act": lambda action: ipc_renderer.send("wm", action), "on_event": on_event},
)
