"""A package's public names, imported on first use (PEP 562), shown at their public path.

``tkelectron`` and ``tkelectron.testing`` re-export names from private
modules without importing them up front: a renderer process imports
``tkelectron.renderer`` (and so the ``tkelectron`` package) before it locks
itself down, and pytest imports ``tkelectron.testing`` for its plugin in every
project where tkelectron is installed; neither should pay for trio or the
main process's modules until a name is used.

A re-exported class or function says where users find it, not where it is
defined: ``tkelectron.BrowserWindow.__module__`` is ``"tkelectron"``, so
``repr``, ``help()``, tracebacks' exception names and pickling show the public
path (trio's ``fixup_module_metadata``).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["fixup_module_metadata", "lazy_exports"]


def _private(module: str, package: str) -> bool:
    """``module`` is a private module of ``package``'s project (a ``_name`` part in its path)."""
    root = package.split(".")[0]
    return module.startswith(root + ".") and any(part.startswith("_") for part in module.split("."))


def _fix_one(package: str, obj: object, seen: set[int]) -> None:
    if id(obj) in seen or not isinstance(obj, (type, types.FunctionType)):
        return  # instances (app, ipc_main, ...) keep their class's module
    seen.add(id(obj))
    if not _private(obj.__module__, package):
        return  # someone else's, or already shown at a public path (errors live in two APIs)
    obj.__module__ = package
    if isinstance(obj, type):
        for member in vars(obj).values():  # its methods, so help() and reprs agree
            _fix_one(package, member, seen)


def fixup_module_metadata(package: str, names: Iterable[str]) -> None:
    """Show ``package``'s public classes and functions ``names`` as defined in it."""
    namespace = vars(sys.modules[package])
    seen: set[int] = set()
    for name in names:
        _fix_one(package, namespace[name], seen)


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of ``package``.

    ``exports`` maps each public name to the module (relative to ``package``)
    that defines it. A name is imported the first time it is read, then kept
    in the package's namespace, so later reads are plain attribute lookups.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        fixup_module_metadata(package, [name])
        return value

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *exports])

    return __getattr__, __dir__
