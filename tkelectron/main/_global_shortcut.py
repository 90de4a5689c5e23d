"""``global_shortcut``: keyboard shortcuts that work while other applications have focus.

Each registered accelerator (the same strings as menus: ``CmdOrCtrl+Alt+K``)
is a passive key grab on the X root window (``XGrabKey``) on main's own X
connection: the X server then sends that key combination to main whichever
window has the focus. Num Lock and Caps Lock are modifiers to X, so every
combination of them is grabbed too, or the shortcut would stop working when
either is on. A symbol typed with Shift (``Plus`` is Shift+= on most
layouts) is grabbed with Shift, so ``CmdOrCtrl+Plus`` fires when typed.
Ctrl+Alt+F1…F12 never reach any client on X servers that switch virtual
terminals with them.

``register`` returns False when another application already grabbed the
combination (X answers ``BadAccess``), as Electron's does. The callback may
be ``async def``: it then runs as a task of the app. Grabs end when the app
stops (they belong to main's X connection).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ._accelerators import parse_accelerator
from ._context import current_session
from ._x11 import XConnection, connection

__all__ = ["GlobalShortcut", "global_shortcut"]

log = logging.getLogger("tkelectron.global_shortcut")


@dataclass(slots=True)
class _Grab:
    accelerator: str
    keycode: int
    mask: int
    callback: Callable[[], Any]


class GlobalShortcut:
    """The ``global_shortcut`` module object (one per process: :data:`global_shortcut`)."""

    def __init__(self) -> None:
        self._grabs: dict[tuple[int, int], _Grab] = {}
        self._x: XConnection | None = None
        self._masks: dict[str, int] = {}

    # -- the X side -----------------------------------------------------------------

    def _connection(self) -> XConnection:
        from Xlib import X

        x = connection()
        if self._x is not x:
            self._grabs.clear()
            self._x = x
            self._masks = _modifier_masks(x)
            x.on(X.KeyPress, self._on_key)
            x.add_close_hook(self._forget)
        return x

    def _forget(self) -> None:
        self._grabs.clear()
        self._x = None

    def _key(self, accelerator: str) -> tuple[int, int]:
        """(keycode, modifier mask) of ``accelerator``; ValueError if unusable."""
        from Xlib import XK

        parsed = parse_accelerator(accelerator)
        x = self._connection()
        mask = 0
        for modifier in parsed.modifiers:
            if modifier == "Command":  # macOS only; never on X11
                raise ValueError(f"invalid accelerator {accelerator!r}: there is no Command key on X11")
            mask |= self._masks[modifier]
        keysym = XK.string_to_keysym(parsed.keysym)
        keycode = x.display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            raise ValueError(f"invalid accelerator {accelerator!r}: the keyboard has no {parsed.keysym} key")
        if x.display.keycode_to_keysym(keycode, 0) != keysym and x.display.keycode_to_keysym(keycode, 1) == keysym:
            # A shifted symbol ("Plus" is Shift+= on most layouts): the key
            # press that types it carries Shift.
            mask |= self._masks["Shift"]
        return keycode, mask

    def _variants(self, mask: int) -> list[int]:
        lock, num = self._masks["Lock"], self._masks["NumLock"]
        return sorted({mask, mask | lock, mask | num, mask | lock | num})

    # -- public API -----------------------------------------------------------------

    def register(self, accelerator: str, callback: Callable[[], Any]) -> bool:
        """Call ``callback()`` whenever ``accelerator`` is pressed, in any window.

        Returns False if the combination is taken (by another application, or
        already registered here). Raises ValueError for an accelerator that
        cannot be parsed or has no key on this keyboard.
        """
        from Xlib import X, error

        if not callable(callback):
            raise TypeError("global_shortcut.register needs a callable")
        keycode, mask = self._key(accelerator)
        if (keycode, mask) in self._grabs:
            return False
        x = self._connection()
        catch = error.CatchError(error.BadAccess)
        for variant in self._variants(mask):
            x.root.grab_key(keycode, variant, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
        x.display.sync()
        x.dispatch()
        if catch.get_error() is not None:
            # Another client holds (one of) the combinations: release ours.
            for variant in self._variants(mask):
                x.root.ungrab_key(keycode, variant)
            x.display.sync()
            return False
        self._grabs[(keycode, mask)] = _Grab(accelerator, keycode, mask, callback)
        return True

    def register_all(self, accelerators: Iterable[str], callback: Callable[[], Any]) -> bool:
        """Register each of ``accelerators``; True if all of them were."""
        results = [self.register(a, callback) for a in accelerators]  # every one, not up to a failure
        return all(results)

    def is_registered(self, accelerator: str) -> bool:
        if self._x is None:
            return False
        return self._key(accelerator) in self._grabs

    def unregister(self, accelerator: str) -> None:
        if self._x is None:
            return
        key = self._key(accelerator)
        if self._grabs.pop(key, None) is not None:
            self._ungrab(*key)

    def unregister_all(self) -> None:
        for key in list(self._grabs):
            del self._grabs[key]
            self._ungrab(*key)

    def _ungrab(self, keycode: int, mask: int) -> None:
        x = self._connection()
        for variant in self._variants(mask):
            x.root.ungrab_key(keycode, variant)
        x.display.sync()
        x.dispatch()

    # -- key presses ----------------------------------------------------------------

    def _on_key(self, event: Any) -> None:
        ignored = self._masks["Lock"] | self._masks["NumLock"]
        # Only the eight modifier bits; pointer buttons held are not modifiers.
        mask = event.state & 0xFF & ~ignored
        grab = self._grabs.get((event.detail, mask))
        if grab is not None and self._x is not None:
            self._x.call_in_trio(lambda: _fire(grab))


def _fire(grab: _Grab) -> None:
    session = current_session()
    try:
        result = grab.callback()
    except Exception:
        log.exception("the global shortcut %s callback raised", grab.accelerator)
        return
    if inspect.isawaitable(result):
        async def wait() -> None:
            await result

        session.start_soon(wait)


def _modifier_masks(x: XConnection) -> dict[str, int]:
    """Which X modifier bit each modifier key sets on this keyboard.

    Alt, Super, AltGr and Num Lock are on ModN bits that depend on the
    keymap; they are found in the server's modifier mapping, with the usual
    bits (Mod1, Mod4, Mod5, Mod2) when a key is not mapped.
    """
    from Xlib import XK, X

    found: dict[str, int] = {}
    wanted = {"Alt": ("Alt_L", "Alt_R", "Meta_L"), "Super": ("Super_L", "Super_R"),
              "AltGr": ("ISO_Level3_Shift", "Mode_switch"), "NumLock": ("Num_Lock",)}
    codes = {name: {x.display.keysym_to_keycode(XK.string_to_keysym(k)) for k in keys} - {0}
             for name, keys in wanted.items()}
    for index, keycodes in enumerate(x.display.get_modifier_mapping()):
        if index < 3:  # Shift, Lock, Control have fixed bits
            continue
        for name, mine in codes.items():
            if name not in found and mine & set(keycodes):
                found[name] = 1 << index
    defaults = {"Alt": X.Mod1Mask, "Super": X.Mod4Mask, "AltGr": X.Mod5Mask, "NumLock": X.Mod2Mask}
    masks = {name: found.get(name, defaults[name]) for name in defaults}
    masks.update({"Shift": X.ShiftMask, "Control": X.ControlMask, "Lock": X.LockMask})
    return masks


#: The process-wide global_shortcut module object.
global_shortcut = GlobalShortcut()
