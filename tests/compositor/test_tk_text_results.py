"""Tcl results come back as text even when Tcl hands over a list object.

Tcl shares literals between procs, so an empty string can arrive with a
list's internal form, which tkinter turns into ``()`` — it showed up as the
text "()" of an empty table cell in the devtools IPC panel.
"""

from __future__ import annotations

from tkelectron.common._messages import ReplaceDocument


def test_list_shaped_results_become_text(tk_kit) -> None:
    dom = tk_kit.surface.dom
    assert dom._str(()) == ""
    assert dom._str(("a", "b")) == "a b"
    assert dom._str("plain") == "plain"


def test_empty_and_filled_cells_read_as_text(tk_kit) -> None:
    tk_kit.apply([ReplaceDocument(
        '<html data-tke-id="1"><body data-tke-id="2"><table data-tke-id="3"><tr data-tke-id="4">'
        '<td data-tke-id="5"></td><td data-tke-id="6">x</td></tr></table></body></html>'
    )])
    assert tk_kit.surface.element(5).text == ""
    assert tk_kit.surface.element(6).text == "x"
