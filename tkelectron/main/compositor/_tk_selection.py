"""Clicks select nothing: no empty selection and no button label is tagged.

On every press tkinterweb begins a text selection at the pointer, and the
release (like any motion with the button down) updates it: ``tag delete
selection``, then ``tag add selection`` from the press point to the current
one; a double click selects the word under the pointer. Tkhtml takes each new
tag for a change of the document's look and does the work of one in its next
idle round, on the click's own path to the screen (that round lays out and
draws the click's commit too): ~450 µs a click on the bench page, where two
clicks on a button within Tk's double-click time selected its label.

:func:`skip_empty_selection` keeps those out, as a browser does: a selection
that covers nothing only takes away a tag that is there, and one that starts
in a ``<button>`` is no selection (a browser does not select a button's label
on a double click; a drag that starts outside and crosses it still selects).
Any other selection is tagged exactly as tkinterweb does.
"""

from __future__ import annotations

from typing import Any

__all__ = ["skip_empty_selection"]

#: How far up from a selection's start a ``<button>`` is looked for.
_MAX_DEPTH = 64


def _in_button(html: Any, node: Any) -> bool:
    for _ in range(_MAX_DEPTH):
        if not node:
            return False
        if str(html.get_node_tag(node)).lower() == "button":
            return True
        node = html.get_node_parent(node)
    return False


def skip_empty_selection(html: Any) -> None:
    """Let ``html``'s (a tkinterweb widget's) selections that show nothing leave Tkhtml's tags alone.

    The selection manager's methods are replaced on this one widget's
    manager; its own calls go through the instance, so they take these too.
    """
    manager = html.selection_manager
    update = manager.update_selection
    clear = manager.clear_selection
    # Whether a "selection" tag may be set now (unknown at first: maybe).
    tagged = True

    def update_selection() -> None:
        nonlocal tagged
        start = manager.selection_start_node
        empty = start == manager.selection_end_node and manager.selection_start_offset == manager.selection_end_offset
        if empty or _in_button(html, start):
            if not empty:
                manager.selection_end_node = None  # nothing selected: nothing to copy either
            if tagged:
                html.tag("delete", "selection")
                tagged = False
            return
        update()
        tagged = True

    def clear_selection() -> None:
        nonlocal tagged
        clear()
        tagged = False

    manager.update_selection = update_selection
    manager.clear_selection = clear_selection
