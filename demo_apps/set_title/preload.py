from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world(
    "electron_api",
    {"set_title": lambda title: ipc_renderer.send("set-title", title)},
)
