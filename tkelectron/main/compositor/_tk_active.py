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
        self._tk = html.tk
        self._set = html.set_node_flags
        self._clear = html.remove_node_flags
        # Pressed nodes -> the id of a no-op `after idle` queued behind Tkhtml's
        # restyle: once it is gone from Tcl's queue, the pressed look was laid
        # out. (A Python callback there cost a Tcl command made and deleted
        # per press, and a Python call in the round that lays the look out.)
        self._pressed: dict[str, str] = {}
        self._held: set[str] = set()  # nodes whose clear waits for the commit
        self._timer: str | None = None
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
        self._laid_out(key)  # a press of the node before: forgotten
        # Tkhtml scheduled its restyle when the flag was set, before this, so
        # when this has run the pressed look has been laid out.
        self._pressed[key] = str(self._tk.call("after", "idle", "list"))

    def _laid_out(self, key: str) -> bool:
        """Forget ``key``'s press; True when its pressed look had been laid out."""
        after_id = self._pressed.pop(key, None)
        if after_id is None:
            return False
        pending = after_id in self._tk.splitlist(self._tk.call("after", "info"))
        if pending:
            self._tk.call("after", "cancel", after_id)
        return not pending

    def _remove_flags(self, node: Any, name: str) -> None:
        key = str(node)
        if name != _ACTIVE or not self._laid_out(key):
            self._clear(node, name)
            return
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
        """Cancel the timer and the idle markers (the Tcl event loop outlives this widget)."""
        if self._timer is not None:
            self.html.after_cancel(self._timer)
            self._timer = None
        for after_id in self._pressed.values():
            try:
                self._tk.call("after", "cancel", after_id)
            except tkinter.TclError:
                pass
        self._pressed.clear()
        self._held.clear()
