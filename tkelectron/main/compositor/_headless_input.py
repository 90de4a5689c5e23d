"""Simulated user input on a headless surface.

Each ``simulate_*`` call reports through ``callbacks.on_input`` the events
the Tk compositor reports for the same real input, in the same order: a
click is ``mousedown``, ``mouseup``, ``click`` (a checkbox's ``click``
carries its new state); a double click adds a second round and
``dblclick``; a right-click is ``mousedown``, ``contextmenu`` (with the
:class:`~._context_target.ContextTarget` of what the mirror shows there),
``mouseup``, ``auxclick``. Keys carry ``key``, ``code`` (derived from the key
as a US keyboard would give it, unless given) and the modifiers. A key event
the app consumed (``before-input-event``) has no further effect, as in Tk.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...common._html import HtmlElement
from ...common._messages import MODIFIER_BITS
from ._context_target import ContextTarget, describe
from ._headless_dom import _text
from .base import InputEvent

if TYPE_CHECKING:
    from ._headless_dom import MirrorDocument

    _Base = MirrorDocument
else:
    _Base = object

__all__ = ["HeadlessInput", "code_for_key"]

_CODES = {
    "Enter": "Enter", "Escape": "Escape", "Tab": "Tab", "Backspace": "Backspace", "Delete": "Delete",
    " ": "Space", "ArrowUp": "ArrowUp", "ArrowDown": "ArrowDown", "ArrowLeft": "ArrowLeft",
    "ArrowRight": "ArrowRight", "Home": "Home", "End": "End", "PageUp": "PageUp", "PageDown": "PageDown",
    "Shift": "ShiftLeft", "Control": "ControlLeft", "Alt": "AltLeft", "Meta": "MetaLeft", "Insert": "Insert",
    "-": "Minus", "=": "Equal", ",": "Comma", ".": "Period", "/": "Slash", ";": "Semicolon",
}


def code_for_key(key: str) -> str:
    """The ``code`` a US keyboard gives for DOM key ``key`` ("" when there is no such key)."""
    if len(key) == 1 and key.isascii() and key.isalpha():
        return f"Key{key.upper()}"
    if len(key) == 1 and key.isdigit():
        return f"Digit{key}"
    if key.startswith("F") and key[1:].isdigit():
        return key
    return _CODES.get(key, "")


def _bits(ctrl: bool, shift: bool, alt: bool, meta: bool) -> int:
    return ((MODIFIER_BITS["Control"] if ctrl else 0) | (MODIFIER_BITS["Shift"] if shift else 0)
            | (MODIFIER_BITS["Alt"] if alt else 0) | (MODIFIER_BITS["Meta"] if meta else 0))


class HeadlessInput(_Base):
    """The ``simulate_*`` methods of :class:`~.headless.HeadlessSurface`."""

    hover: int = 0
    selection_text: str = ""
    _focused_control: int = 0

    # Provided by the surface.
    def _control(self, node: int) -> HtmlElement:
        raise NotImplementedError

    def _emit(self, event: InputEvent) -> bool | None:
        raise NotImplementedError

    # -- the pointer ---------------------------------------------------------------------

    def simulate_click(self, node: int, *, x: int = 0, y: int = 0, detail: int = 1, ctrl: bool = False,
                       shift: bool = False, alt: bool = False, meta: bool = False) -> None:
        """Click element ``node`` with the primary button; a checkbox or radio toggles as in Tk."""
        el = self._control(node)
        kind = self._kind(el)
        mods = _bits(ctrl, shift, alt, meta)
        self._emit(InputEvent("mousedown", node, x=x, y=y, button=0, buttons=1, modifiers=mods, detail=detail))
        if kind == "select":
            self._emit(InputEvent("click", node, value=self._value(node, el), x=x, y=y, buttons=1, detail=detail,
                                  modifiers=mods))
        self._emit(InputEvent("mouseup", node, x=x, y=y, button=0, buttons=0, modifiers=mods, detail=detail))
        if kind in ("checkbox", "radio"):
            self.simulate_check(node)
        elif kind != "select":
            value = self._value(node, el) if kind else None
            self._emit(InputEvent("click", node, value=value, x=x, y=y, modifiers=mods, detail=detail))
        if detail == 2 and kind not in ("checkbox", "radio", "select"):
            self._emit(InputEvent("dblclick", node, x=x, y=y, modifiers=mods, detail=2))

    def simulate_dblclick(self, node: int, *, x: int = 0, y: int = 0) -> None:
        """Double-click ``node``: a click, then a second one with ``detail`` 2 and ``dblclick``."""
        self.simulate_click(node, x=x, y=y)
        self.simulate_click(node, x=x, y=y, detail=2)

    def simulate_check(self, node: int) -> None:
        """Click checkbox or radio ``node``: toggle it and report ``click`` with ``checked``."""
        el = self._control(node)
        kind = self._kind(el)
        if kind not in ("checkbox", "radio"):
            raise ValueError(f"node {node} is a <{el.tag}>, not a checkbox or radio")
        if "disabled" in el.attrs:
            raise RuntimeError(f"node {node} is disabled")
        now = True if kind == "radio" else not self._is_checked(node, el)
        self._set_checked(node, el, now)
        self._emit(InputEvent("click", node, value=self._value(node, el), checked=now, detail=1))

    def simulate_context_menu(self, node: int, *, x: int = 0, y: int = 0) -> None:
        """Right-click ``node`` at viewport (x, y)."""
        self._control(node)
        self._emit(InputEvent("mousedown", node, x=x, y=y, button=2, buttons=2, detail=1))
        self._emit(InputEvent("contextmenu", node, x=x, y=y, button=2, buttons=2, context=self.context_at(node, x, y)))
        self._emit(InputEvent("mouseup", node, x=x, y=y, button=2, buttons=0, detail=1))
        self._emit(InputEvent("auxclick", node, x=x, y=y, button=2, buttons=0, detail=1))

    def simulate_pointer_move(self, node: int, *, x: int = 0, y: int = 0, buttons: int = 0) -> None:
        """Move the pointer onto ``node``: ``mouseover`` when it is a new element, then ``mousemove``."""
        self._control(node)
        if node != self.hover:
            old, self.hover = self.hover, node
            self._emit(InputEvent("mouseover", node, x=x, y=y, related=old))
        self._emit(InputEvent("mousemove", node, x=x, y=y, buttons=buttons))

    def simulate_leave(self) -> None:
        """Move the pointer out of the window."""
        if self.hover:
            old, self.hover = self.hover, 0
            self._emit(InputEvent("mouseover", 0, related=old))

    def simulate_wheel(self, node: int, *, delta_y: float = 0.0, delta_x: float = 0.0, x: int = 0, y: int = 0,
                       shift: bool = False) -> None:
        """Turn the wheel over ``node`` (positive ``delta_y``: towards the user, the page scrolls down)."""
        self._control(node)
        self._emit(InputEvent("wheel", node, x=x, y=y, delta_x=delta_x, delta_y=delta_y,
                              modifiers=_bits(False, shift, False, False)))

    # -- the keyboard ------------------------------------------------------------------------

    def simulate_fill(self, node: int, text: str) -> None:
        """Replace text control ``node``'s value: reports ``input`` then ``change``."""
        el = self._control(node)
        if self._kind(el) not in ("text", "textarea", "select"):
            raise ValueError(f"node {node} is a <{el.tag}>, not a text control")
        if "disabled" in el.attrs:
            raise RuntimeError(f"node {node} is disabled")
        self.values[node] = self._committed[node] = text
        self._emit(InputEvent("input", node, value=text))
        self._emit(InputEvent("change", node, value=text))

    def simulate_focus_control(self, node: int) -> None:
        """Give form control ``node`` the keyboard: ``blur`` for the previous one, then ``focus``."""
        self._control(node)
        previous = self._focused_control
        if previous == node:
            return
        if previous and previous in self.nodes:
            self._emit(InputEvent("blur", previous))
        self._focused_control = node
        self.focused_node = node
        self._emit(InputEvent("focus", node, related=previous))

    def simulate_key(self, node: int, key: str, *, code: str | None = None, ctrl: bool = False, shift: bool = False,
                     alt: bool = False, meta: bool = False, repeat: int = 0) -> None:
        """Press and release DOM key ``key`` on ``node`` (Enter commits a text control).

        ``repeat`` more keydowns (with ``repeat`` true) follow the first, as
        when the key is held.
        """
        el = self._control(node)
        kind = self._kind(el)
        value = self._value(node, el) if kind not in ("", "checkbox", "radio") else None
        mods = _bits(ctrl, shift, alt, meta)
        code = code_for_key(key) if code is None else code

        def down(again: bool) -> bool:
            return bool(self._emit(InputEvent("keydown", node, value=value, key=key, code=code, modifiers=mods,
                                              repeat=again)))

        consumed = down(False)
        for _ in range(repeat):
            down(True)
        if not consumed and (key == "ContextMenu" or (key == "F10" and shift)):
            # The keyboard's context menu, at the element (as the Tk compositor reports it).
            target = dataclasses.replace(self.context_at(node, 0, 0), source="keyboard")
            self._emit(InputEvent("contextmenu", node, context=target))
        if not consumed and key == "Enter" and kind == "text" and value is not None and \
                value != self._committed.get(node, el.attrs.get("value", "")):
            self._committed[node] = value
            self._emit(InputEvent("change", node, value=value))
        self._emit(InputEvent("keyup", node, value=value, key=key, code=code, modifiers=mods))

    def simulate_select(self, text: str) -> None:
        """Select ``text`` (what a right-click reports as ``selection_text``)."""
        self.selection_text = text

    # -- what a right-click is on ----------------------------------------------------------

    def context_at(self, node: int, x: int, y: int) -> ContextTarget:
        """What the mirror shows at element ``node``."""
        chain: list[tuple[str, dict[str, str], Callable[[], str]]] = []
        el: HtmlElement | None = self.nodes.get(node)
        while el is not None:
            chain.append((el.tag, dict(el.attrs), functools.partial(_text, el)))
            el = el.parent
        return describe(chain, x, y, selection_text=self.selection_text)
