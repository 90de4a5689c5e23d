"""``before-input-event`` on web_contents: keyboard input, seen by main first.

Electron emits it for each key event before the page gets it, with an
``input`` object; a listener calling ``event.prevent_default()`` keeps the
key from the page (no ``keydown``/``keyup`` there) and, here, from the
form control it was typed into (the compositor's binding answers Tk's
``break``, so the character is not inserted and the menu accelerator bound
to the window does not run either). Only a plain (``def``) listener can
prevent it: the decision is made while Tk handles the key. An ``async def``
listener runs as a task and sees the key, too late to stop it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..common._emitter import PreventableEvent
from ..common._messages import MODIFIER_BITS
from ._context_menu import _Fields

if TYPE_CHECKING:
    from ._web_contents import WebContents
    from .compositor.base import InputEvent

__all__ = ["Input", "before_input"]


@dataclass(frozen=True)
class Input(_Fields):
    """Electron's ``input`` of ``before-input-event``, snake_case.

    ``type`` is ``keyDown`` or ``keyUp``; ``key`` and ``code`` are the DOM's;
    ``location`` is the DOM's (1 left, 2 right, 3 numpad); ``modifiers``
    lists the held ones by Electron's names (``shift``, ``control``, ``alt``,
    ``meta``, and ``isautorepeat`` for a repeat).
    """

    type: str
    key: str
    code: str
    is_auto_repeat: bool = False
    is_composing: bool = False
    shift: bool = False
    control: bool = False
    alt: bool = False
    meta: bool = False
    location: int = 0
    modifiers: list[str] = field(default_factory=list)


def _location(code: str) -> int:
    if code.startswith("Numpad"):
        return 3
    if code.endswith("Left") and not code.startswith("Arrow"):
        return 1
    if code.endswith("Right") and not code.startswith("Arrow"):
        return 2
    return 0


def input_of(ev: InputEvent) -> Input:
    """Electron's ``input`` for key event ``ev``."""
    held = {name.lower(): bool(ev.modifiers & bit) for name, bit in MODIFIER_BITS.items()}
    names = [name for name in ("shift", "control", "alt", "meta") if held[name]]
    if ev.repeat:
        names.append("isautorepeat")
    code = ev.code or ""
    return Input(
        type="keyDown" if ev.type == "keydown" else "keyUp",
        key=ev.key or "",
        code=code,
        is_auto_repeat=ev.repeat,
        shift=held["shift"],
        control=held["control"],
        alt=held["alt"],
        meta=held["meta"],
        location=_location(code),
        modifiers=names,
    )


def before_input(wc: WebContents, ev: InputEvent) -> bool:
    """Emit ``before-input-event`` for key event ``ev``; True when a listener prevented it."""
    if not wc.listener_count("before-input-event"):
        return False
    event = PreventableEvent(sender=wc)
    wc.emit("before-input-event", event, input_of(ev))
    return bool(event.default_prevented)
