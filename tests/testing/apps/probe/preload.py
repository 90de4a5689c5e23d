import inspect

from tkelectron.renderer import context_bridge, ipc_renderer


def on(channel, callback):
    async def listener(_event, *args):
        result = callback(*args)
        if inspect.isawaitable(result):
            await result

    ipc_renderer.on(channel, listener)


async def echo(event, value):
    return {"echoed": value}


ipc_renderer.handle("echo", echo)
context_bridge.expose_in_main_world(
    "probe",
    {
        "greet": lambda name: ipc_renderer.invoke("greet", name),
        "slow_upper": lambda text: ipc_renderer.invoke("slow-upper", text),
        "ask": lambda: ipc_renderer.invoke("ask"),
        "open_second": lambda: ipc_renderer.send("open-second"),
        "on": on,
    },
)
