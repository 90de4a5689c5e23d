"""The Tk compositor's pointer: motion is throttled to one report a frame, the latest kept."""

from __future__ import annotations

from tkelectron.common._messages import ReplaceDocument

from .conftest import Kit

PAGE = """<html data-tke-id="1"><body data-tke-id="2">
<div data-tke-id="3" style="height: 300px; background: #eef">a tall box</div>
</body></html>"""


def test_a_burst_of_motion_is_reported_as_its_first_and_its_latest(tk_kit: Kit) -> None:
    tk_kit.apply([ReplaceDocument(PAGE)])
    tk_kit.wait_for(lambda: tk_kit.surface.toplevel.winfo_ismapped(), what="window mapped")
    html = tk_kit.surface.html_widget
    for i in range(50):  # queued at once, as a fast mouse does between two turns of Tk's loop
        html.event_generate("<Motion>", x=10 + i, y=40, when="tail")
    tk_kit.wait_for(lambda: any(e.x == 59 for e in tk_kit.events("mousemove")), what="the latest motion")
    # At most the first (when no report was made in the last frame) and the latest.
    moves = [(e.x, e.y, e.target) for e in tk_kit.events("mousemove") if e.y == 40]
    assert moves[-1] == (59, 40, 3) and len(moves) <= 2
    assert moves[0] in ((10, 40, 3), (59, 40, 3))
    assert [e.target for e in tk_kit.events("mouseover")][-1] == 3
