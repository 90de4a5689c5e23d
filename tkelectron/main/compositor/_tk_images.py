"""The images main lets Tkhtml decode: ``data:`` URLs only, and bounded.

A page names images, and Tk decodes them in the unsandboxed main process into
four bytes a pixel. A small PNG can be a decompression bomb: measured here, a
187 KB PNG of 8000 x 8000 pixels cost main 533 MB and 3 s, one of 746 KB
(16000 x 16000) 2 GB and 16 s. So before anything is decoded, the image's
own header is read:

- only PNG and GIF are drawn (the formats Tk decodes itself; without PIL
  tkinterweb has no others), and an image must say how big it is;
- one image may have at most :data:`MAX_IMAGE_PIXELS` pixels;
- one window may decode at most :data:`MAX_WINDOW_PIXELS` pixels of distinct
  images per document (the count starts again with each new document).

A refused image is simply not drawn (tkinterweb shows its ``alt`` text).
"""

from __future__ import annotations

import base64
import hashlib
import struct
import urllib.parse
from typing import Any

__all__ = ["MAX_IMAGE_PIXELS", "MAX_WINDOW_PIXELS", "DataUrls", "decode_data_url", "image_size"]

#: The most pixels one image may have (2048 x 2048: 16 MB decoded).
MAX_IMAGE_PIXELS = 2048 * 2048
#: The most pixels of distinct images one window decodes per document (128 MB decoded).
MAX_WINDOW_PIXELS = 32 * 1024 * 1024


def decode_data_url(url: str) -> tuple[str, bytes, str, int]:
    """tkinterweb's resource loader: ``data:`` URLs only.

    The page is written by a renderer, which main never trusts: letting
    tkinterweb fetch what the page names would have the unsandboxed main
    process make network requests or read files on a renderer's behalf (a
    script setting ``img.src = "http://..."``). Pages inline their images as
    ``data:`` URLs; everything else is refused.
    """
    if not url.startswith("data:"):
        raise PermissionError(f"tkelectron does not load {url[:80]!r} in main: only data: URLs are displayed")
    header, _, payload = url[5:].partition(",")
    mime = header.split(";")[0] or "text/plain"
    data = base64.b64decode(payload) if header.endswith(";base64") else urllib.parse.unquote_to_bytes(payload)
    return url, data, mime, 200


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG or GIF header, or None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 13:
        return _gif_size(data)
    return None


def _gif_size(data: bytes) -> tuple[int, int] | None:
    """The size Tk makes a GIF's photo: the logical screen, grown to hold the
    first frame (a frame may be larger than the screen it claims)."""
    width, height = struct.unpack("<HH", data[6:10])
    flags = data[10]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while at < len(data):
        block = data[at]
        if block == 0x2C:  # the first image descriptor
            if at + 9 > len(data):
                return None
            left, top, w, h = struct.unpack("<HHHH", data[at + 1:at + 9])
            return max(width, left + w), max(height, top + h)
        if block != 0x21 or at + 2 >= len(data):
            return None  # the trailer, or garbage: Tk decodes no frame
        at += 2  # the extension's label
        while at < len(data) and data[at]:
            at += data[at] + 1
        at += 1
    return None


class DataUrls:
    """One window's request function: :func:`decode_data_url`, with images bounded."""

    def __init__(self) -> None:
        self.pixels = 0
        self._seen: set[bytes] = set()

    def reset(self) -> None:
        """A new document: its images are counted afresh."""
        self.pixels = 0
        self._seen.clear()

    def __call__(self, url: str, *_args: Any) -> tuple[str, bytes, str, int]:
        url, data, mime, code = decode_data_url(url)
        size = image_size(data)  # whatever the URL claims: Tk tells formats by their bytes
        if size is None:
            if mime.lower().startswith("image/"):
                raise PermissionError(f"tkelectron draws only PNG and GIF images in main, not {mime[:40]!r}")
            return url, data, mime, code
        pixels = size[0] * size[1]
        if pixels > MAX_IMAGE_PIXELS:
            raise PermissionError(f"an image of {size[0]} x {size[1]} pixels is over the limit of "
                                  f"{MAX_IMAGE_PIXELS} pixels an image")
        key = hashlib.sha1(data).digest()
        if key not in self._seen:
            if self.pixels + pixels > MAX_WINDOW_PIXELS:
                raise PermissionError(f"this window's images are over the limit of {MAX_WINDOW_PIXELS} pixels")
            self._seen.add(key)
            self.pixels += pixels
        return url, data, mime, code
