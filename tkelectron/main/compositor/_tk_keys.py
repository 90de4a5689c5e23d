"""DOM key names for Tk key events: ``KeyboardEvent.key``, ``code`` and the modifiers.

``key`` comes from the keysym (what the key means with the current layout and
modifiers: "a", "A", "Enter"); ``code`` from the X keycode (which physical key:
"KeyA" whatever the layout), read with the evdev keycode table X servers use
on Linux (evdev code + 8), the table Chromium's X11 backend reads as well.
"""

from __future__ import annotations

import re

__all__ = ["BUTTONS", "dom_code", "dom_key", "key_modifiers", "modifiers", "pointer_buttons"]

_KEYS: dict[str, str] = {
    "Return": "Enter", "KP_Enter": "Enter", "Escape": "Escape", "BackSpace": "Backspace",
    "Tab": "Tab", "ISO_Left_Tab": "Tab", "Delete": "Delete", "KP_Delete": "Delete",
    "Insert": "Insert", "Home": "Home", "KP_Home": "Home", "End": "End", "KP_End": "End",
    "Prior": "PageUp", "KP_Prior": "PageUp", "Next": "PageDown", "KP_Next": "PageDown",
    "Up": "ArrowUp", "KP_Up": "ArrowUp", "Down": "ArrowDown", "KP_Down": "ArrowDown",
    "Left": "ArrowLeft", "KP_Left": "ArrowLeft", "Right": "ArrowRight", "KP_Right": "ArrowRight",
    "space": " ", "Shift_L": "Shift", "Shift_R": "Shift", "Control_L": "Control",
    "Control_R": "Control", "Alt_L": "Alt", "Alt_R": "Alt", "Meta_L": "Meta", "Meta_R": "Meta",
    "Super_L": "Meta", "Super_R": "Meta", "Caps_Lock": "CapsLock", "Num_Lock": "NumLock",
    "Menu": "ContextMenu", "Pause": "Pause", "Print": "PrintScreen",
}
_FKEY = re.compile(r"F\d{1,2}")


def dom_key(keysym: str, char: str) -> str:
    """The DOM ``KeyboardEvent.key`` for a Tk key event (``Return`` -> ``Enter``)."""
    if keysym in _KEYS:
        return _KEYS[keysym]
    if _FKEY.fullmatch(keysym):
        return keysym
    if char and char.isprintable():
        return char
    if len(keysym) == 1:
        return keysym
    return "Unidentified"


def _codes() -> dict[int, str]:
    table: dict[int, str] = {}
    for first, names in (
        (9, ("Escape Digit1 Digit2 Digit3 Digit4 Digit5 Digit6 Digit7 Digit8 Digit9 Digit0 Minus Equal "
            "Backspace Tab KeyQ KeyW KeyE KeyR KeyT KeyY KeyU KeyI KeyO KeyP BracketLeft BracketRight "
            "Enter ControlLeft KeyA KeyS KeyD KeyF KeyG KeyH KeyJ KeyK KeyL Semicolon Quote Backquote "
            "ShiftLeft Backslash KeyZ KeyX KeyC KeyV KeyB KeyN KeyM Comma Period Slash ShiftRight "
            "NumpadMultiply AltLeft Space CapsLock F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 NumLock ScrollLock "
            "Numpad7 Numpad8 Numpad9 NumpadSubtract Numpad4 Numpad5 Numpad6 NumpadAdd Numpad1 Numpad2 "
            "Numpad3 Numpad0 NumpadDecimal")),
        (94, "IntlBackslash F11 F12"),
        (104, "NumpadEnter ControlRight NumpadDivide PrintScreen AltRight"),
        (110, "Home ArrowUp PageUp ArrowLeft ArrowRight End ArrowDown PageDown Insert Delete"),
        (127, "Pause"),
        (133, "MetaLeft MetaRight ContextMenu"),
    ):
        for offset, code in enumerate(names.split()):
            table[first + offset] = code
    return table


_CODES = _codes()

# X's modifier state bits (Shift, Control, Mod1 = Alt, Mod4 = Super) and DOM's
# modifier bits (common._messages.MODIFIER_BITS).
_X_MODIFIERS = ((0x1, 1), (0x4, 2), (0x8, 4), (0x40, 8))
#: The modifier bit a modifier key itself sets, by DOM key name.
_MODIFIER_KEYS = {"Shift": 1, "Control": 2, "Alt": 4, "Meta": 8}
# X's pointer button state bits -> DOM's MouseEvent.buttons bits.
_X_BUTTONS = ((0x100, 1), (0x400, 2), (0x200, 4))
#: Tk's button number -> DOM's MouseEvent.button (and its ``buttons`` bit).
BUTTONS = {1: (0, 1), 2: (1, 4), 3: (2, 2), 8: (3, 8), 9: (4, 16)}


def dom_code(keycode: int) -> str:
    """The DOM ``KeyboardEvent.code`` of an X keycode ("" when unknown, as in browsers)."""
    return _CODES.get(keycode, "")


def key_modifiers(state: int, key: str, pressed: bool) -> int:
    """DOM modifier bits for a key event with X ``state`` (held before the event).

    A modifier key's own event reports the state after it, as browsers do:
    pressing Control gives ``ctrl_key`` true, releasing it false.
    """
    bits = sum(dom for x, dom in _X_MODIFIERS if state & x)
    own = _MODIFIER_KEYS.get(key, 0)
    return (bits | own) if pressed else (bits & ~own)


def pointer_buttons(state: int) -> int:
    """DOM ``MouseEvent.buttons`` for X pointer ``state``."""
    return sum(dom for x, dom in _X_BUTTONS if state & x)


def modifiers(state: int) -> int:
    """DOM modifier bits for X ``state``."""
    return sum(dom for x, dom in _X_MODIFIERS if state & x)
