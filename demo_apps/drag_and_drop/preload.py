from tkelectron.renderer import context_bridge, ipc_renderer


def on_drag_end(callback):
    ipc_renderer.on("dnd:drag-end", lambda _event, action: callback(action))


context_bridge.expose_in_main_world(
    "dnd",
    {
        # The dropped File objects go to main, which alone knows their paths.
        "dropped": lambda files: ipc_renderer.invoke("dnd:dropped", files),
        "drag_out": lambda name: ipc_renderer.send("dnd:drag-out", name),
        "on_drag_end": on_drag_end,
    },
)
