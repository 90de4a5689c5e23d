"""The pointer on a Tkhtml page: mouse buttons, motion, hover and the wheel.

One bind tag, first in the html widget's bindtags (so tkinterweb's own
bindings, which select text and scroll, still run after it and never shadow
it), turns X's button, motion and crossing events into DOM events; embedded
form controls forward theirs from :class:`~._tk_input.TkInput`'s tag with the
control's node and the point in viewport coordinates.

What is reported, as a browser on Linux does it: ``mousedown`` (then
``contextmenu`` for the right button, with what the page shows there),
``mouseup``, then ``click`` (primary button, on the nearest element holding
both the press and the release), ``dblclick`` on a double press's release, or
``auxclick`` for the other buttons; the wheel (X buttons 4-7) as ``wheel``;
motion as ``mousemove`` and hover changes as ``mouseover`` naming the element
left in ``related`` (the renderer derives ``mouseout``/``mouseenter``/
``mouseleave`` from its tree). Which of these the page hears at all is main's
call (it sends only the kinds the page listens for); the pointer asks first
(``SurfaceCallbacks.hears``) and builds none of the others.

Motion is throttled here, before anything else is done with it: X reports
the pointer as often as the mouse does (hundreds of times a second), and
this reports it at most once per :data:`MOTION_INTERVAL` — the first at once,
the latest of the rest when the interval is over (a Tk timer), each with one
hit test. A button or the wheel first reports the motion still held back, so
events keep their order.
"""

from __future__ import annotations

import functools
import time
import tkinter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ._context_target import ContextTarget, describe
from ._tk_keys import BUTTONS, modifiers, pointer_buttons
from .base import InputEvent

if TYPE_CHECKING:
    from ._tk_input import TkInput

__all__ = ["MOTION_INTERVAL", "WHEEL_NOTCH", "PageEvent", "TkPointer"]

#: Seconds between two motion reports (one a frame at 60 Hz).
MOTION_INTERVAL = 0.016

#: Pixels one wheel notch scrolls (``WheelEvent.delta_y``, ``delta_mode`` 0).
WHEEL_NOTCH = 100
#: X buttons 4-7 are the wheel: (delta_x, delta_y) per notch.
_WHEEL = {4: (0, -WHEEL_NOTCH), 5: (0, WHEEL_NOTCH), 6: (-WHEEL_NOTCH, 0), 7: (WHEEL_NOTCH, 0)}
_SHIFT = 0x1
#: X's NotifyInferior: the pointer went into (or came from) a child window.
_INFERIOR = "NotifyInferior"


class PageEvent(NamedTuple):
    """What the page's pointer bindings read of an X event (the fields of a
    tkinter Event that the pointer's handlers use, which take either)."""

    num: int
    x: int
    y: int
    state: int


class TkPointer:
    """Reports one html widget's pointer input through its :class:`TkInput`."""

    def __init__(self, inputs: TkInput) -> None:
        self.inputs = inputs
        self.html = html = inputs.html
        self.dom = inputs.dom
        self._pressed: dict[int, int] = {}  # Tk button -> node pressed
        self._doubled: set[int] = set()  # buttons whose current press is a double press
        self.hover = 0
        #: Motion held back: (node or None for a hit test, x, y, X state), and its timer.
        self._motion: tuple[int | None, int, int, int] | None = None
        self._motion_timer: str | None = None
        self._motion_sent = 0.0
        #: (x, y, node) of the button event being handled: the hit test it made,
        #: for a motion held back at the same point (see flush_motion).
        self._button_hit: tuple[int, int, int] | None = None
        self.tag = tag = f"TkePointer{id(self)}"
        # Bound in Tcl with only the fields used: a tkinter binding builds an
        # Event from 19 substitutions first (a getint and its error path for
        # each, a widget lookup), ~20-40 µs of the press and of the release
        # of every click when the process has just woken.
        self._button = html.register(self._on_button)
        self._moved = html.register(self._on_motion)
        self._leave = html.register(self._on_leave)
        for seq, script in (
            ("<ButtonPress>", f"{self._button} 1 %b %x %y %s"),
            ("<Double-ButtonPress>", f"{self._button} 2 %b %x %y %s"),
            ("<ButtonRelease>", f"{self._button} 0 %b %x %y %s"),
            ("<Motion>", f"{self._moved} %x %y %s"),
            ("<Leave>", f"{self._leave} %d %x %y %s"),  # tkinter's events carry no crossing detail (%d)
        ):
            html.bind_class(tag, seq, script)
        html.bindtags((tag, *html.bindtags()))

    def close(self) -> None:
        if self._motion_timer is not None:
            self.html.after_cancel(self._motion_timer)
            self._motion_timer = None
        for seq in ("<ButtonPress>", "<Double-ButtonPress>", "<ButtonRelease>", "<Motion>", "<Leave>"):
            self.html.unbind_class(self.tag, seq)
        for cmd in (self._button, self._moved, self._leave):
            self.html.deletecommand(cmd)

    def _on_button(self, detail: str, num: str, x: str, y: str, state: str) -> None:
        """A button of the page went down (``detail`` 1, 2 for a double press) or up (0)."""
        event = PageEvent(int(num), int(x), int(y), int(state))
        node = self._hit(event.x, event.y)
        self._button_hit = (event.x, event.y, node)
        try:
            if detail == "0":
                self.release(event, node, event.x, event.y)
            else:
                self.press(event, node, event.x, event.y, int(detail))
        finally:
            self._button_hit = None

    def _on_motion(self, x: str, y: str, state: str) -> None:
        event = PageEvent(0, int(x), int(y), int(state))
        self.motion(event, None, event.x, event.y)

    def _hit(self, x: int, y: int) -> int:
        target = self.dom.hit(x, y)
        if target is None:
            target = self.inputs.page_target()
        return target or 0

    def _send(self, kind: str, node: int, event: Any, x: int, y: int, **fields: Any) -> None:
        # An event the page would not hear is not built: on a page without a
        # mousedown listener that is most of a press's Python (~35 µs of the
        # ~75 a press costs when the process has just woken).
        if node and self.inputs.hears(kind):
            self.inputs.send(InputEvent(kind, node, x=x, y=y, modifiers=modifiers(int(event.state)), **fields))

    # -- buttons -----------------------------------------------------------------------

    def press(self, event: Any, node: int, x: int, y: int, detail: int) -> None:
        """A button went down on ``node`` at viewport (x, y) (a double press: ``detail`` 2)."""
        num = int(event.num)
        if num in _WHEEL:
            self.wheel(event, node, x, y, num)
            return
        if num not in BUTTONS:
            return
        self.inputs.flush_keys()
        self.flush_motion()
        button, bit = BUTTONS[num]
        buttons = pointer_buttons(int(event.state)) | bit
        self._pressed[num] = node
        if detail > 1:
            self._doubled.add(num)
        else:
            self._doubled.discard(num)
        self._send("mousedown", node, event, x, y, button=button, buttons=buttons, detail=detail)
        if num == 3 and node:
            self._send("contextmenu", node, event, x, y, button=button, buttons=buttons,
                       context=self.context_at(node, x, y))

    def release(self, event: Any, node: int, x: int, y: int) -> None:
        num = int(event.num)
        if num not in BUTTONS:
            return
        self.inputs.flush_keys()
        self.flush_motion()
        button, bit = BUTTONS[num]
        buttons = pointer_buttons(int(event.state)) & ~bit
        detail = 2 if num in self._doubled else 1
        pressed = self._pressed.pop(num, 0)
        self._send("mouseup", node, event, x, y, button=button, buttons=buttons, detail=detail)
        target = self._common(pressed, node)
        if not target or self.inputs.clicks_itself(target):
            return
        if num != 1:
            self._send("auxclick", target, event, x, y, button=button, buttons=buttons, detail=detail)
            return
        self.inputs.send(InputEvent("click", target, value=self.inputs.value(target), x=x, y=y,
                                    modifiers=modifiers(int(event.state)), button=button, buttons=buttons,
                                    detail=detail))
        if detail == 2:
            self._send("dblclick", target, event, x, y, button=button, buttons=buttons, detail=detail)

    def _common(self, a: int, b: int) -> int:
        """The innermost displayed element holding both ``a`` and ``b`` (0: none)."""
        if not a or not b or a == b:
            return a if a == b else 0
        chain = self.ancestors(a)
        inside = set(self.ancestors(b))
        return next((n for n in chain if n in inside), 0)

    def handle(self, node: int) -> str:
        """Tkhtml's handle of displayed element ``node`` ("" when not displayed)."""
        found = self.dom.search(f'[data-tke-id="{int(node)}"]')
        return found[0] if found else ""

    def ancestors(self, node: int) -> list[int]:
        """``node`` and each displayed ancestor with an id, innermost first."""
        handle = self.handle(node)
        out: list[int] = []
        while handle:
            if self.dom.tag(handle):
                found = self.dom.attr(handle, "data-tke-id")
                if found.isdigit():
                    out.append(int(found))
            handle = self.dom.parent(handle)
        return out

    # -- motion and the wheel --------------------------------------------------------------

    def motion(self, event: Any, node: int | None, x: int, y: int) -> None:
        """The pointer moved to (x, y), over ``node`` (None: whatever the page shows there)."""
        self._motion = (node, x, y, int(event.state))
        if self._motion_timer is not None:
            return
        wait = self._motion_sent + MOTION_INTERVAL - time.monotonic()
        if wait <= 0:
            self.flush_motion()
        else:
            self._motion_timer = self.html.after(max(1, round(wait * 1000)), self.flush_motion)

    def flush_motion(self) -> None:
        """Report the motion held back, if any (hover first, then ``mousemove``)."""
        if self._motion_timer is not None:
            self.html.after_cancel(self._motion_timer)
            self._motion_timer = None
        held, self._motion = self._motion, None
        if held is None:
            return
        self._motion_sent = time.monotonic()
        node, x, y, state = held
        if node is None:
            # The pointer usually stops before it presses: a motion held back at
            # the press's own point is over what the press's hit test found (the
            # same layout, a moment apart), and a second hit test (a Tcl walk,
            # ~25 µs before the release queued behind the press is read) is saved.
            known = self._button_hit
            node = known[2] if known is not None and known[:2] == (x, y) else self._hit(x, y)
        hears = self.inputs.hears
        if node != self.hover:
            old, self.hover = self.hover, node
            if hears("mouseover"):
                self.inputs.send(InputEvent("mouseover", node, x=x, y=y, related=old, modifiers=modifiers(state)))
        if node and hears("mousemove"):
            self.inputs.send(InputEvent("mousemove", node, x=x, y=y, modifiers=modifiers(state),
                                        buttons=pointer_buttons(state)))

    def left(self, state: int, x: int, y: int) -> None:
        """The pointer left the page: a hover change to no element (target 0)."""
        self.flush_motion()
        if self.hover:
            old, self.hover = self.hover, 0
            if self.inputs.hears("mouseover"):
                self.inputs.send(InputEvent("mouseover", 0, x=x, y=y, related=old, modifiers=modifiers(state)))

    def _on_leave(self, detail: str, x: str, y: str, state: str) -> None:
        if detail != _INFERIOR and state.isdigit():  # into an embedded control: its <Enter> follows
            self.left(int(state), int(x), int(y))

    def wheel(self, event: Any, node: int, x: int, y: int, num: int) -> None:
        self.flush_motion()
        dx, dy = _WHEEL[num]
        if int(event.state) & _SHIFT and dx == 0:
            dx, dy = dy, 0  # Shift turns the wheel sideways, as in browsers on Linux
        self._send("wheel", node, event, x, y, delta_x=float(dx), delta_y=float(dy),
                   buttons=pointer_buttons(int(event.state)))

    # -- what a right-click is on ---------------------------------------------------------

    def context_at(self, node: int, x: int, y: int) -> ContextTarget:
        """What the page shows at ``node``: links, media, the control and its selection."""
        handle = self.handle(node)
        chain: list[tuple[str, dict[str, str], Callable[[], str]]] = []
        while handle:
            tag = self.dom.tag(handle)
            if tag:
                chain.append((tag.lower(), self.dom.attrs(handle), functools.partial(self.dom.text, handle)))
            handle = self.dom.parent(handle)
        selection, undo, redo = self.inputs.selection(node)
        return describe(chain, x, y, selection_text=selection, can_undo=undo, can_redo=redo)


def page_selection(html: Any) -> str:
    """The text selected in the page itself (tkinterweb's selection), or ""."""
    try:
        return str(html.selection_manager.get_selection() or "")
    except (AttributeError, tkinter.TclError):
        return ""
