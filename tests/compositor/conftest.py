"""Fixtures for the shared compositor suite.

``kit`` is parametrized over both compositors and yields a :class:`Kit`: the
compositor, one surface, the list of :class:`InputEvent` it reported, and a
driver that performs user input the way each compositor takes it. For
``headless`` the driver calls the surface's ``simulate_*`` methods; for
``tkhtml`` it moves the real pointer and types real keys with ``xdotool`` on an
Xvfb display and pumps Tk until the expected event arrives (a condition with a
deadline, never a fixed sleep).

The tkhtml fixtures fail a test that leaves a surface, a Tk window on screen,
or an extra Xvfb process behind.
"""

from __future__ import annotations

import contextlib
import os
import time
import tkinter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tkelectron.common._messages import Op
from tkelectron.main.compositor.base import Compositor, InputEvent, SurfaceCallbacks
from tkelectron.main.compositor.headless import HeadlessCompositor
from tkelectron.main.compositor.tkhtml import TkhtmlCompositor
from tkelectron.testing._display import top_level_windows, xdotool

# DOM key names -> xdotool keysyms.
_XDO_KEYS = {"Enter": "Return", "ArrowUp": "Up", "ArrowDown": "Down", "ArrowLeft": "Left",
             "ArrowRight": "Right", "Backspace": "BackSpace", " ": "space"}


@dataclass
class Kit:
    """A surface under test, what it reported, and how to act on it as a user."""

    name: str
    compositor: Compositor
    surface: Any
    inputs: list[InputEvent]
    close_requests: list[int] = field(default_factory=list)
    focus_events: list[int] = field(default_factory=list)
    root: tkinter.Tk | None = None

    @property
    def real(self) -> bool:
        return self.root is not None

    def apply(self, ops: list[Op]) -> None:
        self.surface.apply(ops)
        self.settle()

    def settle(self) -> None:
        """Let Tk lay out and draw what was applied (no-op headless)."""
        if self.root is not None:
            self.root.update()

    def wait_for(self, cond: Callable[[], Any], timeout: float = 10.0, what: str = "condition") -> None:
        """Pump Tk until ``cond()`` holds; headless input is synchronous, so it must hold now."""
        if self.root is None:
            assert cond(), f"{what} did not hold"
            return
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; inputs so far: {self.inputs}")
            # Block in Tcl until an event arrives, or at most 20 ms.
            timer = self.root.after(20, lambda: None)
            self.root.tk.dooneevent(0)
            self.root.after_cancel(timer)

    def events(self, kind: str, target: int | None = None) -> list[InputEvent]:
        return [e for e in self.inputs if e.type == kind and (target is None or e.target == target)]

    # -- user input ------------------------------------------------------------------

    def _real_click(self, node: int) -> None:
        self.wait_for(lambda: self.surface.toplevel.winfo_ismapped(), what="window mapped")
        self.settle()
        self.surface.click_point(node)  # scrolls the element into view if needed
        self.settle()
        x, y = self.surface.click_point(node)
        xdotool("mousemove", x, y, "click", "1")

    def click(self, node: int, expect: int | None = None) -> InputEvent:
        """Click ``node``; returns the click event reported for ``expect`` (default ``node``)."""
        want = node if expect is None else expect
        seen = len(self.events("click", want))
        if self.real:
            self._real_click(node)
        else:
            self.surface.simulate_click(node)
        self.wait_for(lambda: len(self.events("click", want)) > seen, what=f"click on {want}")
        return self.events("click", want)[-1]

    def focus_control(self, node: int) -> None:
        if self.real:
            widget = self.surface.entry_widget(node)
            self._real_click(node)
            self.wait_for(lambda: widget.focus_get() is widget, what="focus in the control")

    def type_text(self, node: int, text: str) -> None:
        """Type ``text`` into text control ``node`` (headless: fill it)."""
        if self.real:
            self.focus_control(node)
            xdotool("type", "--delay", "15", text)
        else:
            self.surface.simulate_fill(node, text)
        self.wait_for(lambda: any(e.value == text for e in self.events("input", node)),
                      what=f"input {text!r} on {node}")

    def press(self, node: int, key: str) -> None:
        """Press and release DOM key ``key`` in ``node`` (which has focus already when real)."""
        def ups() -> int:
            return sum(1 for e in self.events("keyup", node) if e.key == key)

        seen = ups()
        if self.real:
            xdotool("key", _XDO_KEYS.get(key, key))
        else:
            self.surface.simulate_key(node, key)
        self.wait_for(lambda: ups() > seen, what=f"keyup {key!r} on {node}")

    def focused_node(self) -> int | None:
        if not self.real:
            return self.surface.focused_node
        self.settle()
        widget = self.surface.toplevel.focus_lastfor()
        for node in self.surface.document.nodes:
            if widget is not None and self.surface.entry_widget(node) is widget:
                return node
        return None


def _xvfb_children() -> set[int]:
    """Pids of Xvfb processes started by this process."""
    me, found = os.getpid(), set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if name == "Xvfb" and int(rest[1]) == me:
            found.add(int(pid))
    return found




@pytest.fixture
def tk_root(x_display: str) -> Iterator[tkinter.Tk]:
    """A Tk root on the test display; fails the test if it leaves windows or an Xvfb."""
    xvfbs = _xvfb_children()
    shown = top_level_windows()
    root = tkinter.Tk()
    root.withdraw()
    try:
        yield root
    finally:
        leftovers = [w for w in root.winfo_children() if isinstance(w, tkinter.Toplevel)]
        root.destroy()
    assert not leftovers, f"the test left Tk windows behind: {leftovers}"
    assert top_level_windows() <= shown, "the test left windows on the screen"
    assert _xvfb_children() <= xvfbs, "the test left an Xvfb running"


@contextlib.contextmanager
def plain_page(root: tkinter.Misc, source: str) -> Iterator[Any]:
    """A plain tkinterweb widget (no tkelectron around it) showing ``source``, closed after."""
    from tkinterweb import HtmlFrame

    top = tkinter.Toplevel(root)
    top.geometry("400x300")
    frame = HtmlFrame(top, messages_enabled=False, javascript_enabled=False, threading_enabled=False)
    frame.pack(fill="both", expand=True)
    frame.load_html(source)
    root.update()
    try:
        yield frame.html
    finally:
        top.destroy()


def _make_kit(name: str, request: pytest.FixtureRequest) -> Kit:
    inputs: list[InputEvent] = []
    compositor: Compositor
    root = None
    if name == "tkhtml":
        root = request.getfixturevalue("tk_root")
        compositor = TkhtmlCompositor(root)
    else:
        compositor = HeadlessCompositor()
    kit = Kit(name, compositor, None, inputs, root=root)
    callbacks = SurfaceCallbacks(on_input=inputs.append,
                                 on_close_request=lambda: kit.close_requests.append(1),
                                 on_focus=lambda: kit.focus_events.append(1))
    kit.surface = compositor.create_surface(window_id=1, width=640, height=480, title="test",
                                            show=True, callbacks=callbacks)
    return kit


@pytest.fixture(params=["headless", "tkhtml"])
def kit(request: pytest.FixtureRequest) -> Iterator[Kit]:
    made = _make_kit(request.param, request)
    made.settle()
    yield made
    made.surface.destroy()
    assert not made.compositor.surfaces, "the test left surfaces open"
    made.compositor.close()


@pytest.fixture
def tk_kit(request: pytest.FixtureRequest) -> Iterator[Kit]:
    made = _make_kit("tkhtml", request)
    made.settle()
    yield made
    made.surface.destroy()
    assert not made.compositor.surfaces, "the test left surfaces open"
    made.compositor.close()
