from tkelectron.renderer import context_bridge

context_bridge.expose_in_main_world("probe", {"ok": True})
