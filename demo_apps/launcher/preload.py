from tkelectron.renderer import context_bridge, ipc_renderer


def on_status(callback):
    ipc_renderer.on("launcher:status", lambda _event, name, state: callback(name, state))


context_bridge.expose_in_main_world(
    "launcher",
    {
        "list": lambda: ipc_renderer.invoke("launcher:list"),
        "run": lambda name: ipc_renderer.invoke("launcher:run", name),
        "source": lambda name: ipc_renderer.invoke("launcher:source", name),
        "on_status": on_status,
    },
)
