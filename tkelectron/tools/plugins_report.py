"""``tkelectron plugins``: the plugins an app would load, and their hooks.

The report is built from a real plugin manager — by default the one an app
gets (:func:`tkelectron.main._plugins.get_plugin_manager`: hook specs,
installed plugins from the ``tkelectron`` entry-point group, then built-ins) —
so what it lists is exactly what would run. For each plugin it names where it
comes from (the distribution and version that declared the entry point, a
built-in, or registered by code) and the hooks it implements, marking
``async def`` ones and flagging hooks that match no spec (usually a typo: such
an implementation would never be called).
"""

from __future__ import annotations

import inspect
from typing import Any

import pluggy

__all__ = ["report", "describe"]

_GROUP = "tkelectron"


def _origin(name: str, plugin: Any, dists: dict[int, Any]) -> str:
    from ..main._plugins import BUILTINS

    dist = dists.get(id(plugin))
    if dist is not None:
        return f"entry point {name!r} of {dist.project_name} {dist.version}"
    if name in BUILTINS:
        return "built-in"
    where = getattr(plugin, "__file__", None) or getattr(type(plugin), "__module__", None)
    return f"registered by code ({where})" if where else "registered by code"


def _hooks(pm: pluggy.PluginManager, plugin: Any) -> list[str]:
    found: list[str] = []
    for caller in pm.get_hookcallers(plugin) or []:
        impls = [impl for impl in caller.get_hookimpls() if impl.plugin is plugin]
        notes: list[str] = []
        if any(inspect.iscoroutinefunction(impl.function) for impl in impls):
            notes.append("async")
        if any(impl.tryfirst for impl in impls):
            notes.append("tryfirst")
        if any(impl.trylast for impl in impls):
            notes.append("trylast")
        if caller.spec is None:
            notes.append("NO SUCH HOOK: never called")
        found.append(caller.name + (f" ({', '.join(notes)})" if notes else ""))
    return sorted(found)


def describe(pm: pluggy.PluginManager) -> list[dict[str, Any]]:
    """One dict per registered plugin: ``name``, ``origin``, ``hooks``, in call order.

    pluggy calls the most recently registered implementation first, so the
    list is in reverse registration order.
    """
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    out: list[dict[str, Any]] = []
    for name, plugin in reversed(pm.list_name_plugin()):
        if plugin is None:  # blocked by name
            out.append({"name": name, "origin": "blocked", "hooks": []})
            continue
        out.append({"name": name, "origin": _origin(name, plugin, dists), "hooks": _hooks(pm, plugin)})
    return out


def report(pm: pluggy.PluginManager | None = None) -> str:
    """The plugins of ``pm`` (default: the manager an app would get) as text."""
    if pm is None:
        from ..main._plugins import get_plugin_manager

        pm = get_plugin_manager(entry_points=True)
    plugins = describe(pm)
    specs = sorted(name for name in vars(pm.hook) if getattr(pm.hook, name).spec is not None)
    lines = [f"tkelectron plugins (entry-point group {_GROUP!r}), in call order:"]
    if not plugins:
        lines.append("  none installed")
    for entry in plugins:
        lines.append(f"  {entry['name']}")
        lines.append(f"    from:  {entry['origin']}")
        lines.append(f"    hooks: {', '.join(entry['hooks']) or 'none'}")
    lines.append(f"hooks a plugin can implement ({len(specs)}): {', '.join(specs)}")
    return "\n".join(lines)
