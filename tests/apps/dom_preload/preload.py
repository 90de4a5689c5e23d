# Electron's quick-start preload.js, line for line:
#   window.addEventListener('DOMContentLoaded', () => {
#     const replaceText = (selector, text) => { const element = document.getElementById(selector); if (element) element.innerText = text }
#     for (const dependency of ['chrome', 'node', 'electron']) replaceText(`${dependency}-version`, process.versions[dependency])
#   })
from tkelectron.renderer import context_bridge, ipc_renderer


def replace_text(selector, text):
    element = document.get_element_by_id(selector)
    if element is not None:
        element.inner_text = text


def on_ready(event):
    for dependency in ("python", "tk", "tkhtml", "tkelectron"):
        replace_text(f"{dependency}-version", process.versions[dependency])
    replace_text("phase", f"{event.type} {event.event_phase} {len(document.query_selector_all('span'))}")


window.add_event_listener("DOMContentLoaded", on_ready)
window.secret = ipc_renderer  # the preload's own: the page must not see it
context_bridge.expose_in_main_world("api", {"name": "dom-preload", "versions": dict(versions)})
