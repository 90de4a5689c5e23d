"""Big pages on the real Tk compositor, beside plain in-process Tkhtml.

Each figure is taken twice in one run, with the same page in two windows of
the same Tk process:

- **tkelectron**: a real renderer owns the page; a click (``xdotool``) goes
  from Tk to the renderer as a DOM event, the page's listener changes a
  label, the commit comes back and is checked and applied by main;
- **plain tkhtml** (the floor): a binding on the html widget makes the same
  change itself with Tkhtml's own node commands, in the same process, with
  no IPC (what a tkinter app using tkinterweb directly would pay, without
  tkinterweb's nested ``update``). It makes it when the button is released,
  where a DOM ``click`` listener (and a Tk button's command) runs: the same
  moment the tkelectron side's change starts from.

The two sides are clicked in turn, click by click (and lists refilled in
turn), so that load from elsewhere on the machine weighs on both alike; the
pointer is moved onto the button and its arrival handled before each click.
(Clicked back to back on one spot, every second click was also a double
click, whose word selection both sides paid for.)
A click is timed from the moment Tk dispatches its ButtonPress (a bind tag
put first on the html widget) to the moment the change is *drawn*: two idle
rounds after the change, since Tkhtml lays out in one idle callback and
redraws in one that layout schedules. A list replacement is timed from the
request (``web_contents.invoke`` asking the page to refill its list with the
DOM API; for the floor, the start of the Tcl calls) to the same drawn moment
after its last row was applied. Nothing runs a nested event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio

from ..common._messages import Op, SetText
from ..main._browser_window import BrowserWindow
from ..testing._xinput import xdotool
from ._bench_stats import Row, latency, latency_row
from ._bench_ui import _wait_clickable

__all__ = ["CLICK_ROWS", "LIST_ROWS", "PageFigures", "after_two_idle_rounds", "page_figures", "page_rows"]

APP_DIR = Path(__file__).with_name("_bench_pages_app")
_clock = time.perf_counter_ns
_TIMEOUT = 60.0
#: Rows shown in the list while clicks are timed.
CLICK_ROWS = (0, 1_000, 10_000)
#: Rows of the list replaced as a whole.
LIST_ROWS = 1_000
_PLAIN_PAGE = """<html><head><style>body{font-family:sans-serif;margin:24px}
button{font-size:20px;padding:12px 32px}</style></head><body>
<p><button type="button" id="btn">Click</button></p><p>Clicks: <span id="count">0</span></p>
<ul id="list"></ul></body></html>"""
# The floor's changes, done the way tkelectron's compositor and tkinterweb's
# own setters do them: replace the children by a freshly parsed fragment.
# The old children are kept until the change is drawn (as the compositor's
# ::tke::set_text and its removals do): destroyed before the new ones were
# parsed, their memory went to the new nodes, and Tkhtml's redraw then found
# nothing to paint where the new content had the old one's size ("Clicks: 3"
# after "Clicks: 2" stayed on screen as 2, and a refilled list's rows kept
# the old generation's text). Those "drawn" figures were the cost of drawing
# nothing.
_PLAIN_PROCS = r"""
proc ::tke_bench_replace {html node source} {
    set old [$node children]
    if {[llength $old]} {$node remove $old}
    set new [$html fragment $source]
    if {[llength $new]} {$node insert $new}
    if {[llength $old]} {after idle [list after idle [list after 0 [list ::tke_bench_destroy $old]]]}
}
proc ::tke_bench_destroy {nodes} {
    foreach n $nodes {catch {$n destroy}}
}
"""


@dataclass
class PageFigures:
    """Samples in nanoseconds: rows shown → clicks, and list replacements."""

    clicks: dict[int, list[int]] = field(default_factory=dict)
    plain_clicks: dict[int, list[int]] = field(default_factory=dict)
    lists: list[int] = field(default_factory=list)
    plain_lists: list[int] = field(default_factory=list)


def after_two_idle_rounds(widget: Any, fn: Callable[[], None]) -> None:
    """Call ``fn`` once what is pending is drawn: Tkhtml lays out in one idle
    round and redraws in one that the layout schedules."""
    widget.after_idle(lambda: widget.after_idle(fn))


def _rows_html(rows: int, gen: int) -> str:
    return "".join(f"<li>row {i} of generation {gen}</li>" for i in range(rows))


class _Tke:
    """The tkelectron side: one window with a real renderer."""

    def __init__(self, window: BrowserWindow) -> None:
        self.window = window
        surface: Any = window._surface
        self.html: Any = surface.html_widget
        self.gen = 0
        self._pressed: list[int] = []
        self._drawn: list[int] = []
        self._event = trio.Event()
        self._want: Callable[[list[Op]], bool] = lambda ops: False
        self.point = (0, 0)
        self._tag = ""
        self._original: tuple[str, ...] = ()

    def _on_commit(self, ops: list[Op]) -> None:
        if self._want(ops):
            self._want = lambda ops: False

            def drawn() -> None:
                self._drawn.append(_clock())
                self._event.set()

            after_two_idle_rounds(self.html, drawn)

    async def start_clicks(self) -> None:
        """Find the button and put the press clock first on the html widget."""
        self.point = await _wait_clickable(self.window, "#btn")
        self._tag = f"TkeBenchPages{id(self)}"
        self.html.bind_class(self._tag, "<ButtonPress-1>", lambda _e: self._pressed.append(_clock()))
        self._original = tuple(self.html.bindtags())
        self.html.bindtags((self._tag, *self._original))
        self.window.web_contents.on("dom-commit", self._on_commit)

    async def click(self) -> int | None:
        """One click on the button; ns from its press until its change is drawn."""
        wc = self.window.web_contents
        await _move_and_settle(self.html, self.point)
        await wc.wait_settled()  # the pointer's arrival (hover events) is handled
        self._pressed.clear()
        self._drawn.clear()
        self._event = trio.Event()
        self._want = lambda ops: any(isinstance(op, SetText) for op in ops)
        with trio.fail_after(_TIMEOUT):
            await xdotool("click", "1")
            await self._event.wait()
            await wc.wait_settled()
        return self._drawn[0] - self._pressed[0] if self._pressed else None

    def stop_clicks(self) -> None:
        self.window.web_contents.off("dom-commit", self._on_commit)
        if self.html.winfo_exists():
            self.html.bindtags(self._original)
        self.html.unbind_class(self._tag, "<ButtonPress-1>")

    async def fill(self, rows: int) -> int:
        """Have the page replace its list with ``rows`` rows; ns until drawn."""
        self.gen += 1
        last = f">row {rows - 1} of generation {self.gen}<" if rows else None
        wc = self.window.web_contents
        self._drawn.clear()
        self._event = trio.Event()
        if last is None:
            self._want = lambda ops: bool(ops)
        else:
            self._want = lambda ops: any(last in getattr(op, "html", "") for op in ops)
        wc.on("dom-commit", self._on_commit)
        try:
            t0 = _clock()
            with trio.fail_after(_TIMEOUT):
                await wc.invoke("pages:fill", rows, self.gen)
                await self._event.wait()
                await wc.wait_settled()
        finally:
            wc.off("dom-commit", self._on_commit)
        await _deferred_work_done(self.html)  # the old rows' destroys: not in the floor's figure
        return self._drawn[0] - t0


class _Plain:
    """The floor: the same page in a plain HtmlFrame, changed in-process."""

    #: The change is made when the button is released, as a click listener
    #: (and a Tk button's command) runs; the clock starts at the press either way.
    on_release = True

    def __init__(self, root: Any) -> None:
        import tkinter

        from tkinterweb import HtmlFrame

        self.top = tkinter.Toplevel(root)
        self.top.geometry("480x600+500+300")
        self.frame = HtmlFrame(self.top, messages_enabled=False, javascript_enabled=False)
        self.frame.pack(fill="both", expand=True)
        self.frame.load_html(_PLAIN_PAGE)
        self.html = self.frame.html
        self.tk = self.html.tk
        self.tk.eval(_PLAIN_PROCS)
        self.count = 0
        self.gen = 0
        self._pressed: list[int] = []
        self._drawn: list[int] = []
        self._event = trio.Event()
        self.point = (0, 0)
        self._tag = ""
        self._original: tuple[str, ...] = ()

    def _node(self, selector: str) -> str:
        found: Any = self.tk.splitlist(self.tk.call(self.html._w, "search", selector))[0]
        while isinstance(found, tuple) and len(found) == 1:  # a moved handle's nested-list form
            found = found[0]
        return str(found)

    def _drawn_now(self) -> None:
        self._drawn.append(_clock())
        self._event.set()

    def _on_press(self, _event: Any) -> None:
        self._pressed.append(_clock())
        if not self.on_release:
            self._on_click(_event)

    def _on_click(self, _event: Any) -> None:
        self.count += 1
        self.tk.call("::tke_bench_replace", self.html._w, self._node("#count"), str(self.count))
        after_two_idle_rounds(self.html, self._drawn_now)

    async def _point(self) -> tuple[int, int]:
        with trio.fail_after(_TIMEOUT):
            while True:
                if self.top.winfo_ismapped():
                    box = self.tk.splitlist(self.tk.call(self.html._w, "bbox", self._node("#btn")))
                    if box and int(box[2]) > int(box[0]):
                        x1, y1, x2, y2 = (int(v) for v in box)
                        return self.html.winfo_rootx() + (x1 + x2) // 2, self.html.winfo_rooty() + (y1 + y2) // 2
                await trio.sleep(0.01)

    async def start_clicks(self) -> None:
        """Find the button and bind the floor's change (and the press clock) first."""
        self.point = await self._point()
        self._tag = f"TkeBenchPlain{id(self)}"
        self.html.bind_class(self._tag, "<ButtonPress-1>", self._on_press)
        if self.on_release:
            self.html.bind_class(self._tag, "<ButtonRelease-1>", self._on_click)
        self._original = tuple(self.html.bindtags())
        self.html.bindtags((self._tag, *self._original))

    async def click(self) -> int:
        """One click on the button; ns from its press until its change is drawn."""
        await _move_and_settle(self.html, self.point)
        self._pressed.clear()
        self._drawn.clear()
        self._event = trio.Event()
        with trio.fail_after(_TIMEOUT):
            await xdotool("click", "1")
            await self._event.wait()
        return self._drawn[0] - self._pressed[0]

    def stop_clicks(self) -> None:
        self.html.bindtags(self._original)
        self.html.unbind_class(self._tag, "<ButtonPress-1>")
        self.html.unbind_class(self._tag, "<ButtonRelease-1>")

    async def fill(self, rows: int) -> int:
        self.gen += 1
        self._drawn.clear()
        self._event = trio.Event()
        t0 = _clock()
        self.tk.call("::tke_bench_replace", self.html._w, self._node("#list"), _rows_html(rows, self.gen))
        after_two_idle_rounds(self.html, self._drawn_now)
        with trio.fail_after(_TIMEOUT):
            await self._event.wait()
        return self._drawn[0] - t0

    def close(self) -> None:
        self.top.destroy()


async def _deferred_work_done(widget: Any) -> None:
    """Let Tk run what a change left for later (the compositor destroys removed
    rows on a timer after the redraw) before the other side's figure is taken,
    which would otherwise pay for it."""
    done = trio.Event()
    widget.after_idle(lambda: widget.after(0, lambda: widget.after_idle(done.set)))
    with trio.fail_after(_TIMEOUT):
        await done.wait()


async def _move_and_settle(widget: Any, point: tuple[int, int]) -> None:
    """Put the pointer on ``point`` and let Tk handle its arrival (enter and
    motion events, hover styles laid out and drawn) before a click is timed."""
    await xdotool("mousemove", "--sync", str(point[0]), str(point[1]))
    idle = trio.Event()
    after_two_idle_rounds(widget, idle.set)
    with trio.fail_after(_TIMEOUT):
        await idle.wait()


async def _alternate_clicks(tke: _Tke, plain: _Plain, count: int, warmup: int) -> tuple[list[int], list[int]]:
    """Click ours and the floor in turn, click by click, so that whatever else
    loads the machine meanwhile weighs on both figures alike."""
    ours: list[int] = []
    floor: list[int] = []
    await tke.start_clicks()
    await plain.start_clicks()
    try:
        for i in range(count + warmup):
            mine = await tke.click()
            theirs = await plain.click()
            if i >= warmup and mine is not None:
                ours.append(mine)
                floor.append(theirs)
    finally:
        tke.stop_clicks()
        plain.stop_clicks()
    return ours, floor


async def page_figures(root: Any, clicks: int, lists: int) -> PageFigures:
    """Click and list figures for tkelectron and plain tkhtml, interleaved."""
    figures = PageFigures()
    window = BrowserWindow(width=480, height=600, x=0, y=300, title="tkelectron bench: pages",
                           web_preferences={"preload": str(APP_DIR / "preload.py"), "sandbox": True})
    plain = _Plain(root)
    try:
        await window.load_file(APP_DIR / "index.html")
        tke = _Tke(window)
        warmup = max(2, clicks // 10)
        for rows in CLICK_ROWS if clicks else ():
            await tke.fill(rows)
            await plain.fill(rows)
            figures.clicks[rows], figures.plain_clicks[rows] = await _alternate_clicks(tke, plain, clicks, warmup)
        for i in range(lists + 2 if lists else 0):  # two warm-up fills, only when lists are measured
            ours = await tke.fill(LIST_ROWS)
            floor = await plain.fill(LIST_ROWS)
            if i >= 2:
                figures.lists.append(ours)
                figures.plain_lists.append(floor)
    finally:
        plain.close()
        window.destroy()
    return figures


def page_rows(figures: PageFigures) -> list[Row]:
    """The table rows: each tkelectron figure beside plain tkhtml's of the same run.

    A figure that was not asked for (``CLICKS`` or ``LISTS`` of 0) has no
    samples and no row, so either half of the page bench can run alone."""
    rows = []
    for shown, label in ((0, "click → drawn (pixels), empty page"),
                         (1_000, "click → drawn (pixels), 1000 rows shown"),
                         (10_000, "10k-row page: click → drawn (pixels)")):
        if figures.clicks.get(shown):
            rows.append(latency_row(f"{label}, vs plain tkhtml", latency(figures.clicks[shown]),
                                    latency(figures.plain_clicks[shown])))
    if figures.lists:
        rows.append(latency_row(f"{LIST_ROWS}-row list → laid out and drawn, vs plain tkhtml",
                                latency(figures.lists), latency(figures.plain_lists)))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Only these rows: ``python -m tkelectron.tools._bench_pages [CLICKS [LISTS]]``."""
    import sys

    from ..main._app import app
    from ..main._host import TkHost
    from ..testing._display import ensure_display
    from ._bench_stats import format_table, machine_lines

    args = sys.argv[1:] if argv is None else argv
    clicks = int(args[0]) if args else 30
    lists = int(args[1]) if len(args) > 1 else 10
    found: list[PageFigures] = []

    async def run(root: Any) -> None:
        async with app.running(compositor="tkhtml", root=root, entry_points=False, spare_renderers=0):
            app.on("window-all-closed", lambda *_: None)  # the bench closes its windows itself
            found.append(await page_figures(root, clicks, lists))

    with ensure_display():
        host = TkHost()
        host.run(run, host.root)
    for text in machine_lines():
        print(text)
    print(f"clicks: {clicks} per list size (xdotool); list replacements: {lists}")
    print(format_table(page_rows(found[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
