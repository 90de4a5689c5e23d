"""Echoes on every port main hands over; can hand a port of its own to main."""

from tkelectron.renderer import MessageChannel, ipc_renderer

kept = []


def echo_on(port, tag):
    port.on("message", lambda event: port.post_message([tag, event.data, len(event.ports)]))
    port.start()
    kept.append(port)


def on_ports(event, message):
    for i, port in enumerate(event.ports):
        echo_on(port, f"{message}-{i}")
    ipc_renderer.send("got-ports", len(event.ports))


def give_port(event):
    mine, theirs = MessageChannel()
    echo_on(mine, "renderer-made")
    ipc_renderer.post_message("give-port", "from the renderer", transfer=[theirs])


ipc_renderer.on("ports", on_ports)
ipc_renderer.handle("give-port", give_port)
