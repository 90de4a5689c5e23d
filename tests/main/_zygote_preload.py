"""A preload that ends its renderer on main's request (zygote exit-reason tests)."""

import os
import signal
from typing import Any

from tkelectron.renderer import ipc_renderer


def _end(event: Any, how: str) -> None:
    if how == "crash":
        os.abort()  # SIGABRT: a crash
    elif how == "clean":
        os._exit(0)
    elif how == "exit-3":
        os._exit(3)
    os.kill(os.getpid(), signal.SIGKILL)


ipc_renderer.handle("end", _end)
ipc_renderer.handle("pid", lambda event: os.getpid())
