"""A preload that relays calls to main on main's request (lifecycle tests)."""

from tkelectron.renderer import ipc_renderer

ipc_renderer.handle("relay-invoke", lambda event, channel: ipc_renderer.invoke(channel))
ipc_renderer.handle("relay-send", lambda event, channel: ipc_renderer.send(channel))
