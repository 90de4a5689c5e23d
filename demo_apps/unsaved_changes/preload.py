from tkelectron.renderer import context_bridge, ipc_renderer

checkers = []


async def may_close(event):
    # The page decides (it may ask the user first); no checker means yes.
    for checker in checkers:
        return bool(await checker())
    return True


ipc_renderer.handle("editor:may-close", may_close)
context_bridge.expose_in_main_world("editor", {"on_close_request": checkers.append})
