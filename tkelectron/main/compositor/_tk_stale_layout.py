"""Tkhtml calls that read its layout lay the document out first when a change left that pending.

Tkhtml lays a document out in an idle callback. Between a change that takes
nodes out of the document (a text change replaces its text node, a list
refill removes rows) and that callback, Tkhtml's last layout still holds the
removed nodes, and ``tag add`` walking it crashes main. A page's text change
followed by a selection before Tk's next idle round does it: a quick double
click on a button whose handler changes a label (tkinterweb selects the word
under the pointer) segfaulted main every time with clicks injected through
XTest. Find in page (``tag add``) and hit tests (``node x y``) read the same
stale layout.

``$html _force`` runs Tkhtml's pending callback now (nothing when none is
pending: a flag test), so every call that reads the layout runs it first
when nodes left the tree since the last layout (``::tke::settle``: the
compositor records each removal until the layout after it has run). The
layout would have run at the next idle round anyway; it only runs before the
read instead of after it. A layout pending for anything else is not forced:
the ``:active`` look tkinterweb gives a button on a press is a restyle, and
forcing it in the release's hit test cost a whole-document layout on every
click (10,000 rows: ~20 ms), then another for the click's change. Such a
read sees boxes one restyle behind, never a node that left the tree.
tkinterweb's own selection, caret and hover code calls its widget's
``tag``/``text``/``node`` methods, which :func:`guard_layout_reads` wraps on
the widget; the compositor's hit test settles in Tcl (``::tke::hit``), and
find in page, which reads boxes, calls :func:`settle` (any pending layout).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._tk_dom import install_procs

__all__ = ["LAYOUT_READS", "guard_layout_reads", "settle"]

#: tkinterweb's methods of its Tkhtml widget that read the laid-out document.
LAYOUT_READS = ("tag", "text", "node")


def settle(html: Any) -> None:
    """Lay ``html``'s document out now if a change left that pending."""
    html.tk.call(html._w, "_force")


def _settled_first(html: Any, read: Callable[..., Any]) -> Callable[..., Any]:
    force = ("::tke::settle", html._w)
    call = html.tk.call

    @functools.wraps(read)
    def settled_read(*args: Any, **kwargs: Any) -> Any:
        call(*force)
        return read(*args, **kwargs)

    return settled_read


def guard_layout_reads(html: Any) -> None:
    """Make tkinterweb's layout reads on ``html`` (its widget) settle the layout first.

    The bound methods are replaced on this one widget instance; the class
    (and any other tkinterweb widget) is untouched.
    """
    install_procs(html)
    for name in LAYOUT_READS:
        setattr(html, name, _settled_first(html, getattr(html, name)))
