"""``clipboard``: the X11 clipboard and primary selection, as Electron's module.

Writing makes main the owner of the selection (``CLIPBOARD``, or
``PRIMARY`` for ``type="selection"``) and answers every application that
pastes: text as ``UTF8_STRING``/``STRING``/``text/plain``, HTML as
``text/html``, images as ``image/png``, with ICCCM's ``INCR`` transfer for
data larger than one X request. Reading asks the current owner to convert
the selection, which may be another application or main's own Tk (a page's
input field that copied); when main owns it, the answer is local.

Reads are ``async``: the owner is another X client and its answer arrives as
an event, so waiting for it must not stop main's loop (the owner may be
main's own Tk, which only answers while that loop runs). Electron's reads
are synchronous; here ``await clipboard.read_text()``. Writes are
synchronous, as in Electron.

The selection is served from main's own X connection (:mod:`._x11`), not
Tk's ``clipboard`` command: Tk ends a selection's data at the first NUL
byte, and every PNG has NUL bytes. As on every X11 desktop without a
clipboard manager, what main copied is gone when main exits.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import trio

from ._x11 import XConnection, connection

__all__ = ["Clipboard", "clipboard"]

log = logging.getLogger("tkelectron.clipboard")

#: How long to wait for the owning application to answer (ICCCM leaves it
#: to the requestor; Tk waits 5 s). An owner that never answers reads as empty.
READ_TIMEOUT = 5.0
#: The largest selection read or served (a bound: a hostile owner could
#: otherwise make main keep reading).
MAX_BYTES = 64 * 1024 * 1024

_TYPES = {"clipboard": "CLIPBOARD", "selection": "PRIMARY"}
_TEXT_TARGETS = ("UTF8_STRING", "text/plain;charset=utf-8", "text/plain", "STRING", "TEXT")
_INTERNAL_TARGETS = {"TARGETS", "TIMESTAMP", "MULTIPLE", "SAVE_TARGETS", "DELETE", "INSERT_SELECTION",
                     "INSERT_PROPERTY", "TK_APPLICATION", "TK_WINDOW", "ATOM", "COMPOUND_TEXT"}


def _selection_name(type: str) -> str:
    try:
        return _TYPES[type]
    except KeyError:
        raise ValueError(f"unknown clipboard type {type!r} (expected 'clipboard' or 'selection')") from None


def _is_png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n"


class _Transfer:
    """One INCR transfer to a requestor: the rest of the data, chunk by chunk."""

    def __init__(self, requestor: Any, prop: int, target: int, data: bytes) -> None:
        self.requestor, self.prop, self.target, self.data, self.offset = requestor, prop, target, data, 0


class _SelectionServer:
    """Owns selections on one X connection and answers SelectionRequest."""

    def __init__(self, x: XConnection) -> None:
        from Xlib import X

        self.x = x
        #: selection atom -> {target atom: (type atom, format, data)}
        self.owned: dict[int, dict[int, tuple[int, int, Any]]] = {}
        self.transfers: dict[tuple[int, int], _Transfer] = {}
        # One X request carries at most this many bytes of property data.
        self.chunk = min(256 * 1024, x.display.display.info.max_request_length * 4 - 1024)
        self._reading = trio.Lock()
        self._replies: dict[int, trio.MemorySendChannel[Any]] = {}
        x.on(X.SelectionRequest, self._on_request)
        x.on(X.SelectionClear, self._on_clear)
        x.on(X.PropertyNotify, self._on_property)
        x.on(X.SelectionNotify, self._on_notify)

    # -- owning -------------------------------------------------------------------

    def own(self, selection: str, items: Mapping[str, bytes | str]) -> None:
        """Become the owner of ``selection`` with ``items`` (MIME type -> data)."""
        from Xlib import X, Xatom

        x = self.x
        targets: dict[int, tuple[int, int, Any]] = {}
        for mime, data in items.items():
            if mime == "text/plain":
                text = str(data)
                raw = text.encode("utf-8")
                for name in _TEXT_TARGETS:
                    if name == "STRING":
                        targets[x.atom(name)] = (Xatom.STRING, 8, text.encode("latin-1", "replace"))
                    else:
                        targets[x.atom(name)] = (x.atom("UTF8_STRING" if name == "TEXT" else name), 8, raw)
            else:
                raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
                targets[x.atom(mime)] = (x.atom(mime), 8, raw)
            if len(raw) > MAX_BYTES:
                raise ValueError(f"cannot copy {len(raw)} bytes of {mime} (at most {MAX_BYTES})")
        atom = x.atom(selection)
        x.window.set_selection_owner(atom, X.CurrentTime)
        owner = x.display.get_selection_owner(atom)
        if owner != x.window:
            raise RuntimeError(f"could not take the {selection} selection (the X server gave it to {owner})")
        self.owned[atom] = targets
        x.dispatch()

    def disown(self, selection: str) -> None:
        from Xlib import X

        atom = self.x.atom(selection)
        self._drop(atom)
        # Anyone may set a selection's owner to None: the owner is told and
        # drops its data, so an empty clipboard is what the next paste sees.
        from Xlib.protocol import request

        request.SetSelectionOwner(display=self.x.display.display, window=X.NONE, selection=atom,
                                  time=X.CurrentTime)
        self.x.display.flush()
        self.x.dispatch()

    def _on_clear(self, event: Any) -> None:
        # A clear can arrive after we took the selection back (written again
        # since another client took it): only the server knows who owns it now.
        if self.x.display.get_selection_owner(event.atom) != self.x.window:
            self._drop(event.atom)

    def _drop(self, atom: int) -> None:
        self.owned.pop(atom, None)

    def _on_request(self, event: Any) -> None:
        from Xlib import X, Xatom
        from Xlib.protocol import event as xevent

        x = self.x
        prop = event.property or event.target  # an obsolete client may send None
        content = self.owned.get(event.selection)
        answered = X.NONE
        if content is not None:
            target = event.target
            try:
                if target == x.atom("TARGETS"):
                    atoms = [x.atom("TARGETS"), x.atom("TIMESTAMP"), *content]
                    event.requestor.change_property(prop, Xatom.ATOM, 32, atoms)
                    answered = prop
                elif target == x.atom("TIMESTAMP"):
                    event.requestor.change_property(prop, Xatom.INTEGER, 32, [X.CurrentTime])
                    answered = prop
                elif target in content:
                    kind, fmt, data = content[target]
                    if len(data) > self.chunk:
                        # ICCCM INCR: announce the size, then send chunk by
                        # chunk each time the requestor deletes the property.
                        event.requestor.change_attributes(event_mask=X.PropertyChangeMask)
                        event.requestor.change_property(prop, x.atom("INCR"), 32, [len(data)])
                        self.transfers[(event.requestor.id, prop)] = _Transfer(event.requestor, prop, kind, data)
                    else:
                        event.requestor.change_property(prop, kind, fmt, data)
                    answered = prop
            except Exception:
                log.exception("could not answer a selection request")
                answered = X.NONE
        notify = xevent.SelectionNotify(time=event.time, requestor=event.requestor, selection=event.selection,
                                        target=event.target, property=answered)
        event.requestor.send_event(notify)

    def _on_property(self, event: Any) -> None:
        from Xlib import X

        if event.state != X.PropertyDelete:
            return
        transfer = self.transfers.get((event.window.id, event.atom))
        if transfer is None:
            return
        piece = transfer.data[transfer.offset:transfer.offset + self.chunk]
        transfer.offset += len(piece)
        transfer.requestor.change_property(transfer.prop, transfer.target, 8, piece)
        if not piece:  # the zero-length piece ends the transfer
            del self.transfers[(event.window.id, event.atom)]

    # -- reading ------------------------------------------------------------------

    def _on_notify(self, event: Any) -> None:
        self._deliver(("notify", event.property))

    def _deliver(self, message: Any) -> None:
        channel = self._replies.get(0)
        if channel is not None:
            self.x.call_in_trio(lambda: _send_nowait(channel, message))

    def _still_owned(self, atom: int) -> dict[int, tuple[int, int, Any]] | None:
        """Our data for the selection ``atom`` if we still own it.

        Asked of the X server, not taken from our records: another client
        (main's own Tk among them) may have taken it a moment ago, and its
        SelectionClear may still be on its way.
        """
        if atom not in self.owned:
            return None
        if self.x.display.get_selection_owner(atom) != self.x.window:
            self._drop(atom)
            return None
        return self.owned.get(atom)

    async def target_names(self, selection: str) -> list[str]:
        """The targets the owner of ``selection`` offers (``[]``: no owner)."""
        import array

        x = self.x
        content = self._still_owned(x.atom(selection))
        if content is not None:
            return [x.atom_name(a) for a in content]
        answer = await self.convert(selection, "TARGETS")
        if answer is None or answer[0] != "ATOM":
            return []
        atoms = array.array("I")
        atoms.frombytes(answer[1][: len(answer[1]) // atoms.itemsize * atoms.itemsize])
        return [x.atom_name(a) for a in atoms[:4096] if a]

    async def convert(self, selection: str, target: str) -> tuple[str, bytes] | None:
        """The owner's data for ``target``, as (type name, bytes); None when
        there is no owner, it refuses the target, or it does not answer."""
        from Xlib import X

        x = self.x
        atom, target_atom = x.atom(selection), x.atom(target)
        async with self._reading:
            content = self._still_owned(atom)
            if content is not None:  # ours: no need for a transfer
                found = content.get(target_atom)
                return (x.atom_name(found[0]), found[2]) if found else None
            if x.display.get_selection_owner(atom) == X.NONE:
                return None
            send, receive = trio.open_memory_channel[Any](64)
            self._replies[0] = send
            prop = x.atom("TKELECTRON_SELECTION")
            watch = self._watch_property(prop)
            try:
                x.window.convert_selection(atom, target_atom, prop, X.CurrentTime)
                x.dispatch()  # events read during the round trips above
                with trio.move_on_after(READ_TIMEOUT):
                    return await self._receive(receive, prop, target)
                log.warning("the %s owner did not answer a request for %s", selection, target)
                return None
            finally:
                del self._replies[0]
                x.off(X.PropertyNotify, watch)

    def _watch_property(self, prop: int) -> Any:
        from Xlib import X

        def watch(event: Any) -> None:
            if event.window == self.x.window and event.atom == prop and event.state == X.PropertyNewValue:
                self._deliver(("property", None))

        self.x.on(X.PropertyNotify, watch)
        return watch

    async def _receive(self, receive: Any, prop: int, target: str) -> tuple[str, bytes] | None:
        from Xlib import X

        x = self.x
        while True:
            kind, value = await receive.receive()
            if kind == "notify":
                break
        if value == X.NONE:
            return None
        reply = x.window.get_property(prop, X.AnyPropertyType, 0, MAX_BYTES // 4, delete=True)
        x.display.flush()
        x.dispatch()
        if reply is None:
            return None
        type_name = x.atom_name(reply.property_type)
        if type_name != "INCR":
            return (type_name, _as_bytes(reply))
        # INCR: the owner now writes piece after piece; each one we delete
        # asks for the next, and a zero-length piece is the end.
        parts: list[bytes] = []
        size = 0
        while True:
            while (await receive.receive())[0] != "property":
                pass
            piece = x.window.get_property(prop, X.AnyPropertyType, 0, MAX_BYTES // 4, delete=True)
            x.display.flush()
            x.dispatch()
            if piece is None:
                continue
            data = _as_bytes(piece)
            if not data:
                return (x.atom_name(piece.property_type), b"".join(parts))
            size += len(data)
            if size > MAX_BYTES:
                log.warning("the selection's %s data passed %d bytes; not read", target, MAX_BYTES)
                return None
            parts.append(data)


def _send_nowait(channel: Any, message: Any) -> None:
    try:
        channel.send_nowait(message)
    except (trio.WouldBlock, trio.ClosedResourceError, trio.BrokenResourceError):
        pass


def _as_bytes(reply: Any) -> bytes:
    value = reply.value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("latin-1")
    # format 16/32 values (an array of numbers): their native bytes.
    return value.tobytes() if hasattr(value, "tobytes") else bytes(value)


class Clipboard:
    """The ``clipboard`` module object (one per process: :data:`clipboard`).

    Every method takes ``type``: ``"clipboard"`` (the default: what Ctrl+C and
    Ctrl+V use) or ``"selection"`` (X11's primary selection: what is
    highlighted, pasted with the middle button).
    """

    def __init__(self) -> None:
        self._server: _SelectionServer | None = None

    def _serving(self) -> _SelectionServer:
        x = connection()
        if self._server is None or self._server.x is not x:
            self._server = _SelectionServer(x)
            x.add_close_hook(self._forget)
        return self._server

    def _forget(self) -> None:
        self._server = None

    # -- writing ------------------------------------------------------------------

    def write(self, data: Mapping[str, Any], type: str = "clipboard") -> None:
        """Put several formats at once: ``{"text": ..., "html": ..., "image": png_bytes}``."""
        unknown = set(data) - {"text", "html", "image"}
        if unknown:
            raise ValueError(f"clipboard.write: unknown formats {sorted(unknown)} (expected text, html, image)")
        items: dict[str, Any] = {}
        if data.get("text") is not None:
            items["text/plain"] = _checked_str(data["text"], "text")
        if data.get("html") is not None:
            items["text/html"] = _checked_str(data["html"], "html")
        if data.get("image") is not None:
            image = data["image"]
            if not isinstance(image, (bytes, bytearray, memoryview)) or not _is_png(bytes(image)):
                raise ValueError("clipboard image data must be PNG bytes")
            items["image/png"] = bytes(image)
        if not items:
            raise ValueError("clipboard.write: nothing to write")
        self._serving().own(_selection_name(type), items)

    def write_text(self, text: str, type: str = "clipboard") -> None:
        self.write({"text": text}, type)

    def write_html(self, markup: str, type: str = "clipboard") -> None:
        """Copy HTML (``text/html``); plain-text pasters get nothing from it,
        so pair it with text through :meth:`write` when they should."""
        self.write({"html": markup}, type)

    def write_image(self, png: bytes, type: str = "clipboard") -> None:
        """Copy an image given as PNG bytes (``image/png``)."""
        self.write({"image": png}, type)

    def clear(self, type: str = "clipboard") -> None:
        """Empty the clipboard (whichever application held it)."""
        self._serving().disown(_selection_name(type))

    # -- reading ------------------------------------------------------------------

    async def available_formats(self, type: str = "clipboard") -> list[str]:
        """The MIME types the current owner offers (``text/plain`` for any text)."""
        names = await self._serving().target_names(_selection_name(type))
        formats: list[str] = []
        for name in names:
            mime = "text/plain" if name in _TEXT_TARGETS or name.startswith("text/plain") else name
            if mime in _INTERNAL_TARGETS or "/" not in mime or mime in formats:
                continue
            formats.append(mime)
        return formats

    async def read_text(self, type: str = "clipboard") -> str:
        """The clipboard's text, or ``""`` when it holds none."""
        server = self._serving()
        for target in ("UTF8_STRING", "text/plain;charset=utf-8", "STRING"):
            answer = await server.convert(_selection_name(type), target)
            if answer is not None:
                kind, data = answer
                encoding = "latin-1" if kind == "STRING" else "utf-8"
                return data.decode(encoding, "replace")
        return ""

    async def read_html(self, type: str = "clipboard") -> str:
        """The clipboard's ``text/html``, or ``""``."""
        answer = await self._serving().convert(_selection_name(type), "text/html")
        if answer is None:
            return ""
        data = answer[1]
        # Firefox and Chromium write HTML as UTF-16 with a byte-order mark.
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16", "replace")
        return data.decode("utf-8", "replace")

    async def read_image(self, type: str = "clipboard") -> bytes:
        """The clipboard's image as PNG bytes, or ``b""`` when it holds none."""
        answer = await self._serving().convert(_selection_name(type), "image/png")
        if answer is None or not _is_png(answer[1]):
            return b""
        return answer[1]


def _checked_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"clipboard {what} must be a str, not {type(value).__name__}")
    return value


#: The process-wide clipboard module object.
clipboard = Clipboard()
