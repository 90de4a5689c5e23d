from tkelectron.renderer import context_bridge, ipc_renderer

context_bridge.expose_in_main_world("api", {"version": lambda: ipc_renderer.invoke("version")})
