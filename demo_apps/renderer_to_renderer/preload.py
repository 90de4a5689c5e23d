import trio

from tkelectron.renderer import context_bridge, ipc_renderer

state = {"port": None, "name": "", "received": 0, "listeners": []}


def on_port(event, name):
    port = event.ports[0]
    state["port"], state["name"] = port, name

    def on_message(message_event):
        state["received"] += 1
        state["changed"].set()
        state["changed"] = trio.Event()
        for callback in state["listeners"]:
            callback(message_event.data)

    port.on("message", on_message)
    port.start()
    for callback in state["ready"]:
        callback(name)


state["ready"] = []
state["changed"] = trio.Event()
ipc_renderer.on("chat:port", on_port)


def send_chat(text):
    state["port"].post_message(f"{state['name']}: {text}")


def on_chat(callback):
    state["listeners"].append(callback)


def on_connected(callback):
    state["ready"].append(callback)


def on_broker(callback):
    ipc_renderer.on("broker:message", lambda _event, text: callback(text))


# For the tests and the benchmark: a burst over the port, and the count received.
def blast(event, count):
    for i in range(count):
        state["port"].post_message(i)
    return count


ipc_renderer.handle("chat:blast", blast)
async def wait_received(event, count):
    while state["received"] < count:
        await state["changed"].wait()
    return state["received"]


ipc_renderer.handle("chat:received", wait_received)

context_bridge.expose_in_main_world(
    "chat",
    {
        "send": send_chat,
        "on_message": on_chat,
        "on_connected": on_connected,
        "send_via_main": lambda text: ipc_renderer.send("broker:send", text),
        "on_broker_message": on_broker,
    },
)
