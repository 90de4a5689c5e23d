"""Echoes on every port main hands over; can hand a port of its own to main."""

from tkelectron.renderer import MessageChannel, ipc_renderer

kept = []


def echo_on(port, tag):
    port.on("message", lambda event: port.post_message([tag, event.data, len(event.ports)]))
    port.on("close", lambda *args: (port.post_message("after close"), ipc_renderer.send("port-closed", tag)))
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


def post_on_closed(event):
    mine, theirs = MessageChannel()
    mine.close()
    mine.post_message("dropped")  # closed here: a no-op
    theirs.post_message("dropped")  # its other end closed: a no-op too
    theirs.close()
    return "posted"


ipc_renderer.handle("post-on-closed", post_on_closed)
