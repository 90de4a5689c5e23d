from tkelectron.renderer import context_bridge, ipc_renderer


async def echo(text):
    try:
        return await ipc_renderer.invoke("probe:echo", text)
    except ValueError as exc:
        return "error: " + exc.message


context_bridge.expose_in_main_world("probe", {
    "ping": lambda n: ipc_renderer.send("probe:ping", n),
    "echo": echo,
})
