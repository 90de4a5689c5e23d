"""DOM key names (``KeyboardEvent.key``) for Tk key events."""

from __future__ import annotations

import re

__all__ = ["dom_key"]

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
