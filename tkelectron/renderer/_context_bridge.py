"""``context_bridge``: what a preload exposes to the page world.

``expose_in_main_world(key, api)`` puts a *copy* of ``api`` on the page's
``window`` under ``key``. Plain values are cloned with the same rules as IPC
(so the page cannot mutate the preload's objects); functions become bridged
functions: calling one copies the page's arguments into the preload's world
(callbacks passed by the page become bridged functions too) and copies the
result back, awaiting it first when it is awaitable. An exception raised on
the other side arrives as a copy (its type, message and args), never as the
original object with its traceback.

Hardening, so that the obvious routes from what the page holds lead nowhere:

- The objects the page holds (bridged functions and streams, exposed
  namespaces) have no attribute that points at the preload's function. Their
  methods are *sealed*: rebuilt with globals that hold nothing and builtins
  that are empty, so ``f.__call__.__func__.__globals__`` is an empty dict. The
  one object that does lead to the targets is the ``_tke_bridge`` keyword-only
  default of those methods, and reading ``__kwdefaults__`` raises an audit
  event (see below). A caller passing ``_tke_bridge=`` only replaces it for
  its own call, with its own object.
- ``_isolation.isolate_page`` installs an audit hook that refuses frame,
  code and garbage-collector introspection (``sys._getframe``, ``tb_frame``,
  ``__code__``, ``__kwdefaults__``, ``gc.get_referrers``...) while page code
  is on the stack.

None of this is a security boundary — in one Python process nothing is (any
module's globals lead to ``sys.modules``; see docs/threat-model.md). The
boundary is the OS sandbox around the renderer and main's validation of
every message (SECURITY.md). This keeps honest code honest and closes the
routes people try first.
"""

from __future__ import annotations

import inspect
import types
import weakref

# The builtins the bridge uses, bound once at import: page code can reach the
# real builtins module (through any stdlib function's globals) and replace
# what is in it; a later ``callable`` or ``isinstance`` call here must not run
# the page's replacement on the preload's objects.
from builtins import (  # noqa: UP029
    BaseException,
    Exception,
    GeneratorExit,
    RuntimeError,
    StopAsyncIteration,
    StopIteration,
    callable,
    dict,
    dir,
    getattr,
    hasattr,
    id,
    isinstance,
    list,
    sorted,
    str,
    tuple,
    type,
)  # fmt: skip
from collections.abc import Callable, Mapping
from typing import Any

from ..common._clone import clone
from ..common._emitter import EventEmitter
from ..common._errors import DataCloneError
from ..common._ports import MessageEvent, MessagePortBase
from ._ipc_renderer import IpcRendererEvent

# The same for the stdlib functions the bridge calls (``inspect.isawaitable =
# spy`` in a page must not be handed the preload's results).
_isawaitable = inspect.isawaitable
_finalize = weakref.finalize

__all__ = ["ContextBridge", "context_bridge", "opaque"]

# id(bridged object) -> the real function or async iterator. Reachable only
# through _Bridge, which the page cannot read (see the module docstring).
_targets: dict[int, Any] = {}
# ids of the bridged objects whose target is the page's (callbacks it passed):
# the bridge calls those *for the page* (see _call_for_page).
_page_targets: set[int] = set()

# Globals of sealed methods: nothing to find, no builtins to import with.
_SEALED_GLOBALS: dict[str, Any] = {"__builtins__": {}, "__name__": "tkelectron.bridge"}


def _copy_error(exc: BaseException) -> BaseException:
    """A copy of ``exc`` for the other world: type (or IpcRemoteError), message, args."""
    try:
        copied = clone(exc)
    except Exception:  # noqa: BLE001 - any failure to copy becomes a plain RuntimeError
        copied = RuntimeError(f"{type(exc).__name__}: {exc}")
    return copied if isinstance(copied, BaseException) else RuntimeError(str(exc))


class _Bridge:
    """The only way from a sealed method to the other world's objects."""

    def register(self, obj: Any, target: Any, stream: bool = False) -> None:
        key = id(obj)
        _targets[key] = target
        _finalize(obj, _close_source if stream else _forget, key)

    def call(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        key = id(fn)
        for_page = key in _page_targets  # a callback of the page, called from the preload's world
        error: BaseException | None = None
        try:
            target = _targets[key]
            copied_args, copied_kwargs = _copy(args, from_page=not for_page), _copy(kwargs, from_page=not for_page)
            if for_page:
                result = _call_for_page(target, copied_args, copied_kwargs)
            else:
                result = target(*copied_args, **copied_kwargs)
        except Exception as exc:  # noqa: BLE001 - copied, and raised below outside this handler
            error = _copy_error(exc)
        if error is not None:
            raise error  # no __context__: the original stays in this world
        if _isawaitable(result):
            return _await_copied(result, for_page)
        return _copy(result, from_page=for_page)

    async def next(self, stream: Any) -> Any:
        key = id(stream)
        error: BaseException | None = None
        try:
            value = await _drive(_targets[key].__anext__())
        except StopAsyncIteration:
            raise
        except Exception as exc:  # noqa: BLE001 - copied for the other world, raised below
            error = _copy_error(exc)
        if error is not None:
            raise error
        return _copy(value, from_page=key in _page_targets)

    async def close(self, stream: Any) -> None:
        source = _targets.pop(id(stream), None)
        if source is not None and hasattr(source, "aclose"):
            await _drive(source.aclose())

    def call_raw(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return _targets[id(fn)](*args, **kwargs)

    def describe(self, namespace: Any) -> str:
        return f"<exposed api: {', '.join(sorted(namespace.__dict__))}>"

    def member(self, namespace: Any, name: Any) -> Any:
        members = namespace.__dict__
        if name not in members:
            raise KeyError(name)
        return members[name]


_bridge = _Bridge()


def _call_for_page(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Call the page's callback ``fn``: the introspection guard counts this frame as the page's
    (unless ``fn`` is a plain function of another world, whose own frame decides)."""
    return fn(*args, **kwargs)


@types.coroutine
def _drive(awaitable: Any) -> Any:
    """Await ``awaitable`` by hand rather than with ``await``/``yield from``.

    Whoever awaits a bridged call could follow ``cr_await``/``gi_yieldfrom``
    (which no audit hook sees) to the other world's coroutine; here they end
    at this generator, whose ``gi_yieldfrom`` is None and whose frame the
    introspection guard keeps from the page. Values, exceptions thrown in
    (cancellation) and closing are passed through.
    """
    iterator = awaitable.__await__()
    send, value = iterator.send, None
    while True:
        try:
            signal = send(value)
        except StopIteration as stop:
            return stop.value
        try:
            value = yield signal
        except GeneratorExit:
            iterator.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - thrown into the awaiting side: pass it on
            send, value = iterator.throw, exc
        else:
            send = iterator.send


async def _await_copied(awaitable: Any, from_page: bool = False) -> Any:
    error: BaseException | None = None
    try:
        value = await _drive(awaitable)
    except Exception as exc:  # noqa: BLE001 - copied for the other world, raised below
        error = _copy_error(exc)
    if error is not None:
        raise error
    return _copy(value, from_page=from_page)


def _forget(key: int) -> None:
    _targets.pop(key, None)
    _page_targets.discard(key)


def _close_source(key: int) -> None:
    _page_targets.discard(key)
    source = _targets.pop(key, None)
    close = getattr(source, "_finish", None)  # a tkelectron Stream closes synchronously
    if close is not None:
        close(cancel=True)


def _sealed(cls: type) -> type:
    """Rebuild every function of ``cls`` with globals and builtins that hold nothing."""
    for name, fn in list(vars(cls).items()):
        if isinstance(fn, types.FunctionType):
            sealed = types.FunctionType(fn.__code__, _SEALED_GLOBALS, fn.__name__, fn.__defaults__, fn.__closure__)
            sealed.__kwdefaults__ = fn.__kwdefaults__
            sealed.__qualname__ = fn.__qualname__
            setattr(cls, name, sealed)
    return cls


@_sealed
class BridgedFunction:
    """A function of the other world; arguments and results are copied."""

    __slots__ = ("__weakref__", "_name")

    def __init__(self, target: Callable[..., Any], name: str, *, _tke_bridge: _Bridge = _bridge) -> None:
        self._name = name
        _tke_bridge.register(self, target)

    def __call__(self, *args: Any, _tke_bridge: _Bridge = _bridge, **kwargs: Any) -> Any:
        return _tke_bridge.call(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<bridged function {self._name}>"


@_sealed
class BridgedStream:
    """An async iterator of the other world (e.g. ``ipc_renderer.stream``);
    each value is copied. Closing it (or dropping it after ``break``) closes
    the source, so the producer is cancelled."""

    __slots__ = ("__weakref__",)

    def __init__(self, source: Any, *, _tke_bridge: _Bridge = _bridge) -> None:
        _tke_bridge.register(self, source, True)

    def __aiter__(self) -> BridgedStream:
        return self

    def __anext__(self, *, _tke_bridge: _Bridge = _bridge) -> Any:
        return _tke_bridge.next(self)

    def aclose(self, *, _tke_bridge: _Bridge = _bridge) -> Any:
        return _tke_bridge.close(self)

    def __repr__(self) -> str:
        return "<bridged stream>"


@_sealed
class _Opaque:
    """A callable of this world that hides its target (nothing is copied)."""

    __slots__ = ("__weakref__",)

    def __init__(self, target: Callable[..., Any], *, _tke_bridge: _Bridge = _bridge) -> None:
        _tke_bridge.register(self, target)

    def __call__(self, *args: Any, _tke_bridge: _Bridge = _bridge, **kwargs: Any) -> Any:
        return _tke_bridge.call_raw(self, args, kwargs)

    def __repr__(self) -> str:
        return "<framework callable>"


def opaque(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``fn`` so that nothing on the wrapper leads to it (e.g. ``__self__``)."""
    return fn if isinstance(fn, _Opaque) else _Opaque(fn)


def _copy(value: Any, name: str = "value", *, from_page: bool = False) -> Any:
    """Copy a value across the bridge; functions become bridged functions.

    ``from_page``: the value comes from the page's world, so the functions and
    streams in it are the page's (the bridge calls them for the page).
    """
    if isinstance(value, (BridgedFunction, BridgedStream)):
        return value
    bridged: Any = None
    if hasattr(value, "__aiter__") and hasattr(value, "__anext__"):
        bridged = BridgedStream(value)
    elif callable(value) and not isinstance(value, type):
        bridged = BridgedFunction(value, getattr(value, "__name__", name))
    if bridged is not None:
        if from_page:
            _page_targets.add(id(bridged))
        return bridged
    if type(value) is dict or (
        not from_page and isinstance(value, Mapping) and type(value).__module__.startswith("tkelectron.")
    ):
        # A framework mapping of the preload's (its ``versions``) crosses as the plain dict it reads as.
        return {k: _copy(v, str(k), from_page=from_page) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_copy(v, name, from_page=from_page) for v in value)
    framework = _copy_framework_object(value, from_page)
    if framework is not _NOT_FRAMEWORK:
        return framework
    try:
        return clone(value)
    except DataCloneError:
        if type(value).__module__.startswith("tkelectron."):
            return None  # another framework object: it stays in its world (see below)
        raise


_NOT_FRAMEWORK = object()
#: What the page may do with a message port it is handed (each a bridged function).
_PORT_METHODS = ("post_message", "postMessage", "start", "close", "on", "once")


def _copy_framework_object(value: Any, from_page: bool) -> Any:
    """The page's safe stand-in for one of the framework's objects, or _NOT_FRAMEWORK.

    The usual preload idiom returns what ``ipc_renderer.on`` returns (the
    ``ipc_renderer`` itself: Electron hands it to the page there). Here
    ``ipc_renderer`` and every other event emitter of the framework cross as
    None: the call works and the page gets no path back. Events and ports
    cross as copies: an ``IpcRendererEvent`` as ``sender_id`` and ``ports``
    (no ``sender``), a port's ``MessageEvent`` as ``data`` and ``ports``, a
    message port as a namespace of bridged methods (``post_message``,
    ``start``, ``close``, ``on``, ``once``).
    """
    if isinstance(value, MessagePortBase):
        return _Namespace({m: _copy(getattr(value, m), m, from_page=from_page) for m in _PORT_METHODS})
    if isinstance(value, IpcRendererEvent):
        return _Namespace({"sender_id": _copy(value.sender_id, from_page=from_page),
                           "ports": _copy(list(value.ports), "ports", from_page=from_page)})
    if isinstance(value, MessageEvent):
        return _Namespace({"data": _copy(value.data, "data", from_page=from_page),
                           "ports": _copy(list(value.ports), "ports", from_page=from_page)})
    if isinstance(value, EventEmitter):
        return None
    return _NOT_FRAMEWORK


@_sealed
class _Namespace:
    """The page's view of an exposed object: its public members, copied.

    Readable both ways, as a nested dict of the api is: ``api.x`` and
    ``api["x"]`` (also ``"x" in api``, ``len``, iteration over the names,
    ``keys``/``values``/``items``/``get``, so ``dict(api)`` is a plain copy).
    """

    def __init__(self, members: dict[str, Any]) -> None:
        self.__dict__.update(members)

    def __repr__(self, *, _tke_bridge: _Bridge = _bridge) -> str:
        return _tke_bridge.describe(self)

    def __getitem__(self, name: str, *, _tke_bridge: _Bridge = _bridge) -> Any:
        return _tke_bridge.member(self, name)

    def __contains__(self, name: object) -> bool:
        return name in self.__dict__

    def __iter__(self) -> Any:
        return [*self.__dict__].__iter__()  # no builtins here: the method is sealed

    def __len__(self) -> int:
        return self.__dict__.__len__()

    def keys(self) -> Any:
        return [*self.__dict__]

    def values(self) -> Any:
        return [*self.__dict__.values()]

    def items(self) -> Any:
        return [*self.__dict__.items()]

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)


def _copy_api(api: Any) -> Any:
    if isinstance(api, Mapping):
        return _Namespace({k: _copy(v, k) for k, v in api.items()})
    if callable(api) and not isinstance(api, type):
        return _copy(api)
    members = {name: _copy(getattr(api, name), name) for name in dir(api) if not name.startswith("_")}
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
