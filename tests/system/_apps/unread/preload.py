from tkelectron.renderer import context_bridge, ipc_renderer


def on_read(fn):
    ipc_renderer.on("mail:read", lambda event: fn())


def on_clicked(fn):
    ipc_renderer.on("mail:clicked", lambda event: fn())


context_bridge.expose_in_main_world("mail", {
    "receive": lambda count: ipc_renderer.invoke("mail:receive", count),
    "on_read": on_read,
    "on_clicked": on_clicked,
})
