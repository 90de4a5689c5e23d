"""Measure what pointer motion costs main on the Tk compositor (not a test).

Delivers N motion events over a page of 1,000 elements, one a millisecond, as
a fast mouse does (Tk itself collapses motion events queued together, so they
are spread out here), and reports how many mousemove reports came out and the
time main's loop spent per motion event, with the throttle and with every
motion hit-tested and reported.

    python tests/input/measure_motion.py [N]   (needs an X display: run under xvfb-run)
"""

from __future__ import annotations

import sys
import time
import tkinter

from tkelectron.common._messages import ReplaceDocument
from tkelectron.main.compositor import _tk_pointer
from tkelectron.main.compositor.base import InputEvent, SurfaceCallbacks
from tkelectron.main.compositor.tkhtml import TkhtmlCompositor


def run(count: int, interval: float) -> tuple[int, float]:
    _tk_pointer.MOTION_INTERVAL = interval
    root = tkinter.Tk()
    root.withdraw()
    events: list[InputEvent] = []
    compositor = TkhtmlCompositor(root)
    surface = compositor.create_surface(window_id=1, width=640, height=480, title="m", show=True,
                                        callbacks=SurfaceCallbacks(on_input=events.append,
                                                                   on_close_request=lambda: None))
    rows = "".join(f'<p data-tke-id="{i + 3}">row {i}</p>' for i in range(1000))
    surface.apply([ReplaceDocument(f'<html data-tke-id="1"><body data-tke-id="2">{rows}</body></html>')])
    root.update()
    html = surface.html_widget
    spent = 0.0
    for i in range(count):
        start = time.perf_counter()
        html.event_generate("<Motion>", x=10 + i % 300, y=10 + i % 400)
        while html.tk.dooneevent(tkinter._tkinter.DONT_WAIT):  # type: ignore[attr-defined]
            pass
        spent += time.perf_counter() - start
        time.sleep(0.001)
    deadline = time.monotonic() + 0.1  # the last held-back motion's timer
    while time.monotonic() < deadline:
        html.tk.dooneevent(tkinter._tkinter.DONT_WAIT)  # type: ignore[attr-defined]
    moves = sum(1 for e in events if e.type == "mousemove")
    surface.destroy()
    compositor.close()
    root.destroy()
    return moves, spent


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for label, interval in (("throttled (16 ms)", 0.016), ("every motion", 0.0)):
        moves, spent = run(count, interval)
        print(f"{label:18} {count} motions -> {moves} mousemove reports, {spent * 1e6 / count:.1f} us per motion")


if __name__ == "__main__":
    main()
