"""``context_bridge``: what a preload exposes to the page world.

``expose_in_main_world(key, api)`` puts a *copy* of ``api`` on the page's
``window`` under ``key``. Plain values are cloned with the same rules as IPC
(so the page cannot mutate the preload's objects); functions become bridged
functions: calling one copies the page's arguments into the preload's world
(callbacks passed by the page become bridged functions too) and copies the
result back, awaiting it first when it is awaitable.

A bridged function holds no attribute that leads to the preload's function,
its module or ``ipc_renderer``. This keeps honest code honest; it is not a
security boundary — in one Python process nothing is. The boundary is the OS
sandbox around the renderer and main's validation of every message (see
SECURITY.md).
"""

from __future__ import annotations

import inspect
import weakref
from typing import Any, Callable

from ..common._clone import clone

__all__ = ["ContextBridge", "context_bridge"]

# id(bridged function) -> the real function. Kept here, not on the bridged
# object, so nothing on the object the page holds points at preload code.
_targets: dict[int, Callable[..., Any]] = {}


class BridgedFunction:
    """A function of the other world; arguments and results are copied."""

    __slots__ = ("_name", "__weakref__")

    def __init__(self, target: Callable[..., Any], name: str) -> None:
        self._name = name
        key = id(self)
        _targets[key] = target
        weakref.finalize(self, _targets.pop, key, None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        target = _targets[id(self)]
        result = target(*_copy(args), **_copy(kwargs))
        if inspect.isawaitable(result):
            return _await_copied(result)
        return _copy(result)

    def __repr__(self) -> str:
        return f"<bridged function {self._name}>"


async def _await_copied(awaitable: Any) -> Any:
    return _copy(await awaitable)


class BridgedStream:
    """An async iterator of the other world (e.g. ``ipc_renderer.stream``);
    each value is copied. Closing it (or dropping it after ``break``) closes
    the source, so the producer is cancelled."""

    __slots__ = ("_key", "__weakref__")

    def __init__(self, source: Any) -> None:
        self._key = id(self)
        _targets[self._key] = source
        weakref.finalize(self, _close_source, self._key)

    def __aiter__(self) -> "BridgedStream":
        return self

    async def __anext__(self) -> Any:
        return _copy(await _targets[self._key].__anext__())

    async def aclose(self) -> None:
        source = _targets.pop(self._key, None)
        if source is not None and hasattr(source, "aclose"):
            await source.aclose()

    def __repr__(self) -> str:
        return "<bridged stream>"


def _close_source(key: int) -> None:
    source = _targets.pop(key, None)
    close = getattr(source, "_finish", None)  # a tkelectron Stream closes synchronously
    if close is not None:
        close(cancel=True)


def _copy(value: Any, name: str = "value") -> Any:
    """Copy a value across the bridge; functions become bridged functions."""
    if isinstance(value, (BridgedFunction, BridgedStream)):
        return value
    if hasattr(value, "__aiter__") and hasattr(value, "__anext__"):
        return BridgedStream(value)
    if callable(value) and not isinstance(value, type):
        return BridgedFunction(value, getattr(value, "__name__", name))
    if type(value) is dict:
        return {k: _copy(v, str(k)) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_copy(v, name) for v in value)
    return clone(value)


class _Namespace:
    """The page's view of an exposed object: its public members, copied."""

    def __init__(self, members: dict[str, Any]) -> None:
        self.__dict__.update(members)

    def __repr__(self) -> str:
        return f"<exposed api: {', '.join(sorted(self.__dict__))}>"


def _copy_api(api: Any) -> Any:
    if isinstance(api, dict):
        return _Namespace({k: _copy(v, k) for k, v in api.items()})
    if callable(api) and not isinstance(api, type):
        return _copy(api)
    members = {
        name: _copy(getattr(api, name), name)
        for name in dir(api)
        if not name.startswith("_")
    }
    return _Namespace(members)


class ContextBridge:
    """The preload's ``context_bridge``."""

    def __init__(self) -> None:
        self._expose: Callable[[str, Any], None] | None = None

    def expose_in_main_world(self, key: str, api: Any) -> None:
        """Make ``api`` available to page scripts as ``window.<key>``.

        ``api`` is a dict, an object (its public attributes) or a function.
        Exposing the same key twice raises and keeps the first.
        """
        if self._expose is None:
            raise RuntimeError("context_bridge is only usable in a preload script")
        if not isinstance(key, str) or not key.isidentifier():
            raise ValueError(f"key must be an identifier, not {key!r}")
        self._expose(key, _copy_api(api))

    # Electron's spelling, for people porting code.
    exposeInMainWorld = expose_in_main_world


#: The renderer's instance.
context_bridge = ContextBridge()
