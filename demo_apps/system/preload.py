from tkelectron.renderer import context_bridge, ipc_renderer


def listen(channel):
    def subscribe(callback):
        ipc_renderer.on(channel, lambda _event, value: callback(value))

    return subscribe


# Narrow functions only: the page never gets ipc_renderer itself.
context_bridge.expose_in_main_world(
    "system",
    {
        "status": lambda: ipc_renderer.invoke("system:status"),
        "copy": lambda text: ipc_renderer.invoke("system:copy", text),
        "paste": lambda: ipc_renderer.invoke("system:paste"),
        "set_theme": lambda source: ipc_renderer.invoke("system:set-theme", source),
        "notify": lambda text: ipc_renderer.invoke("system:notify", text),
        "on_shortcut": listen("system:shortcut"),
        "on_notification": listen("system:notification"),
        "on_tray": listen("system:tray"),
    },
)
