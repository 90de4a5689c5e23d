"""An X error a page can cause is absorbed: main goes on.

``input { width: 1000000px }`` makes Tk ask the X server for a pixmap past its
32,767-pixel limit; before the handler, Xlib's default handler ended the
process (exit status 1, every window gone).
"""

from __future__ import annotations

from tkelectron.common._messages import Insert, ReplaceDocument
from tkelectron.main.compositor._tk_xerrors import x_errors_absorbed

HUGE = "width: 1000000px; height: 1000000px"


def test_a_widget_past_x_s_limits_is_absorbed_and_drawing_goes_on(tk_kit, caplog) -> None:
    tk_kit.surface.show()
    tk_kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"><p data-tke-id="3">a</p></body></html>')])
    before = x_errors_absorbed()
    tk_kit.apply([Insert(2, f'<input data-tke-id="4" style="{HUGE}">', 3)])
    tk_kit.wait_for(lambda: x_errors_absorbed() > before, what="an X error to be absorbed")
    assert "X error" in caplog.text
    # Tk and the document still work.
    tk_kit.apply([Insert(2, '<p data-tke-id="5">after</p>', None)])
    assert "after" in tk_kit.surface.html()
