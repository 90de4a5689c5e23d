"""``web_preferences``: the per-window options that concern its renderer."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..common._connection import DEFAULT_FRAME_TIMEOUT, DEFAULT_HIGH_WATER, DEFAULT_SEND_LIMIT
from ..common._framing import DEFAULT_MAX_FRAME
from ..common._sandbox_policy import DEFAULT_MAX_MEMORY, DEFAULT_MAX_THREADS, MIN_MAX_MEMORY, MIN_MAX_THREADS

__all__ = ["DEFAULT_LISTENER_BACKLOG", "WebPreferences"]

#: Async listener calls for one renderer's messages on one channel that may
#: wait (about 1.2 KiB each for small arguments: 100,000 cost ~120 MB in
#: tests/reliability/measure_flood.py).
DEFAULT_LISTENER_BACKLOG = 10_000

_ALIASES = {
    "contextIsolation": "context_isolation",
    "maxFrame": "max_frame",
    "maxMemory": "max_memory",
    "maxThreads": "max_threads",
    "sendHighWater": "send_high_water",
    "sendLimit": "send_limit",
    "frameTimeout": "frame_timeout",
    "listenerBacklog": "listener_backlog",
}
_DIRECTIONS = ("send", "invoke", "receive")


@dataclass(frozen=True)
class WebPreferences:
    """Validated web preferences.

    - ``preload``: a Python file run in the renderer before the page, with
      ``ipc_renderer`` and ``context_bridge`` available.
    - ``sandbox``: True (default; best effort, warns naming a missing layer),
      ``"required"`` (the window does not open without every layer) or False.
    - ``context_isolation``: always on; page scripts never see the preload's
      world. Passing False is refused rather than silently ignored.
    - ``channels``: None (every channel) or a dict naming, per direction
      (``send``, ``invoke``, ``receive``), the channel patterns this window may
      use (shell-style wildcards). Main enforces it.
    - ``max_frame``: the largest frame in bytes main accepts from the renderer.
    - ``max_memory``: the renderer's address-space limit in bytes (RLIMIT_AS;
      also its cgroup's ``memory.max`` where one is delegated); past it an
      allocation raises MemoryError in the renderer. ``max_threads``: how many
      threads it may run, its main thread included (RLIMIT_NPROC, counted on
      its own uid when main runs as root, in its own user namespace otherwise;
      ``pids.max`` of its cgroup). None lifts a limit. See SECURITY.md.
    - ``send_high_water`` / ``send_limit``: bytes queued for a renderer that
      does not read before the window emits ``unresponsive`` / before main
      kills that renderer (``render-process-gone``, reason ``oom``); the same
      limits bound the renderer's buffer towards main. ``frame_timeout``:
      seconds a frame from the renderer may take from its first byte to its
      last (an ``ipc-violation`` after that). ``listener_backlog``: how many
      calls of main's async listeners (one per listener per message) may wait
      for the renderer's messages on one channel — they run one after another —
      before its next message there is an ``ipc-violation``. See README "Limits".
    """

    preload: str | None = None
    sandbox: bool | Literal["required"] = True
    context_isolation: bool = True
    channels: Mapping[str, tuple[str, ...]] | None = None
    max_frame: int = DEFAULT_MAX_FRAME
    max_memory: int | None = DEFAULT_MAX_MEMORY
    max_threads: int | None = DEFAULT_MAX_THREADS
    send_high_water: int = DEFAULT_HIGH_WATER
    send_limit: int = DEFAULT_SEND_LIMIT
    frame_timeout: float = DEFAULT_FRAME_TIMEOUT
    listener_backlog: int = DEFAULT_LISTENER_BACKLOG

    @classmethod
    def from_dict(cls, options: Mapping[str, Any] | None, resolve: Any) -> WebPreferences:
        values: dict[str, Any] = {}
        known = set(cls.__dataclass_fields__)
        for key, value in (options or {}).items():
            name = _ALIASES.get(key, key)
            if name not in known:
                raise ValueError(f"unknown web preference {key!r} (known: {', '.join(sorted(known))})")
            values[name] = value
        if values.get("preload") is not None:
            values["preload"] = resolve(values["preload"])
        sandbox = values.get("sandbox", True)
        if not (isinstance(sandbox, bool) or sandbox == "required"):
            raise ValueError(f"sandbox must be True, False or 'required', not {sandbox!r}")
        if values.get("context_isolation", True) is not True:
            raise ValueError("context_isolation cannot be turned off: page scripts always run in their own world")
        channels = values.get("channels")
        if channels is not None:
            unknown = set(channels) - set(_DIRECTIONS)
            if unknown:
                raise ValueError(f"channels: unknown direction(s) {sorted(unknown)}; use {list(_DIRECTIONS)}")
            for direction, patterns in channels.items():
                if isinstance(patterns, str) or not all(isinstance(p, str) for p in patterns):
                    raise ValueError(f"channels[{direction!r}] must be a list of channel patterns, not {patterns!r}")
            values["channels"] = {d: tuple(channels.get(d, ())) for d in _DIRECTIONS}
        for name in ("max_frame", "send_high_water", "send_limit", "frame_timeout"):
            if name in values and (isinstance(values[name], bool) or not isinstance(values[name], (int, float))
                                   or values[name] <= 0):
                raise ValueError(f"{name} must be a positive number, not {values[name]!r}")
        backlog = values.get("listener_backlog", 1)
        if type(backlog) is not int or backlog < 1:
            raise ValueError(f"listener_backlog must be a positive int, not {backlog!r}")
        for name, smallest in (("max_memory", MIN_MAX_MEMORY), ("max_threads", MIN_MAX_THREADS)):
            value = values.get(name, smallest)
            if value is not None and (type(value) is not int or value < smallest):
                raise ValueError(f"{name} must be None or an int of at least {smallest}, not {value!r}")
        return cls(**values)

    def renderer_limits(self) -> dict[str, int | None]:
        """The resource limits the renderer applies to itself when it locks down."""
        return {"max_memory": self.max_memory, "max_threads": self.max_threads}

    def allows(self, channel: str, direction: str) -> bool:
        if self.channels is None:
            return True
        return any(fnmatch.fnmatchcase(channel, pattern) for pattern in self.channels.get(direction, ()))
