"""Electron accelerator strings, turned into Tk key bindings and menu labels.

An accelerator is a ``+``-separated list of modifiers followed by one key, as
in Electron: ``CmdOrCtrl+Q``, ``Shift+CommandOrControl+Z``, ``Alt+F4``,
``F12``, ``Ctrl+Plus``, ``Ctrl+=``. Names are case-insensitive. On Linux and
Windows ``Command``/``Cmd``/``CmdOrCtrl`` mean Control (there is no Command
key); ``Super``/``Meta`` are the Windows-logo key (X11's Mod4).

:func:`parse_accelerator` gives an :class:`Accelerator` whose
:meth:`~Accelerator.tk_sequences` are the ``bind`` sequences that match the
key press, and whose :attr:`~Accelerator.label` is what a menu shows
(``Ctrl+Shift+Z``). Anything it does not know raises :class:`ValueError`
naming the accelerator, so a typo in a menu template fails when the menu is
built rather than silently never firing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

__all__ = ["Accelerator", "parse_accelerator", "tk_sequence_matches"]

# Modifier spellings -> canonical modifier. Order of MODIFIER_ORDER is the
# order used in labels and Tk sequences (the GTK/Windows convention).
_COMMAND = "Command" if sys.platform == "darwin" else "Control"
_MODIFIERS: dict[str, str] = {
    "command": _COMMAND,
    "cmd": _COMMAND,
    "commandorcontrol": _COMMAND,
    "cmdorctrl": _COMMAND,
    "control": "Control",
    "ctrl": "Control",
    "alt": "Alt",
    "option": "Alt",
    "altgr": "AltGr",
    "shift": "Shift",
    "super": "Super",
    "meta": "Super",
}
_MODIFIER_ORDER = ("Command", "Control", "Alt", "AltGr", "Shift", "Super")
# Tk modifier names on X11. AltGr is Mod5 on common keymaps; Super is Mod4
# (Tk 8.6 has no "Super" modifier name).
_TK_MODIFIER = {"Command": "Command", "Control": "Control", "Alt": "Alt", "AltGr": "Mod5", "Shift": "Shift", "Super": "Mod4"}
_LABEL_MODIFIER = {"Command": "Cmd", "Control": "Ctrl", "Alt": "Alt", "AltGr": "AltGr", "Shift": "Shift", "Super": "Super"}

# Named keys (lower-cased Electron name) -> (Tk keysym, label).
_NAMED_KEYS: dict[str, tuple[str, str]] = {
    "plus": ("plus", "Plus"),
    "space": ("space", "Space"),
    "tab": ("Tab", "Tab"),
    "capslock": ("Caps_Lock", "CapsLock"),
    "numlock": ("Num_Lock", "NumLock"),
    "scrolllock": ("Scroll_Lock", "ScrollLock"),
    "backspace": ("BackSpace", "Backspace"),
    "delete": ("Delete", "Delete"),
    "insert": ("Insert", "Insert"),
    "return": ("Return", "Enter"),
    "enter": ("Return", "Enter"),
    "up": ("Up", "Up"),
    "down": ("Down", "Down"),
    "left": ("Left", "Left"),
    "right": ("Right", "Right"),
    "home": ("Home", "Home"),
    "end": ("End", "End"),
    "pageup": ("Prior", "PageUp"),
    "pagedown": ("Next", "PageDown"),
    "escape": ("Escape", "Esc"),
    "esc": ("Escape", "Esc"),
    "printscreen": ("Print", "PrintScreen"),
    "volumeup": ("XF86AudioRaiseVolume", "VolumeUp"),
    "volumedown": ("XF86AudioLowerVolume", "VolumeDown"),
    "volumemute": ("XF86AudioMute", "VolumeMute"),
    "medianexttrack": ("XF86AudioNext", "MediaNextTrack"),
    "mediaprevioustrack": ("XF86AudioPrev", "MediaPreviousTrack"),
    "mediastop": ("XF86AudioStop", "MediaStop"),
    "mediaplaypause": ("XF86AudioPlay", "MediaPlayPause"),
    "numdec": ("KP_Decimal", "numdec"),
    "numadd": ("KP_Add", "numadd"),
    "numsub": ("KP_Subtract", "numsub"),
    "nummult": ("KP_Multiply", "nummult"),
    "numdiv": ("KP_Divide", "numdiv"),
}
for _n in range(10):
    _NAMED_KEYS[f"num{_n}"] = (f"KP_{_n}", f"num{_n}")
for _n in range(1, 25):
    _NAMED_KEYS[f"f{_n}"] = (f"F{_n}", f"F{_n}")

# Printable punctuation -> X11 keysym.
_PUNCTUATION: dict[str, str] = {
    "=": "equal", "-": "minus", ",": "comma", ".": "period", "/": "slash",
    ";": "semicolon", "'": "apostrophe", "[": "bracketleft", "]": "bracketright",
    "\\": "backslash", "`": "grave", "~": "asciitilde", "!": "exclam", "@": "at",
    "#": "numbersign", "$": "dollar", "%": "percent", "^": "asciicircum",
    "&": "ampersand", "*": "asterisk", "(": "parenleft", ")": "parenright",
    "_": "underscore", "{": "braceleft", "}": "braceright", "|": "bar",
    ":": "colon", '"': "quotedbl", "<": "less", ">": "greater", "?": "question",
}


@dataclass(frozen=True, slots=True)
class Accelerator:
    """One parsed accelerator.

    ``modifiers`` are canonical names (``Control``, ``Alt``, ``AltGr``,
    ``Shift``, ``Super``) in display order; ``keysym`` is the X11 keysym Tk
    reports for the key; ``label`` is the menu text, e.g. ``Ctrl+Shift+Z``.
    """

    source: str
    modifiers: tuple[str, ...]
    keysym: str
    key_label: str

    @property
    def label(self) -> str:
        """The text a menu shows next to the item (``Ctrl+Q``)."""
        return "+".join([_LABEL_MODIFIER[m] for m in self.modifiers] + [self.key_label])

    def tk_sequences(self) -> list[str]:
        """Tk ``bind`` sequences that match this key press.

        Letters are reported by Tk as lower-case keysyms, or upper-case ones
        when Shift (or Caps Lock) is down, so ``Ctrl+Shift+Z`` binds
        ``<Control-Shift-Key-Z>`` and ``Ctrl+Z`` binds ``<Control-Key-z>``
        plus ``<Control-Lock-Key-Z>`` so that Caps Lock does not disable it.
        Extra modifiers (Num Lock) do not stop a Tk binding from matching.
        """
        prefix = "".join(_TK_MODIFIER[m] + "-" for m in self.modifiers)
        key = self.keysym
        if len(key) == 1 and key.isalpha():
            if "Shift" in self.modifiers:
                return [f"<{prefix}Key-{key.upper()}>"]
            return [f"<{prefix}Key-{key.lower()}>", f"<{prefix}Lock-Key-{key.upper()}>"]
        return [f"<{prefix}Key-{key}>"]


def parse_accelerator(accelerator: str) -> Accelerator:
    """Parse an Electron accelerator string.

    Raises :class:`ValueError` naming ``accelerator`` when it is empty, has
    no key, has two keys, repeats a modifier or names an unknown key.
    """
    if not isinstance(accelerator, str) or not accelerator.strip():
        raise ValueError(f"invalid accelerator {accelerator!r}: it is empty")
    text = accelerator.strip()
    # A trailing "+" is the plus key itself ("Ctrl++"), as Electron allows.
    parts = [*text[:-2].split("+"), "+"] if text.endswith("++") else text.split("+")
    if text == "+":
        parts = ["+"]
    parts = [p.strip() for p in parts]
    if any(p == "" for p in parts):
        raise ValueError(f"invalid accelerator {accelerator!r}: empty part")
    modifiers: list[str] = []
    key: tuple[str, str] | None = None
    for part in parts:
        low = part.lower()
        if low in _MODIFIERS:
            if key is not None:
                raise ValueError(f"invalid accelerator {accelerator!r}: modifier {part!r} after the key")
            canonical = _MODIFIERS[low]
            if canonical in modifiers:
                raise ValueError(f"invalid accelerator {accelerator!r}: modifier {part!r} repeated")
            modifiers.append(canonical)
            continue
        if key is not None:
            raise ValueError(f"invalid accelerator {accelerator!r}: more than one key")
        key = _parse_key(part, accelerator)
    if key is None:
        raise ValueError(f"invalid accelerator {accelerator!r}: no key, only modifiers")
    ordered = tuple(m for m in _MODIFIER_ORDER if m in modifiers)
    return Accelerator(source=accelerator, modifiers=ordered, keysym=key[0], key_label=key[1])


def _parse_key(part: str, accelerator: str) -> tuple[str, str]:
    """The (keysym, label) of one key name; ValueError for unknown names."""
    low = part.lower()
    if len(part) == 1:
        if part.isascii() and part.isalpha():
            return (low, part.upper())
        if part.isdigit():
            return (part, part)
        if part in _PUNCTUATION:
            return (_PUNCTUATION[part], "Plus" if part == "+" else part)
        if part == "+":
            return ("plus", "Plus")
    if low in _NAMED_KEYS:
        return _NAMED_KEYS[low]
    raise ValueError(f"invalid accelerator {accelerator!r}: unknown key {part!r}")


# X11 modifier state bits, as in a Tk event's ``state``.
_STATE_BITS = {"Shift": 0x1, "Lock": 0x2, "Control": 0x4, "Alt": 0x8, "Mod1": 0x8, "Mod4": 0x40, "Mod5": 0x80}


def tk_sequence_matches(sequence: str, keysym: str, state: int) -> bool:
    """Whether the Tk key sequence ``<Mods-Key-keysym>`` matches a key press
    with ``keysym`` and modifier ``state`` (extra modifiers allowed, as in Tk)."""
    *mods, last = sequence.strip("<>").split("-")
    if last != keysym or mods[-1:] not in (["Key"], ["KeyPress"]):
        return False
    return all(_STATE_BITS.get(m, 0) & state for m in mods[:-1])
