"""Context isolation of the page world: what page scripts may import and inspect.

Page scripts get builtins whose ``__import__`` refuses ``tkelectron`` and its
submodules and hands out narrow stand-ins for ``sys`` (no ``modules``, no
frames), ``builtins`` and ``importlib`` (whose ``import_module`` refuses
tkelectron too). :func:`isolate_page` installs an audit hook that refuses
frame, code and garbage-collector introspection (``sys._getframe``,
``tb_frame``, ``cr_frame``, ``__code__``, ``__kwdefaults__``,
``gc.get_referrers``...) while page code is on the stack, up to the nearest
framework frame. The error, :class:`PageIsolationError`, is also a ValueError
so that ``logging`` from a page degrades to an unknown caller instead of
failing.

None of this is a security boundary — in one Python process nothing is (any
module's globals lead to ``sys.modules``; see docs/threat-model.md). The
boundary is the OS sandbox around the renderer and main's validation of
every message (SECURITY.md). This keeps honest code honest and closes the
routes people try first.
"""

from __future__ import annotations

import builtins
import importlib
import sys
import threading
import types
from typing import Any

__all__ = ["PageIsolationError", "isolate_page", "page_builtins"]

_REFUSED = "page scripts cannot import tkelectron: use what the preload exposes on window"


#: What page code may see of ``sys``: no ``modules``, no frames, no hooks,
#: no ``stdout`` object (``print`` still works).
_SYS_VISIBLE = (
    "version", "version_info", "hexversion", "platform", "maxsize", "maxunicode", "byteorder",
    "float_info", "int_info", "hash_info", "implementation", "flags", "float_repr_style",
    "getrecursionlimit", "getsizeof", "intern", "getdefaultencoding", "getfilesystemencoding",
    "exc_info", "exception",
)  # fmt: skip


def _refused(name: str) -> bool:
    return name == "tkelectron" or name.startswith("tkelectron.")


def _facade(name: str, members: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(name, f"the page world's view of {name}")
    module.__dict__.update(members)
    return module


def page_builtins() -> dict[str, Any]:
    """Builtins for page scripts: ``import tkelectron`` (or a submodule) fails,
    and ``sys``, ``builtins`` and ``importlib`` are narrow stand-ins."""
    real_import = builtins.__import__

    def import_module(name: str, package: str | None = None) -> Any:
        if _refused(name) or name.startswith("."):
            raise ImportError(_REFUSED)
        return importlib.import_module(name)

    table = dict(builtins.__dict__)
    facades = {
        "sys": _facade("sys", {k: getattr(sys, k) for k in _SYS_VISIBLE if hasattr(sys, k)}),
        "importlib": _facade(
            "importlib", {"import_module": import_module, "invalidate_caches": importlib.invalidate_caches}
        ),
    }

    def guarded_import(
        name: str,
        globals: dict[str, Any] | None = None,
        locals: dict[str, Any] | None = None,
        fromlist: tuple[str, ...] | list[str] | None = (),
        level: int = 0,
    ) -> Any:
        if level == 0 and _refused(name):
            raise ImportError(_REFUSED)
        top = name.partition(".")[0]
        if level == 0 and top in facades and (name == top or not fromlist):
            facade = facades[top]
            for item in fromlist or ():
                if not hasattr(facade, item):
                    raise ImportError(f"cannot import name {item!r} from {top!r} in a page script")
            return facade
        return real_import(name, globals, locals, fromlist or (), level)

    table["__import__"] = guarded_import
    facades["builtins"] = _facade("builtins", table)
    return table


# -- the introspection guard ---------------------------------------------------------


class PageIsolationError(PermissionError, ValueError):
    """Page code tried frame, code or garbage-collector introspection."""


_GUARDED_EVENTS = frozenset(
    {
        "sys._getframe", "sys._current_frames", "sys.settrace", "sys.setprofile", "sys.addaudithook",
        "gc.get_referrers", "gc.get_referents", "gc.get_objects",
    }
)  # fmt: skip
_GUARDED_ATTRIBUTES = frozenset(
    {
        "tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code", "gi_code", "cr_code", "ag_code",
        "__code__", "__defaults__", "__kwdefaults__",
    }
)  # fmt: skip
_page_scopes: dict[int, dict[str, Any]] = {}
_local = threading.local()
_installed = False


def _framework_frame(globals_: dict[str, Any]) -> bool:
    name = globals_.get("__name__")
    if not isinstance(name, str) or not name.startswith("tkelectron."):
        return False
    module = sys.modules.get(name)
    return module is not None and module.__dict__ is globals_


def _page_code_asks() -> bool:
    """Is page code, rather than the framework on its behalf, behind this event?

    Walks outwards from the frame that raised the event: a page frame before
    any framework frame means yes. Library frames in between (inspect,
    traceback...) do not count either way: they act for whoever called them.
    """
    frame = sys._getframe(2)  # 0: this function, 1: the hook
    while frame is not None:
        scope = _page_scopes.get(id(frame.f_globals))
        if scope is frame.f_globals:
            return True
        if _framework_frame(frame.f_globals):
            return False
        frame = frame.f_back
    return False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "object.__getattr__":
        if args[1] not in _GUARDED_ATTRIBUTES:
            return
    elif event not in _GUARDED_EVENTS:
        return
    if getattr(_local, "busy", False):
        return  # our own sys._getframe below
    _local.busy = True
    try:
        refused = _page_code_asks()
    finally:
        _local.busy = False
    if refused:
        what = args[1] if event == "object.__getattr__" else event
        raise PageIsolationError(f"page scripts cannot use {what}: the page world is isolated from the preload")


def isolate_page(scope: dict[str, Any]) -> None:
    """Treat code running with globals ``scope`` as page code from now on."""
    global _installed
    _page_scopes[id(scope)] = scope
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True
