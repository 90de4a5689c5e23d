"""The renderer's public API, for preload scripts.

``ipc_renderer`` talks to main; ``context_bridge`` exposes an API to the page;
``web_utils.get_path_for_file`` gives the path of a file the user dropped.
Page scripts cannot import this package: they use what the preload exposed
on ``window``.
"""

from __future__ import annotations

from .._lazy import fixup_module_metadata
from ..common._errors import DataCloneError, IpcRemoteError, IpcValidationError, RendererGoneError
from ._context_bridge import context_bridge
from ._ipc_renderer import ipc_renderer
from ._ports import MessageChannel, MessagePort
from ._web_utils import web_utils

__all__ = [
    "DataCloneError",
    "IpcRemoteError",
    "IpcValidationError",
    "MessageChannel",
    "MessagePort",
    "RendererGoneError",
    "context_bridge",
    "ipc_renderer",
    "web_utils",
]

fixup_module_metadata(__name__, __all__)
