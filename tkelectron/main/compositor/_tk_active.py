"""A pressed element's ``:active`` look comes off in the same layout as what its click changed.

tkinterweb sets Tkhtml's ``active`` flag on the element under a press and
clears it on the release; each is a restyle, and Tkhtml lays the whole
document out again for it in an idle round (10,000 rows: ~15 ms). In a
tkinter app the click's own change is made in the release's handler, so the
clear and the change share one layout. Here the change comes from the
renderer a moment later, as a commit: cleared at once, the release's layout
ran first and the commit's layout after it, two whole-document layouts
where a browser (which draws a release and what its click listener changed
in one frame) and plain tkhtml pay one.

So when the pressed look has been laid out already (an idle round passed
since the press), the release's clear is held back until the next commit is
applied (:meth:`ActiveLook.release`, first thing in the surface's ``apply``),
or :data:`HOLD` seconds at most when no commit comes (a click the page does
not answer). A press released before any idle round is cleared at once: the
flag's set and clear then meet in one pending restyle, which lays nothing
out again.
"""

from __future__ import annotations

import tkinter
from typing import Any

__all__ = ["HOLD", "ActiveLook"]

#: Seconds a release's clear waits for the click's commit (two frames at 60 Hz).
HOLD = 0.032
_ACTIVE = "active"


class ActiveLook:
    """Holds back the release's ``active`` clear on one tkinterweb widget until a commit comes."""

    def __init__(self, html: Any) -> None:
        self.html = html
        self._set = html.set_node_flags
        self._clear = html.remove_node_flags
        self._drawn: set[str] = set()  # nodes whose active look was laid out (an idle round passed)
        self._held: set[str] = set()  # nodes whose clear waits for the commit
        self._timer: str | None = None
        self._idle: set[str] = set()  # `after idle` ids still to run
        # Replaced on this widget instance only; tkinterweb's press and
        # release handlers call them through the instance.
        html.set_node_flags = self._set_flags
        html.remove_node_flags = self._remove_flags

    def _set_flags(self, node: Any, name: str) -> None:
        self._set(node, name)
        if name != _ACTIVE:
            return
        key = str(node)
        self._held.discard(key)
        self._drawn.discard(key)
        # Tkhtml scheduled its restyle when the flag was set, before this, so
        # when this runs the pressed look has been laid out.
        after_id: list[str] = []

        def laid_out() -> None:
            self._idle.discard(after_id[0])
            self._drawn.add(key)

        after_id.append(self.html.after_idle(laid_out))
        self._idle.add(after_id[0])

    def _remove_flags(self, node: Any, name: str) -> None:
        key = str(node)
        if name != _ACTIVE or key not in self._drawn:
            self._clear(node, name)
            return
        self._drawn.discard(key)
        self._held.add(key)
        if self._timer is None:
            self._timer = self.html.after(round(HOLD * 1000), self.release)

    def release(self) -> None:
        """Clear the ``active`` flags held back (a commit is about to be applied, or time is up)."""
        if self._timer is not None:
            self.html.after_cancel(self._timer)
            self._timer = None
        if not self._held:
            return
        held, self._held = self._held, set()
        for node in held:
            try:
                self._clear(node, _ACTIVE)
            except tkinter.TclError:
                pass  # the node was destroyed meanwhile (its document replaced)

    def close(self) -> None:
        """Cancel the timer and idle callbacks (the Tcl event loop outlives this widget)."""
        if self._timer is not None:
            self.html.after_cancel(self._timer)
            self._timer = None
        for after_id in self._idle:
            try:
                self.html.after_cancel(after_id)
            except tkinter.TclError:
                pass
        self._idle.clear()
        self._held.clear()
        self._drawn.clear()
