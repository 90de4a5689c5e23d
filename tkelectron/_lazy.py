"""A package's public names, imported on first use (PEP 562).

``tkelectron`` and ``tkelectron.testing`` re-export names from private
modules without importing them up front: a renderer process imports
``tkelectron.renderer`` (and so the ``tkelectron`` package) before it locks
itself down, and pytest imports ``tkelectron.testing`` for its plugin in every
project where tkelectron is installed; neither should pay for trio or the
main process's modules until a name is used.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


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
        return value

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *exports])

    return __getattr__, __dir__
