"""A per-renderer cgroup v2 (``memory.max``, ``pids.max``) where the machine delegates one.

A renderer started by main sits in main's cgroup, so its memory counts against
main's and nothing stops it from using all of it. Where cgroup v2 is
*delegated* to us — the cgroup above main's has the ``memory`` and ``pids``
controllers enabled for its children, and we may create children there (root,
or a systemd unit with ``Delegate=yes`` whose payload sits in a leaf) — each
renderer creates ``tkelectron-renderer-<pid>`` beside main's cgroup, writes its
limits and moves itself in, before Landlock takes away every write.

cgroup v2 forbids processes in a cgroup that hands controllers to its
children (except the root), so the place is: main's own cgroup when it is the
hierarchy's root, else its parent. Anywhere else — cgroup v1 holding the
controllers, no write access, controllers not enabled — the layer is skipped
and the reason reported; nothing else depends on it.

A renderer cannot remove its own cgroup; each one removes the empty
``tkelectron-renderer-*`` cgroups of renderers that have exited when it
starts, so at most the last one outlives its renderer until the next start.

Standard library only: main (``tkelectron doctor``) and renderers import this.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["CGROUP_PREFIX", "delegated_parent", "join_renderer_cgroup"]

CGROUP_PREFIX = "tkelectron-renderer-"
_NEEDED = ("memory", "pids")


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _unified_mount() -> str | None:
    """The mount point of the cgroup2 hierarchy (``/sys/fs/cgroup``, or ``.../unified`` when hybrid)."""
    try:
        lines = _read("/proc/self/mountinfo").splitlines()
    except OSError:
        return None
    for line in lines:
        fields, _, rest = line.partition(" - ")
        if rest.split(" ", 1)[0] == "cgroup2":
            return fields.split()[4]
    return None


def _own_cgroup() -> str | None:
    try:
        lines = _read("/proc/self/cgroup").splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("0::"):
            return line[3:]
    return None


def delegated_parent() -> tuple[str | None, str]:
    """Return ``(folder, why)``: where renderer cgroups can be created, or None and why not."""
    mount = _unified_mount()
    own = _own_cgroup()
    if mount is None or own is None:
        return None, "no cgroup v2 hierarchy is mounted"
    here = os.path.normpath(mount + "/" + own.lstrip("/"))
    parent = here if os.path.normpath(mount) == here else os.path.dirname(here)
    try:
        available = _read(os.path.join(parent, "cgroup.controllers")).split()
        enabled = _read(os.path.join(parent, "cgroup.subtree_control")).split()
    except OSError as exc:
        return None, f"cannot read {parent}: {exc.strerror}"
    lacking = [name for name in _NEEDED if name not in available]
    if lacking:
        return None, f"cgroup v2 at {mount} has no {' and '.join(lacking)} controller (cgroup v1 may hold it)"
    lacking = [name for name in _NEEDED if name not in enabled]
    if lacking:
        return None, f"not delegated: {parent} does not enable {' and '.join(lacking)} for its children"
    if not (os.access(parent, os.W_OK) and os.access(os.path.join(parent, "cgroup.procs"), os.W_OK)):
        return None, f"not delegated: {parent} is not writable by this user"
    return parent, f"delegated: {parent}"


def _remove_exited(parent: str) -> None:
    for name in os.listdir(parent):
        if not name.startswith(CGROUP_PREFIX):
            continue
        path = os.path.join(parent, name)
        try:
            if "populated 0" in _read(os.path.join(path, "cgroup.events")):
                os.rmdir(path)
        except OSError:
            pass  # another renderer's, busy, or removed meanwhile


def join_renderer_cgroup(max_memory: int | None, max_threads: int | None) -> dict[str, Any]:
    """Create this renderer's cgroup, set its limits, move into it; return what was set.

    Raises LookupError (with the reason) when the machine delegates no cgroup,
    OSError when a write the delegation should allow fails.
    """
    parent, why = delegated_parent()
    if parent is None:
        raise LookupError(why)
    _remove_exited(parent)
    path = os.path.join(parent, f"{CGROUP_PREFIX}{os.getpid()}")
    os.mkdir(path)
    try:
        # memory.max and pids.max exist in every child of a parent that
        # enables both controllers; memory.swap.max only with swap accounting.
        settings = {"memory.max": max_memory, "pids.max": max_threads}
        if max_memory and os.path.exists(os.path.join(path, "memory.swap.max")):
            settings["memory.swap.max"] = 0
        for name, value in settings.items():
            if value is not None:
                with open(os.path.join(path, name), "w", encoding="ascii") as handle:
                    handle.write(str(value))
        with open(os.path.join(path, "cgroup.procs"), "w", encoding="ascii") as handle:
            handle.write("0")  # "0": the writing process
    except OSError:
        os.rmdir(path)
        raise
    return {"path": path, "memory_max": max_memory, "pids_max": max_threads}
