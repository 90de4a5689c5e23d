"""The compromised renderer: raw commits, console and stderr on main's request.

Every handler here does what no honest renderer does: it builds protocol
messages itself and writes them on the renderer's socket, skipping every
renderer-side check.
"""

import os

from tkelectron.common import _messages
from tkelectron.common._messages import Commit, Console
from tkelectron.renderer import ipc_renderer
from tkelectron.tools._flood_renderer import flood  # commits, console and stderr as fast as main reads


def _runtime():
    return ipc_renderer._runtime()


def _ops(specs):
    """[["Insert", parent, html, before], ...] -> op structs."""
    return [getattr(_messages, name)(*args) for name, *args in specs]


def ids(event):
    """Node ids of the page's own elements, for the test to aim at."""
    doc = _runtime().document
    found = {"html": doc.document_element._nid, "head": doc.head._nid, "body": doc.body._nid}
    for name in ("status", "target"):
        found[name] = doc.get_element_by_id(name)._nid
    return found


def commit(event, specs):
    """One commit of the test's ops, written as it is."""
    _runtime().conn.send(Commit(_ops(specs)))
    return "sent"


def commits(event, specs, count):
    """``count`` commits of the same ops, back to back."""
    conn = _runtime().conn
    ops = _ops(specs)
    for _ in range(count):
        conn.send(Commit(ops))
    return count


def console(event, level, message, source="", line=0):
    _runtime().conn.send(Console(level, message, source, line))
    return "sent"


def preload_error(event, path, kind, message, traceback):
    """A PreloadError of the test's making (main logs it)."""
    _runtime().conn.send(_messages.PreloadError(path, _messages.ErrorInfo(kind, message, "builtins", traceback)))
    return "sent"


def stderr(event, data, repeat=1):
    """Write ``data`` * ``repeat`` straight to fd 2 (the pipe main reads)."""
    for _ in range(repeat):
        view = memoryview(data)
        while view:
            view = view[os.write(2, view):]
    return len(data) * repeat


for _name, _fn in {"ids": ids, "commit": commit, "commits": commits, "console": console, "stderr": stderr,
                   "preload_error": preload_error,
                   "flood": flood, "echo": lambda event, value: value}.items():
    ipc_renderer.handle(_name, _fn)
