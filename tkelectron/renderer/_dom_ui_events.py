"""The DOM's user-input events: :class:`KeyboardEvent`, :class:`MouseEvent`,
:class:`WheelEvent` and :class:`FocusEvent`, in snake_case.

They carry what main saw (``DomEvent``): ``key`` ("a", "A", "Enter",
"ArrowLeft") and ``code`` ("KeyA", "Enter", "ArrowLeft") as the DOM names
them, the modifier keys (``ctrl_key``, ``shift_key``, ``alt_key``,
``meta_key``, ``get_modifier_state("Control")``), ``repeat`` for a held key;
the pointer's viewport point (``client_x``/``client_y``, also ``x``/``y``,
``page_x``/``page_y`` and ``offset_x``/``offset_y``: the page does not
scroll separately from its viewport here), ``button`` (0 primary, 1 middle,
2 secondary), ``buttons`` (bits 1, 2, 4), ``detail`` (the click count),
``related_target``; a wheel's ``delta_x``/``delta_y`` in pixels
(``delta_mode`` 0).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..common._messages import MODIFIER_BITS, DomEvent
from ._dom_events import Event

__all__ = ["FocusEvent", "KeyboardEvent", "MouseEvent", "UIEvent", "WheelEvent"]

#: The legacy ``key_code`` of keys that are not a letter or a digit.
_KEY_CODES = {
    "Backspace": 8, "Tab": 9, "Enter": 13, "Shift": 16, "Control": 17, "Alt": 18, "Pause": 19,
    "CapsLock": 20, "Escape": 27, " ": 32, "PageUp": 33, "PageDown": 34, "End": 35, "Home": 36,
    "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39, "ArrowDown": 40, "Insert": 45, "Delete": 46,
    "Meta": 91, "ContextMenu": 93, "NumLock": 144, ";": 186, "=": 187, ",": 188, "-": 189, ".": 190,
    "/": 191, "`": 192, "[": 219, "\\": 220, "]": 221, "'": 222,
}


class UIEvent(Event):
    """An event a user's action caused; ``detail`` is a number (the click count for clicks)."""

    def __init__(self, type: str, bubbles: bool = True, cancelable: bool = True, *, detail: int = 0,
                 key: str | None = None, x: int = 0, y: int = 0) -> None:
        super().__init__(type, bubbles, cancelable, detail=detail, key=key, x=x, y=y)
        self.view: Any = None


class _Modifiers:
    """The modifier keys held during the event."""

    _modifiers: int

    @property
    def ctrl_key(self) -> bool:
        return bool(self._modifiers & MODIFIER_BITS["Control"])

    @property
    def shift_key(self) -> bool:
        return bool(self._modifiers & MODIFIER_BITS["Shift"])

    @property
    def alt_key(self) -> bool:
        return bool(self._modifiers & MODIFIER_BITS["Alt"])

    @property
    def meta_key(self) -> bool:
        return bool(self._modifiers & MODIFIER_BITS["Meta"])

    def get_modifier_state(self, key: str) -> bool:
        """Whether modifier ``key`` ("Control", "Shift", "Alt", "Meta") is held."""
        bit = MODIFIER_BITS.get(key)
        return bool(bit and self._modifiers & bit)


class KeyboardEvent(_Modifiers, UIEvent):
    """``keydown``, ``keyup`` and ``keypress``."""

    DOM_KEY_LOCATION_STANDARD: ClassVar[int] = 0
    DOM_KEY_LOCATION_LEFT: ClassVar[int] = 1
    DOM_KEY_LOCATION_RIGHT: ClassVar[int] = 2
    DOM_KEY_LOCATION_NUMPAD: ClassVar[int] = 3

    def __init__(self, type: str, *, key: str = "", code: str = "", modifiers: int = 0, repeat: bool = False,
                 bubbles: bool = True, cancelable: bool = True) -> None:
        super().__init__(type, bubbles, cancelable, key=key)
        self.key: str = key
        self.code = code
        self.repeat = repeat
        self.is_composing = False
        self._modifiers = modifiers
        self.location = (3 if code.startswith("Numpad") else 1 if code.endswith("Left") and not code.startswith("Arrow")
                         else 2 if code.endswith("Right") and not code.startswith("Arrow") else 0)

    @property
    def key_code(self) -> int:
        """The legacy ``keyCode`` (``which``): a letter's capital, a digit's code, Enter 13..."""
        if len(self.key) == 1 and self.key.isascii() and self.key.isalnum():
            return ord(self.key.upper())
        if self.code.startswith("F") and self.code[1:].isdigit():
            return 111 + int(self.code[1:])
        return _KEY_CODES.get(self.key, 0)

    which = key_code

    @property
    def char_code(self) -> int:
        """The legacy ``charCode``: the character's code in ``keypress``, else 0."""
        return ord(self.key) if self.type == "keypress" and len(self.key) == 1 else (13 if self.type == "keypress" and self.key == "Enter" else 0)

    def __repr__(self) -> str:
        return f"<KeyboardEvent {self.type} key={self.key!r} code={self.code!r}>"


class MouseEvent(_Modifiers, UIEvent):
    """Clicks, buttons, motion and hover."""

    def __init__(self, type: str, *, client_x: int = 0, client_y: int = 0, button: int = 0, buttons: int = 0,
                 modifiers: int = 0, detail: int = 0, related_target: Any = None, bubbles: bool = True,
                 cancelable: bool = True) -> None:
        super().__init__(type, bubbles, cancelable, detail=detail, x=client_x, y=client_y)
        self.client_x = self.page_x = self.offset_x = self.screen_x = client_x
        self.client_y = self.page_y = self.offset_y = self.screen_y = client_y
        self.button = button
        self.buttons = buttons
        self.related_target = related_target
        self.movement_x = self.movement_y = 0
        self._modifiers = modifiers

    @classmethod
    def of(cls, type: str, ev: DomEvent, **kw: Any) -> MouseEvent:
        """A mouse event of ``type`` with what main's event ``ev`` says of the pointer."""
        return cls(type, client_x=ev.x, client_y=ev.y, button=ev.button, buttons=ev.buttons,
                   modifiers=ev.modifiers, detail=ev.detail, **kw)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type} at ({self.client_x}, {self.client_y})>"


class WheelEvent(MouseEvent):
    """``wheel``: ``delta_x``/``delta_y`` in pixels (positive: right/down)."""

    DOM_DELTA_PIXEL: ClassVar[int] = 0
    DOM_DELTA_LINE: ClassVar[int] = 1
    DOM_DELTA_PAGE: ClassVar[int] = 2

    def __init__(self, type: str, *, delta_x: float = 0.0, delta_y: float = 0.0, **kw: Any) -> None:
        super().__init__(type, **kw)
        self.delta_x = delta_x
        self.delta_y = delta_y
        self.delta_z = 0.0
        self.delta_mode = WheelEvent.DOM_DELTA_PIXEL


class FocusEvent(UIEvent):
    """``focus``/``blur`` (they do not bubble) and ``focusin``/``focusout`` (they do)."""

    def __init__(self, type: str, *, related_target: Any = None, bubbles: bool = False) -> None:
        super().__init__(type, bubbles, False)
        self.related_target = related_target
