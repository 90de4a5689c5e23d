"""Length-prefixed frames: a 4-byte little-endian length, then a msgpack body.

Pure byte handling, no I/O, so it is easy to test and to fuzz. The
:class:`Connection` in ``_connection`` does the I/O around it.
"""

from __future__ import annotations

import struct
from typing import Any, Generic, TypeVar

import msgspec

from ._clone import ext_hook

__all__ = ["FrameError", "FrameEncoder", "FrameDecoder", "DEFAULT_MAX_FRAME"]

T = TypeVar("T")

#: The largest frame accepted by default (64 MiB). Larger frames are refused
#: before they are buffered; from a renderer they are an ``ipc-violation``.
DEFAULT_MAX_FRAME = 64 * 1024 * 1024

_HEADER = struct.Struct("<I")


class FrameError(Exception):
    """The peer broke the framing or sent a message this side cannot decode."""


class FrameEncoder:
    """Encodes messages straight into an output buffer, header included."""

    def __init__(self) -> None:
        self._encoder = msgspec.msgpack.Encoder()

    def append(self, msg: Any, out: bytearray) -> int:
        """Append one frame for ``msg`` to ``out``; returns the frame's size."""
        start = len(out)
        out += b"\0\0\0\0"
        self._encoder.encode_into(msg, out, start + 4)
        size = len(out) - start - 4
        _HEADER.pack_into(out, start, size)
        return size + 4

    def frame(self, msg: Any) -> bytes:
        out = bytearray()
        self.append(msg, out)
        return bytes(out)


class FrameDecoder(Generic[T]):
    """Splits a byte stream into frames and decodes each as ``type``."""

    def __init__(self, type: Any, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._decoder = msgspec.msgpack.Decoder(type, ext_hook=ext_hook)
        self._buffer = bytearray()
        self.max_frame = max_frame
        self.sizes: list[int] = []  # frame sizes of what the last feed returned

    def feed(self, data: bytes | bytearray | memoryview) -> list[T]:
        """Add received bytes; return every message completed by them."""
        buf = self._buffer
        buf += data
        out: list[T] = []
        self.sizes = []  # frame sizes of what this call returns
        pos = 0
        end = len(buf)
        try:
            while end - pos >= 4:
                (size,) = _HEADER.unpack_from(buf, pos)
                if size > self.max_frame:
                    raise FrameError(f"frame of {size} bytes is over the limit of {self.max_frame}")
                if end - pos - 4 < size:
                    break
                body = memoryview(buf)[pos + 4 : pos + 4 + size]
                error = None
                try:
                    out.append(self._decoder.decode(body))
                    self.sizes.append(size + 4)
                except Exception as exc:  # noqa: BLE001 - see below
                    # Not only DecodeError/ValidationError: a crafted extension
                    # payload makes ext_hook raise TypeError, InvalidOperation,
                    # RecursionError (deep nesting)... all mean a bad frame.
                    # Only its text is kept: the exception's traceback holds
                    # views of the buffer, which could then not be resized.
                    error = f"undecodable frame: {type(exc).__name__}: {exc}"
                body.release()
                if error is not None:
                    raise FrameError(error)
                pos += 4 + size
        finally:
            del buf[:pos]
        return out

    @property
    def buffered(self) -> int:
        """Bytes of a frame begun but not complete (0 between frames)."""
        return len(self._buffer)

    @property
    def expected(self) -> int | None:
        """The size (header included) of the frame being received, once its header is in."""
        if len(self._buffer) < 4:
            return None
        (size,) = _HEADER.unpack_from(self._buffer, 0)
        return int(size) + 4
