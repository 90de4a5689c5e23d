"""The flood bench's renderer: floods main on request (see _bench_flood)."""

from tkelectron.renderer import ipc_renderer
from tkelectron.tools._flood_renderer import flood

ipc_renderer.handle("flood", flood)
ipc_renderer.handle("echo", lambda event, value: value)
