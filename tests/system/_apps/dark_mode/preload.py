from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world("darkMode", {
    "toggle": lambda: ipc_renderer.invoke("dark-mode:toggle"),
    "system": lambda: ipc_renderer.invoke("dark-mode:system"),
})
