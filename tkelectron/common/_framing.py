"""Length-prefixed frames: a 4-byte little-endian length, then a msgpack body.

Pure byte handling, no socket I/O, so it is easy to test and to fuzz. The
:class:`Connection` in ``_connection`` does the I/O around it.

Large bytes values (``common._shared_bytes``) are the one exception: the
encoder writes each into a sealed memfd and hands the fds to the connection
(:meth:`FrameEncoder.take_fds`), which passes them with the frame; the
decoder asks its connection for them (:attr:`FrameDecoder.take_shared_fd`) as
it meets their extensions, reads each once and closes it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import msgspec

from ._clone import ext_hook
from ._shared_bytes import (
    MAX_PER_FRAME,
    SHARED_BYTES,
    LargeBytes,
    LazyExt,
    SharedBytesError,
    decode_size,
    encode_size,
    frame_resolver,
    share,
    unshare,
)

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
        self._encoder = msgspec.msgpack.Encoder(enc_hook=self._enc_hook)
        # For the payloads of extensions the clone left to the frame (LazyExt).
        self._encode_payload = msgspec.msgpack.Encoder(enc_hook=self._enc_hook).encode
        # The memfds of the frame being encoded, or None while large values go inline.
        self._fds: list[int] | None = None
        #: Bytes the last frame shared in memfds (beside the frame's own size).
        self.shared = 0

    def _enc_hook(self, obj: Any) -> Any:
        if type(obj) is LazyExt:  # its payload, in the frame's order: the large bytes inside are shared too
            return msgspec.msgpack.Ext(obj.code, self._encode_payload(obj.payload))
        if type(obj) is not LargeBytes:
            raise TypeError(f"{type(obj).__qualname__} is not a wire value")
        data = obj.data
        fds = self._fds
        if fds is not None and len(fds) < MAX_PER_FRAME:
            fd = share(data)
            if fd is not None:
                fds.append(fd)
                self.shared += len(data)
                return msgspec.msgpack.Ext(SHARED_BYTES, encode_size(len(data)))
        return data  # inline: no memfd to be had, or this frame shares enough already

    def append(self, msg: Any, out: bytearray, *, use_memfds: bool = False) -> int:
        """Append one frame for ``msg`` to ``out``; returns the frame's size.

        With ``use_memfds`` large bytes go into memfds, which :meth:`take_fds`
        then hands over (they must travel with this frame, before its other
        fds). On an error nothing is appended and no memfd is left open.
        """
        start = len(out)
        self.shared = 0
        self._fds = [] if use_memfds else None
        try:
            out += b"\0\0\0\0"
            self._encoder.encode_into(msg, out, start + 4)
        except BaseException:
            del out[start:]
            for fd in self.take_fds():
                os.close(fd)
            raise
        size = len(out) - start - 4
        _HEADER.pack_into(out, start, size)
        return size + 4

    def take_fds(self) -> list[int]:
        """The memfds of the frame just appended (the caller owns them now)."""
        fds = self._fds or []
        self._fds = None
        return fds

    def frame(self, msg: Any) -> bytes:
        """One frame with every value inline (for channels that pass no fds)."""
        out = bytearray()
        self.append(msg, out)
        return bytes(out)


class FrameDecoder(Generic[T]):
    """Splits a byte stream into frames and decodes each as ``type``."""

    def __init__(self, type: Any, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self._decoder = msgspec.msgpack.Decoder(type, ext_hook=self._ext_hook)
        self._buffer = bytearray()
        self.max_frame = max_frame
        # frame sizes of what the last feed returned, shared bytes included
        self.sizes: list[int] = []
        #: Gives the next fd of the frame being decoded for a shared value
        #: (the connection's); None: a frame that shares one is refused.
        self.take_shared_fd: Callable[[], int] | None = None
        #: The messages the feed in progress decoded so far (read by
        #: take_shared_fd to find where this frame's fds begin).
        self.decoded: list[T] = []
        self._frame_size = 0
        self._shared_count = 0
        self._shared_total = 0

    def _ext_hook(self, code: int, data: memoryview) -> Any:
        if code != SHARED_BYTES:
            return ext_hook(code, data)
        return self._unshare(data)

    def _unshare(self, data: memoryview) -> bytes:
        """The bytes a shared-bytes extension of the frame being decoded stands for."""
        size = decode_size(data)
        self._shared_count += 1
        self._shared_total += size
        if self._shared_count > MAX_PER_FRAME:
            raise SharedBytesError(f"a frame shares more than {MAX_PER_FRAME} values")
        if self._frame_size + self._shared_total > self.max_frame:
            raise SharedBytesError(
                f"a frame of {self._frame_size} bytes shares {self._shared_total} more, over the limit of {self.max_frame}"
            )
        if self.take_shared_fd is None:
            raise SharedBytesError("shared bytes where no file descriptor can travel")
        return unshare(self.take_shared_fd(), size)

    def feed(self, data: bytes | bytearray | memoryview) -> list[T]:
        """Add received bytes; return every message completed by them."""
        buf = self._buffer
        # Between frames (most reads: whole small frames) the frames are
        # decoded straight from ``data`` and only an incomplete tail is kept:
        # copying every read into the buffer and out again cost more than
        # decoding a small frame. Mid-frame, the bytes join what is buffered.
        buffered = bool(buf)
        if buffered:
            buf += data
            view = memoryview(buf)
        else:
            view = memoryview(data)
        out: list[T] = []
        self.decoded = out
        self.sizes = []  # frame sizes of what this call returns
        pos = 0
        end = len(view)
        # Shared bytes inside extensions' payloads reach clone's ext_hook, which asks this.
        resolving = frame_resolver.set(self._unshare)
        try:
            while end - pos >= 4:
                (size,) = _HEADER.unpack_from(view, pos)
                if size > self.max_frame:
                    raise FrameError(f"frame of {size} bytes is over the limit of {self.max_frame}")
                if end - pos - 4 < size:
                    break
                body = view[pos + 4 : pos + 4 + size]
                error = None
                self._frame_size, self._shared_count, self._shared_total = size + 4, 0, 0
                try:
                    out.append(self._decoder.decode(body))
                    self.sizes.append(size + 4 + self._shared_total)
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
            frame_resolver.reset(resolving)
            if buffered:
                view.release()
                del buf[:pos]
            else:
                if pos < end:
                    buf += view[pos:]  # the start of a frame: kept for the next read
                view.release()
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
