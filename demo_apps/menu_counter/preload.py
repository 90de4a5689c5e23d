from tkelectron.renderer import context_bridge, ipc_renderer


def on_update_counter(callback):
    ipc_renderer.on("update-counter", lambda _event, value: callback(value))


def counter_value(value):
    ipc_renderer.send("counter-value", value)


context_bridge.expose_in_main_world(
    "electron_api",
    {"on_update_counter": on_update_counter, "counter_value": counter_value},
)
