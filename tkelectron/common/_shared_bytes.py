"""Large ``bytes`` values cross in a sealed memfd, not through the socket.

A value of :data:`THRESHOLD` bytes or more, wherever a cloned value holds it
(an argument, a result, an item of a list, tuple or set, a value of a dict,
a record's field, an exception's argument), is written once into a memfd
(``memfd_create(MFD_CLOEXEC | MFD_ALLOW_SEALING)``), sealed against every
change (``F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL``) and
passed with the frame by ``SCM_RIGHTS``; the frame carries an extension value
in its place. An extension whose payload the clone encodes ahead of the
frame (a tuple, set, record...) and that holds one is left to the frame
encoder (:class:`LazyExt`). The receiver reads each into ``bytes`` once and
closes the fd. A 10 MB payload then costs one copy into the memfd and one
out, instead of the encoder's buffer, 256 KiB socket chunks, the decoder's
reassembly and msgpack's copy.

The wire rule (``common._framing``): the extension is
``Ext(SHARED_BYTES, size)``, ``size`` an 8-byte little-endian unsigned int.
A frame's memfds travel with it, in the order their extensions appear in the
encoded frame (inside other extensions' payloads too, depth first), and
*before* the frame's other file descriptors (MessagePorts: ``ports``). At most
:data:`MAX_PER_FRAME` values of one frame are shared; later ones go inline.

What a receiver accepts (main, for a renderer's frames, treats each as
hostile): the fd must be a memfd (a regular file whose seals can be read)
carrying all four seals, exactly ``size`` bytes long, and the frame plus every
value it shares must stay within the connection's ``max_frame``. Anything else
is an undecodable frame (``FrameError``; from a renderer, an
``ipc-violation``). Because the seals forbid writing and resizing, the sender
cannot change the bytes while or after they are read. They are read with one
``pread`` into a new ``bytes`` (mapping the memfd and copying out of the map
measured no faster here, and the value must be ``bytes`` either way).

A sender that cannot make a memfd (no ``memfd_create``, or a file size limit
below the value, as a renderer has when Landlock is not in force) sends the
value inline, as before.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

__all__ = [
    "THRESHOLD",
    "MAX_PER_FRAME",
    "SHARED_BYTES",
    "SEALS",
    "AVAILABLE",
    "LargeBytes",
    "LazyExt",
    "frame_resolver",
    "SharedBytesError",
    "share",
    "unshare",
    "encode_size",
    "decode_size",
    "unread_bytes",
]

#: Bytes values of at least this many bytes travel in a memfd.
THRESHOLD = 256 * 1024
#: At most this many values of one frame travel in memfds (the rest inline),
#: and a receiver refuses a frame that announces more.
MAX_PER_FRAME = 16
#: The msgpack extension code of a shared value (``common._clone`` uses 1-14).
SHARED_BYTES = 64
#: Linux has memfds and seals; elsewhere every value goes inline, and a frame
#: that shares one is refused.
AVAILABLE = sys.platform.startswith("linux")
if AVAILABLE:
    import fcntl
    import resource

    #: The seals a receiver requires.
    SEALS = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL
    _MEMFD_FLAGS = os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING
else:  # pragma: no cover - not Linux
    SEALS = 0x1 | 0x2 | 0x4 | 0x8

_SIZE = struct.Struct("<Q")
_SIOCOUTQ = 0x5411  # TIOCOUTQ: a socket's bytes not yet read by its peer


class SharedBytesError(ValueError):
    """A shared value broke the rules above (the frame is undecodable)."""


class LargeBytes:
    """A large bytes value on its way to a frame (what :func:`~._clone.to_wire` gives for one).

    The frame encoder shares it in a memfd; anything else that encodes a
    cloned value puts ``data`` inline.
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LargeBytes):
            return self.data == other.data
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.data)

    def __repr__(self) -> str:
        return f"LargeBytes(<{len(self.data)} bytes>)"


class LazyExt:
    """An extension value (a tuple, set, record...) whose payload holds large bytes.

    :func:`~._clone.to_wire` encodes an extension's payload ahead of the
    frame; when it holds a :class:`LargeBytes` it leaves it to the frame
    encoder instead (``code`` and the wire ``payload``), which encodes it
    with the frame's own hook, so the large values inside are shared too, in
    the frame's order.
    """

    __slots__ = ("code", "payload")

    def __init__(self, code: int, payload: Any) -> None:
        self.code = code
        self.payload = payload

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyExt):
            return self.code == other.code and self.payload == other.payload
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.code)

    def __repr__(self) -> str:
        return f"LazyExt({self.code}, {self.payload!r})"


#: While a frame is decoded: what turns a shared-bytes extension inside an
#: extension's payload into its bytes (the frame decoder's); None otherwise.
frame_resolver: ContextVar[Callable[[memoryview], bytes] | None] = ContextVar("frame_resolver", default=None)


def encode_size(size: int) -> bytes:
    return _SIZE.pack(size)


def decode_size(data: bytes | memoryview) -> int:
    if len(data) != _SIZE.size:
        raise SharedBytesError(f"a shared-bytes extension of {len(data)} bytes (must be {_SIZE.size})")
    (size,) = _SIZE.unpack(data)
    return int(size)


def share(data: bytes) -> int | None:
    """A sealed memfd holding ``data`` (the caller owns the fd), or None when none can be made.

    None when this process may not grow a file that far (``RLIMIT_FSIZE``:
    writing past it would raise SIGXFSZ) or the kernel refuses the memfd.
    """
    if not AVAILABLE:  # pragma: no cover - not Linux
        return None
    size = len(data)
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY and size > limit:
        return None
    try:
        fd = os.memfd_create("tkelectron-bytes", _MEMFD_FLAGS)
    except OSError:
        return None
    try:
        view = memoryview(data)
        written = 0
        while written < size:
            written += os.write(fd, view[written:])
        fcntl.fcntl(fd, fcntl.F_ADD_SEALS, SEALS)
    except OSError:
        os.close(fd)
        return None
    return fd


def unshare(fd: int, size: int) -> bytes:
    """The ``size`` bytes of the sealed memfd ``fd``; closes ``fd`` in every case.

    Raises :class:`SharedBytesError` when ``fd`` is not a memfd with every
    seal of :data:`SEALS`, or does not hold exactly ``size`` bytes.
    """
    try:
        if not AVAILABLE:  # pragma: no cover - not Linux
            raise SharedBytesError("shared bytes on a system without memfds")
        try:
            info = os.fstat(fd)
            seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS) if stat.S_ISREG(info.st_mode) else None
        except OSError as exc:  # F_GET_SEALS: EINVAL on anything but a memfd (or shmem file)
            raise SharedBytesError(f"the file descriptor of shared bytes is not a memfd ({exc.strerror})") from None
        if seals is None:
            raise SharedBytesError("the file descriptor of shared bytes is not a memfd")
        if seals & SEALS != SEALS:
            raise SharedBytesError(f"the memfd of shared bytes is not sealed (seals {seals:#x}, need {SEALS:#x})")
        if info.st_size != size:
            raise SharedBytesError(f"the memfd of shared bytes holds {info.st_size} bytes, the frame says {size}")
        data = os.pread(fd, size, 0) if size else b""
        if len(data) != size:  # a sealed memfd cannot shrink: only a kernel oddity gets here
            raise SharedBytesError(f"read {len(data)} of the {size} shared bytes")
        return data
    finally:
        os.close(fd)


def unread_bytes(fd: int) -> int:
    """Bytes this end of a stream socket sent that the peer has not read yet (``SIOCOUTQ``).

    A frame that passed memfds is small, so the socket takes it at once;
    the sender counts the memfds' bytes as unread until this is 0 (the peer
    took every frame, and the fds with them). -1 when the kernel cannot say.
    """
    if not AVAILABLE:  # pragma: no cover - not Linux
        return -1
    try:
        raw = fcntl.ioctl(fd, _SIOCOUTQ, b"\0\0\0\0")
    except OSError:
        return -1
    return int(struct.unpack("i", raw)[0])
