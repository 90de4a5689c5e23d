"""Renderer text on its way to main's terminal and log: escaped and bounded.

A renderer's console messages and stderr are hostile input too. Written raw,
they would reach the terminal main runs in with escape sequences of the
renderer's choosing (clear the screen, retitle the window, OSC 52 writes to
the clipboard) and could forge lines that look like main's own. So:

- :func:`printable` escapes every control character (C0, DEL, C1 — ESC among
  them) and the Unicode line and bidi controls as ``\\xNN``/``\\uNNNN``; a
  newline is kept only as a newline followed by an indent, so a continuation
  can never pass for a line of main's;
- :class:`LineReader` splits a byte stream into lines with a bounded buffer:
  a line longer than :data:`MAX_LINE` is cut (the rest is counted, not kept),
  so a flood without newlines costs linear time and constant memory;
- :class:`LineGate` lets at most :data:`LINES_PER_SECOND` lines a second
  through and reports how many it held back;
- importing this module puts a filter on main's loggers (:data:`LOGGERS`)
  that makes every record's message :func:`printable`, since many carry
  renderer-chosen text (a preload's traceback, a path, a protocol error).
"""

from __future__ import annotations

import logging
import re
import time

__all__ = ["LINES_PER_SECOND", "LOGGERS", "MAX_LINE", "LineGate", "LineReader", "printable"]

#: The longest line (in bytes) kept from a renderer's stderr; the rest is cut.
MAX_LINE = 8 * 1024
#: The most renderer lines (stderr or console) printed per second per renderer.
LINES_PER_SECOND = 200
#: The longest console message printed whole (the event still gets all of it).
MAX_MESSAGE = 16 * 1024

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTINUATION = "\n    "


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = True, limit: int | None = None) -> str:
    """``text`` safe to print: control characters escaped, optionally cut."""
    cut = 0
    if limit is not None and len(text) > limit:
        cut = len(text) - limit
        text = text[:limit]
    text = text.replace("\r\n", "\n")
    if "\n" in text:
        text = text.replace("\n", _CONTINUATION) if keep_newlines else text.replace("\n", "\\n")
    text = _CONTROL.sub(_escape, text)
    if cut:
        text += f" ... [{cut} more characters]"
    return text


class LineReader:
    """Bytes in, complete lines out; never holds more than ``max_line`` bytes."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self._buf = bytearray()
        self._cut = 0  # bytes dropped from the line being read

    def _line(self) -> str:
        text = self._buf.decode("utf-8", "replace")
        if self._cut:
            text += f" ... [{self._cut} more bytes]"
        self._buf.clear()
        self._cut = 0
        return text

    def feed(self, chunk: bytes) -> list[str]:
        """The lines that ``chunk`` completes (without their newlines)."""
        lines: list[str] = []
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            room = self.max_line - len(self._buf)
            if len(piece) > room:
                self._buf += piece[:room]
                self._cut += len(piece) - room
            else:
                self._buf += piece
            if end < 0:
                return lines
            lines.append(self._line())
            start = end + 1

    def close(self) -> list[str]:
        """What is left at EOF (a last line without a newline)."""
        return [self._line()] if self._buf or self._cut else []


class LineGate:
    """Lets ``per_second`` lines through per second; counts the rest."""

    def __init__(self, per_second: int = LINES_PER_SECOND) -> None:
        self.per_second = per_second
        self._window = time.monotonic()
        self._passed = 0
        self.held = 0

    def admit(self) -> tuple[bool, int]:
        """(whether this line may print, how many were held back before it)."""
        now = time.monotonic()
        held = 0
        if now - self._window >= 1.0:
            self._window = now
            self._passed = 0
            held, self.held = self.held, 0
        if self._passed >= self.per_second:
            self.held += 1
            return False, held
        self._passed += 1
        return True, held


#: Main's loggers whose records may carry a renderer's text.
LOGGERS = ("tkelectron", "tkelectron.ipc", "tkelectron.main.compositor._tk_apply")


class _Printable(logging.Filter):
    """Escapes control characters in a record's message before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = printable(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_FILTER = _Printable()
for _name in LOGGERS:
    _logger = logging.getLogger(_name)
    if _FILTER not in _logger.filters:
        _logger.addFilter(_FILTER)
