"""What no honest renderer does: framework-channel invokes with arguments of the test's choosing."""

import itertools

from tkelectron.common._messages import Invoke
from tkelectron.renderer import ipc_renderer

_ids = itertools.count(1_000_000)


def forge(event, channel, args):
    ipc_renderer._runtime().conn.send(Invoke(next(_ids), channel, args))
    return "sent"


async def honest(event, channel, args):
    """The same request through the renderer's call machinery: its answer."""
    return await ipc_renderer._runtime().calls.invoke(channel, args)


ipc_renderer.handle("forge", forge)
ipc_renderer.handle("honest", honest)
