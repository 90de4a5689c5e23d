from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world("electron", {
    "start_drag": lambda file_name: ipc_renderer.send("ondragstart", file_name),
})
