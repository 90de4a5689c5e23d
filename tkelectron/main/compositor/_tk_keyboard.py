"""Keys on a Tkhtml page, as the DOM names them.

Each key event carries ``key`` (from the keysym: "a", "A", "Enter"), ``code``
(the physical key, from the X keycode), the modifiers and ``repeat``
(:mod:`._tk_keys`). X repeats a held key as release/press pairs with one
timestamp, so a release is reported only once the next event shows it was not
such a pair (at the latest :data:`RELEASE_WAIT_MS` later). A key event main
consumed (``before-input-event`` prevented it) returns Tk's ``break``: the
widget it was typed into never sees it. The Menu key (and Shift+F10) is the
keyboard's ``contextmenu``, at the focused control.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._tk_keys import dom_code, dom_key, key_modifiers
from .base import InputEvent

if TYPE_CHECKING:
    from ._tk_input import TkInput, _Control

__all__ = ["RELEASE_WAIT_MS", "TkKeyboard"]

_SHIFT = 0x1
#: How long a key release waits for the press that would make it half of an
#: autorepeat pair (the X server sends both at once; Tk may read them apart).
RELEASE_WAIT_MS = 40


@dataclass(eq=False)
class _Release:
    """A key release not reported yet (it may be half of an autorepeat pair)."""

    keycode: int
    time: int
    node: int
    control: _Control | None
    event: Any
    timer: str


class TkKeyboard:
    """Reports one html widget's keys through its :class:`~._tk_input.TkInput`."""

    def __init__(self, inputs: TkInput) -> None:
        self.inputs = inputs
        self.html = inputs.html
        self._pressed: dict[int, str] = {}  # keycode -> DOM key, so keyup names match keydown
        self._release: _Release | None = None

    def close(self) -> None:
        if self._release is not None:
            self.html.after_cancel(self._release.timer)
            self._release = None

    def _event(self, kind: str, node: int, c: _Control | None, event: Any, key: str,
                   repeat: bool = False) -> InputEvent:
        value = None if c is None or c.kind in ("check", "radio") else self.inputs._read(c)
        return InputEvent(kind, node, value=value, key=key, code=dom_code(int(event.keycode)),
                          modifiers=key_modifiers(int(event.state), key, kind == "keydown"), repeat=repeat)

    def press(self, event: Any, node: int, c: _Control | None) -> str | None:
        keycode = int(event.keycode)
        pending = self._release
        repeat = keycode in self._pressed
        if pending is not None and pending.keycode == keycode and pending.time == int(event.time):
            # X's autorepeat: the release of this pair is not reported at all.
            self.html.after_cancel(pending.timer)
            self._release = None
            repeat = True
        else:
            self.flush()
        if not node:
            return None
        key = self._pressed[keycode] = dom_key(event.keysym, event.char)
        if self.inputs.send(self._event("keydown", node, c, event, key, repeat)):
            return "break"  # main consumed it (before-input-event): the widget never sees it
        if key == "Enter" and c is not None and c.kind == "text":
            self.inputs._commit(c)
        if key == "ContextMenu" or (key == "F10" and int(event.state) & _SHIFT):
            self._keyboard_menu(node, c)
        return None

    def _keyboard_menu(self, node: int, c: _Control | None) -> None:
        """The Menu key (or Shift+F10): ``contextmenu`` at the focused control, from the keyboard."""
        x = y = 0
        if c is not None:
            widget = self.inputs.key_widget(c)
            x, y = self.inputs._viewport_xy(widget, widget.winfo_width() // 2, widget.winfo_height() // 2)
        target = dataclasses.replace(self.inputs.pointer.context_at(node, x, y), source="keyboard")
        self.inputs.send(InputEvent("contextmenu", node, x=x, y=y, context=target))

    def release(self, event: Any, node: int, c: _Control | None) -> None:
        self.flush()
        timer = self.html.after(RELEASE_WAIT_MS, self.flush)
        self._release = _Release(int(event.keycode), int(event.time), node, c, event, timer)

    def flush(self) -> None:
        """Report the key release still held back (a later event shows it was real)."""
        pending, self._release = self._release, None
        if pending is None:
            return
        self.html.after_cancel(pending.timer)
        event = pending.event
        key = self._pressed.pop(pending.keycode, None) or dom_key(event.keysym, event.char)
        if pending.node and (pending.control is None or self.inputs.control(pending.control.node) is pending.control):
            self.inputs.send(self._event("keyup", pending.node, pending.control, event, key))
