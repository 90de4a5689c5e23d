"""Telling main which input kinds the page listens for.

Main sends the pointer's frequent kinds (``mousemove``, hover, ``wheel``...)
only to a page that listens for them (``main/_page_input``). This module
counts the page's listeners of those kinds as they come and go
(``_dom_events.listener_watch``) and, once per turn of the loop when the set
of kinds with at least one listener changed, invokes the framework channel
``tke:input.listen`` with the new set. It also answers main's right-clicks:
when the page's ``contextmenu`` listeners let one through, main shows the
app's native menu (``tke:input.context-menu``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from . import _dom_events

__all__ = ["KIND_OF", "InputListeners", "allow_context_menu"]

LISTEN_CHANNEL = "tke:input.listen"
MENU_CHANNEL = "tke:input.context-menu"

#: The DOM event types whose listeners make main send each kind.
KIND_OF = {
    "mousemove": "mousemove",
    "mouseover": "mouseover", "mouseout": "mouseover", "mouseenter": "mouseover", "mouseleave": "mouseover",
    "wheel": "wheel", "mousewheel": "wheel",
    "mousedown": "mousedown", "mouseup": "mouseup", "dblclick": "dblclick", "auxclick": "auxclick",
    "contextmenu": "contextmenu",
}

Invoke = Callable[[str, list[Any]], Awaitable[Any]]
Spawn = Callable[..., None]


class InputListeners:
    """Counts the page's input listeners and keeps main told (one per renderer)."""

    def __init__(self, invoke: Invoke, spawn: Spawn, schedule: Callable[[], None]) -> None:
        self._invoke = invoke
        self._spawn = spawn
        self._schedule = schedule  # asks for a flush at the end of this turn
        self._counts: Counter[str] = Counter()
        self._told: frozenset[str] = frozenset()  # the last set sent (or being sent)
        self._telling = False
        self._menus: list[int] = []  # right-clicks let through, told in order by one task

    def install(self) -> None:
        """Count this process's listeners from now on (one page per renderer)."""
        global _current
        _dom_events.listener_watch = self.changed
        _current = self

    def uninstall(self) -> None:
        global _current
        if _dom_events.listener_watch == self.changed:
            _dom_events.listener_watch = None
        if _current is self:
            _current = None

    def changed(self, type: str, delta: int) -> None:
        if type in KIND_OF:
            self._counts[type] = max(0, self._counts[type] + delta)
            self._schedule()

    def kinds(self) -> frozenset[str]:
        """The kinds the page has listeners for now."""
        return frozenset(KIND_OF[t] for t, n in self._counts.items() if n > 0)

    def flush(self) -> None:
        """Tell main the set when it changed since it was last told (one task, so in order)."""
        if not self._telling and self.kinds() != self._told:
            self._telling = True
            self._spawn(self._tell_changes)

    async def _tell_changes(self) -> None:
        try:
            while (kinds := self.kinds()) != self._told:
                self._told = kinds
                await self._invoke(LISTEN_CHANNEL, [sorted(kinds)])
        finally:
            self._telling = False

    async def tell(self) -> None:
        """Tell main the set now, and wait until it has it (when the page finishes loading)."""
        if not self._telling:
            self._telling = True
            await self._tell_changes()

    def allow_context_menu(self, seq: int) -> None:
        """The page let right-click ``seq`` through: main may show the app's menu."""
        self._menus.append(seq)
        if len(self._menus) == 1:
            self._spawn(self._tell_menus)

    async def _tell_menus(self) -> None:
        # One task, in order: main shows the menus in the order of the clicks.
        while self._menus:
            await self._invoke(MENU_CHANNEL, [self._menus[0]])
            self._menus.pop(0)


_current: InputListeners | None = None


def allow_context_menu(seq: int) -> None:
    """The page's ``contextmenu`` listeners let main's right-click ``seq`` through."""
    if _current is not None:
        _current.allow_context_menu(seq)
