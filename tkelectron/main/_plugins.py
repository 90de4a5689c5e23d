"""The plugin manager: specs, then installed plugins, then built-ins."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs

__all__ = ["get_plugin_manager", "load_app_module", "merge_menu_templates"]

#: The entry-point group where installed apps name themselves (`tkelectron run NAME`).
APPS_GROUP = "tkelectron.apps"

#: Built-in plugins, registered after installed ones (pluggy calls later
#: registrations first, so apps and installed plugins can override them).
BUILTINS: tuple[str, ...] = ("tkelectron.main._default_menu",)


def get_plugin_manager(*, entry_points: bool = True) -> pluggy.PluginManager:
    """A fresh manager with the hook specs, installed plugins and built-ins."""
    pm = pluggy.PluginManager("tkelectron")
    pm.add_hookspecs(hookspecs)
    if entry_points:
        pm.load_setuptools_entrypoints("tkelectron")
    for name in BUILTINS:
        module = importlib.import_module(name)
        if not pm.is_registered(module):
            pm.register(module, name=name)
    return pm


def load_app_module(path: str | Path) -> ModuleType:
    """Import an app: a folder with ``main.py``, a ``.py`` file, or a module name."""
    target = Path(path)
    if target.is_dir():
        target = target / "main.py"
    if target.suffix == ".py" and target.is_file():
        folder = str(target.resolve().parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        name = f"tkelectron_app_{abs(hash(str(target.resolve())))}"
        spec = importlib.util.spec_from_file_location(name, target)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load an app from {target}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    if str(path).endswith(".py") or "/" in str(path):
        raise FileNotFoundError(f"no app at {path} (a folder with main.py, a .py file, or a module name)")
    # An installed app names itself in the `tkelectron.apps` entry-point group.
    for entry in importlib.metadata.entry_points(group=APPS_GROUP):
        if entry.name == str(path):
            return importlib.import_module(entry.value.split(":")[0])
    return importlib.import_module(str(path))


def merge_menu_templates(contributions: list[list[dict[str, Any]] | None]) -> list[dict[str, Any]]:
    """Merge top-level menu items from several plugins by label."""
    merged: list[dict[str, Any]] = []
    by_label: dict[str, dict[str, Any]] = {}
    for template in contributions:
        for item in template or []:
            label = item.get("label") or item.get("role")
            existing = by_label.get(label) if label else None
            if existing is not None and isinstance(existing.get("submenu"), list):
                existing["submenu"] = existing["submenu"] + list(item.get("submenu") or [])
                continue
            copy = dict(item)
            if isinstance(copy.get("submenu"), list):
                copy["submenu"] = list(copy["submenu"])
            merged.append(copy)
            if label:
                by_label[label] = copy
    return merged
