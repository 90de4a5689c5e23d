"""Where the main process's async event listeners run.

Every emitter of the main process (the app, windows, web contents,
``ipc_main`` and each ``web_contents.ipc``, message ports) shares this one
runner; the app binds it to its nursery. ``ipc_main`` and the window scopes
key their calls by (sender, channel), so one window's messages on one channel
start their async listeners in arrival order — the window's own scope's
listeners first, then ``ipc_main``'s, as for sync listeners.
"""

from __future__ import annotations

from ..common._listeners import ListenerRunner

__all__ = ["main_listeners"]

#: Bound by the app (``App._spawn``); fails with "the app is not running" otherwise.
main_listeners = ListenerRunner(unbound="the app is not running")
