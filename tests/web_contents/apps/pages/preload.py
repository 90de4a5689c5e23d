"""The test app's preload: a probe for the page, and what no honest renderer
does (raw framework-channel invokes with arguments of the test's choosing)."""

import itertools
from typing import Any

from tkelectron.common._messages import Invoke
from tkelectron.renderer import context_bridge, ipc_renderer

_ids = itertools.count(1_000_000)


def forge(event: Any, channel: str, args: list[Any]) -> str:
    ipc_renderer._runtime().conn.send(Invoke(next(_ids), channel, args))
    return "sent"


context_bridge.expose_in_main_world("probe", {"ok": True})
ipc_renderer.handle("forge", forge)
