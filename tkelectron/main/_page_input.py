"""What main does with the user's input before the page hears it.

Every input event a compositor reports for a window passes through its
:class:`PageInput` on the way to the renderer:

- **Only what the page listens for.** The pointer kinds that come in floods
  or that most pages ignore (:data:`LISTENABLE`: ``mousemove``, hover,
  ``wheel``, ``mousedown``/``mouseup``, ``dblclick``, ``auxclick``,
  ``contextmenu``) are sent only while the page has a listener for them. The
  renderer tells main which it has on the framework channel
  ``tke:input.listen`` whenever that set changes; main checks the list
  (known names only, bounded) and keeps it for that renderer alone, so a new
  page starts from nothing. Keys, clicks, focus and form input always go.
  The Tk compositor already throttles motion to one report per frame
  (``_tk_pointer``), so a listening page gets at most about 60 moves a second.
- **``before-input-event``** (:mod:`._before_input`): a key event is emitted
  to web_contents' listeners first; one calling ``event.prevent_default()``
  keeps it from the page and from the widget it was typed in.
- **``context-menu``** (:mod:`._context_menu`): a right-click's params are
  computed from what the compositor shows; the event is emitted at once when
  the page has no ``contextmenu`` listener, else when the renderer says on
  ``tke:input.context-menu`` that its listeners did not prevent it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ..common._emitter import PreventableEvent
from ..common._messages import DomEvent
from ._before_input import before_input
from ._context_menu import ContextMenuParams, context_menu_params
from ._internal_channels import InternalChannel
from ._ipc_dispatch import IpcViolation

if TYPE_CHECKING:
    from ._web_contents import WebContents
    from .compositor.base import InputEvent

__all__ = ["CHANNELS", "LISTENABLE", "PageInput"]

#: Input kinds sent only to a page that listens for them. ``mouseover`` stands
#: for hover as a whole (the renderer derives mouseout/mouseenter/mouseleave).
LISTENABLE = frozenset({
    "mousemove", "mouseover", "wheel", "mousedown", "mouseup", "dblclick", "auxclick", "contextmenu",
})
#: Right-clicks whose page verdict main still waits for (older ones are dropped).
_PENDING_MENUS = 8


class PageInput:
    """One web_contents' filter between its compositor's input and its renderer."""

    def __init__(self, wc: WebContents) -> None:
        self._wc = wc
        self._listening: frozenset[str] = frozenset()
        self._listening_for: Any = None  # the renderer process that said so
        self._menus: OrderedDict[int, ContextMenuParams] = OrderedDict()

    def listening(self) -> frozenset[str]:
        """The kinds of :data:`LISTENABLE` the current renderer listens for."""
        if self._listening_for is None or self._listening_for is not self._wc._renderer:
            return frozenset()
        return self._listening

    def hears(self, kind: str) -> bool:
        """Whether :meth:`deliver` would send input of ``kind`` to the page now.

        A ``contextmenu`` always counts: main builds its context menu from it
        even when the page does not listen.
        """
        return kind not in LISTENABLE or kind == "contextmenu" or kind in self.listening()

    def set_listening(self, kinds: frozenset[str]) -> None:
        self._listening = kinds
        self._listening_for = self._wc._renderer

    def deliver(self, ev: InputEvent, drag: Any = None) -> bool:
        """Pass ``ev`` on to the page; True when main consumed it (the surface keeps it from the widget)."""
        wc = self._wc
        if ev.type in ("keydown", "keyup") and before_input(wc, ev):
            return True
        menu = None
        if ev.type == "contextmenu" and ev.context is not None:
            node = ev.context.link_node
            display = wc._renderer_session.display
            link = display.link_target(node) if node and display is not None else None
            menu = context_menu_params(ev.context, wc.get_url(), link)
        if ev.type in LISTENABLE and ev.type not in self.listening():
            if menu is not None:
                self._emit_menu(menu)
            return False
        seq = self.send(ev, drag)
        if menu is not None:
            self._menus[seq] = menu
            while len(self._menus) > _PENDING_MENUS:
                self._menus.popitem(last=False)
        return False

    def send(self, ev: InputEvent, drag: Any = None) -> int:
        session = self._wc._renderer_session
        seq = session.next_event_seq()
        # Input comes from the compositor's callbacks (Tk's, outside trio's
        # turns): each event is written as it happens, a click right behind
        # its mouseup, instead of the second waiting for trio's writer task.
        session.send(DomEvent(
            seq, ev.type, ev.target, value=ev.value, checked=ev.checked, key=ev.key, x=ev.x, y=ev.y, code=ev.code,
            modifiers=ev.modifiers, repeat=ev.repeat, button=ev.button, buttons=ev.buttons, delta_x=ev.delta_x,
            delta_y=ev.delta_y, related=ev.related, detail=ev.detail, drag=drag,
        ), now=True)
        return seq

    def page_allowed_menu(self, seq: int) -> None:
        """The page's ``contextmenu`` listeners let right-click ``seq`` through."""
        menu = self._menus.pop(seq, None)
        if menu is not None:
            self._emit_menu(menu)

    def _emit_menu(self, params: ContextMenuParams) -> None:
        wc = self._wc
        if not wc.is_destroyed():
            wc.emit("context-menu", PreventableEvent(sender=wc), params)


# -- the framework channels the renderer's input code invokes ------------------------------


def _check_listen(wc: Any, args: list[Any]) -> None:
    if len(args) != 1 or not isinstance(args[0], list) or len(args[0]) > len(LISTENABLE):
        raise IpcViolation("tke:input.listen takes one list of event types")
    for kind in args[0]:
        if not isinstance(kind, str) or kind not in LISTENABLE:
            raise IpcViolation(f"tke:input.listen: {kind!r} is not an input kind main filters")


def _listen(event: Any, kinds: list[str]) -> None:
    event.sender._page_input.set_listening(frozenset(kinds))


def _check_menu(wc: Any, args: list[Any]) -> None:
    if len(args) != 1 or type(args[0]) is not int or not 0 < args[0] <= wc._event_seq:
        raise IpcViolation("tke:input.context-menu takes the seq of a contextmenu main sent")


def _menu(event: Any, seq: int) -> None:
    event.sender._page_input.page_allowed_menu(seq)


CHANNELS = {
    "tke:input.listen": InternalChannel(_check_listen, _listen),
    "tke:input.context-menu": InternalChannel(_check_menu, _menu),
}
