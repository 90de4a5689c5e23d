"""Opening a window: from the call to its first drawn frame, beside plain tkhtml.

A user sees a window when its page is drawn, not when its renderer is up, so
this times ``BrowserWindow(...)`` + ``load_file`` until the page has loaded
(``did-finish-load``: the renderer ran the page's scripts and main applied
its document), the toplevel has been exposed, and two idle rounds have run
after both (Tkhtml lays out in one idle callback and draws in the next).

Two settings, as apps meet them:

- **no spare**: the first window of an app, or one opened right after
  another used up the spare — the renderer is started for this window (by a
  zygote fork where the zygote is on, else a new interpreter);
- **warm spare**: a spare renderer started ahead and given time to import
  (the default, ``spare_renderers=1``).

The floor is plain tkinterweb in the same process: a new ``Toplevel`` with an
``HtmlFrame`` loading the same page (its script removed) until exposed and two
idle rounds later — what a one-process tkinter app pays to show that page.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio

from ..main._browser_window import BrowserWindow
from ._bench_pages import after_two_idle_rounds

__all__ = ["OpenFigures", "open_figures"]

_clock = time.perf_counter_ns
_TIMEOUT = 60.0
#: A person does not open windows back to back: spares get this long to import.
_SPARE_WARMUP = 0.5


@dataclass
class OpenFigures:
    """Nanoseconds from the call to the first drawn frame, per setting."""

    no_spare: list[int] = field(default_factory=list)
    warm_spare: list[int] = field(default_factory=list)
    plain: list[int] = field(default_factory=list)


class _Drawn:
    """Set once ``toplevel`` was exposed and two idle rounds ran after ``ready()``."""

    def __init__(self, toplevel: Any) -> None:
        self.toplevel = toplevel
        self.event = trio.Event()
        self.at = 0
        self._exposed = False
        self._ready = False
        toplevel.bind("<Expose>", self._on_expose, add="+")

    def _on_expose(self, _event: Any) -> None:
        if not self._exposed:
            self._exposed = True
            self._maybe()

    def ready(self) -> None:
        self._ready = True
        self._maybe()

    def _maybe(self) -> None:
        if self._exposed and self._ready:
            after_two_idle_rounds(self.toplevel, self._drawn)

    def _drawn(self) -> None:
        if not self.event.is_set():
            self.at = _clock()
            self.event.set()


async def _open_tkelectron(page: Path, preferences: dict[str, Any]) -> int:
    t0 = _clock()
    window = BrowserWindow(width=480, height=240, title="tkelectron bench open", web_preferences=dict(preferences))
    try:
        surface: Any = window._surface
        drawn = _Drawn(surface.toplevel)
        with trio.fail_after(_TIMEOUT):
            await window.load_file(page)
            drawn.ready()
            await drawn.event.wait()
        return drawn.at - t0
    finally:
        window.destroy()


def _plain_page(page: Path) -> str:
    """The bench page without its (renderer-side) script: what plain tkhtml shows."""
    return re.sub(r"<script\b.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S | re.I)


async def _open_plain(root: Any, html: str) -> int:
    import tkinter

    from tkinterweb import HtmlFrame

    t0 = _clock()
    top = tkinter.Toplevel(root)
    try:
        top.geometry("480x240")
        drawn = _Drawn(top)
        frame = HtmlFrame(top, messages_enabled=False, javascript_enabled=False, threading_enabled=False)
        frame.pack(fill="both", expand=True)
        frame.load_html(html)
        drawn.ready()
        with trio.fail_after(_TIMEOUT):
            await drawn.event.wait()
        return drawn.at - t0
    finally:
        top.destroy()


async def open_figures(root: Any, page: Path, preferences: dict[str, Any], count: int) -> OpenFigures:
    """Open ``count`` windows per setting, interleaved with the plain floor.

    One untimed open of each kind goes first (tkinterweb's Tcl package,
    the interpreter's page cache). Leaves ``spare_renderers`` at 0.
    """
    from ..main._app import app

    figures = OpenFigures()
    html = _plain_page(page)
    app.spare_renderers = 0
    await _open_plain(root, html)
    await _open_tkelectron(page, preferences)
    for _ in range(count):
        figures.plain.append(await _open_plain(root, html))
        figures.no_spare.append(await _open_tkelectron(page, preferences))
    app.spare_renderers = 1
    app._refill_spares()
    try:
        for _ in range(count):
            await trio.sleep(_SPARE_WARMUP)
            figures.warm_spare.append(await _open_tkelectron(page, preferences))
    finally:
        app.spare_renderers = 0
        app._discard_spares()
    return figures
