# Electron's usual preload:
#   zone.addEventListener('drop', (e) => {
#     const paths = [...e.dataTransfer.files].map((f) => webUtils.getPathForFile(f))
#     ipcRenderer.send('dropped-paths', paths)
#   })
from tkelectron.renderer import ipc_renderer, web_utils


def on_dragover(event):
    event.prevent_default()  # a drop is welcome here


def opened(path):
    """What the sandbox lets this renderer do with a path it was given: only a string."""
    try:
        with open(path, "rb"):
            return "opened"
    except OSError as exc:
        return type(exc).__name__


def on_drop(event):
    event.prevent_default()
    paths = [web_utils.get_path_for_file(f) for f in event.data_transfer.files]
    made_up = web_utils.getPathForFile({"id": 424242, "name": "secret.txt"})  # main never gave this number
    ipc_renderer.send("dropped-paths", paths, made_up, [opened(p) for p in paths])
    document.get_element_by_id("status").inner_text = f"dropped {len(paths)}"  # noqa: F821 - the preload world's global


def on_ready(_event):
    zone = document.get_element_by_id("zone")  # noqa: F821 - the preload world's global
    zone.add_event_listener("dragover", on_dragover)
    zone.add_event_listener("drop", on_drop)


window.add_event_listener("DOMContentLoaded", on_ready)  # noqa: F821 - the preload world's global


# What no honest renderer does (for the violation test): a framework sync request with the test's arguments.
def forge_sync(_event, args):
    import itertools

    from tkelectron.common._messages import SendSync

    ipc_renderer._runtime().conn.send(SendSync(next(itertools.count(1_000_000)), "tke:web-utils.path-for-file", args))
    return "sent"


ipc_renderer.handle("forge_sync", forge_sync)


def ask(_event, args):
    """The same request as web_utils makes, with the test's arguments: main's answer."""
    return ipc_renderer._send_sync("tke:web-utils.path-for-file", args)


ipc_renderer.handle("ask", ask)
