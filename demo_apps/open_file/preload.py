from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world(
    "electron_api",
    {"open_file": lambda: ipc_renderer.invoke("dialog:open-file")},
)
