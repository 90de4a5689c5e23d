"""Images main decodes for a page: PNG and GIF only, bounded before decoding."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from tkelectron.common._messages import Insert, ReplaceDocument
from tkelectron.main.compositor._tk_images import MAX_IMAGE_PIXELS, MAX_WINDOW_PIXELS, DataUrls, image_size


def png(width: int, height: int) -> bytes:
    """A real (solid black) PNG: compresses to a few hundred KB whatever its size."""
    raw = zlib.compress(b"".join(b"\x00" + b"\x00" * (width * 3) for _ in range(height)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def test_image_sizes_come_from_the_header() -> None:
    assert image_size(png(3, 2)) == (3, 2)
    screen = b"GIF89a" + struct.pack("<HHBBB", 640, 480, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHH", 0, 0, 640, 480) + b"\x00"
    assert image_size(screen + frame) == (640, 480)
    # A frame larger than the screen it claims: Tk grows the photo to hold it.
    comment = b"\x21\xfe\x03abc\x00"
    big = b"\x2c" + struct.pack("<HHHH", 10, 20, 30000, 30000) + b"\x00"
    assert image_size(b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00" * 6 + comment + big) == (30010, 30020)
    assert image_size(b"\xff\xd8\xff\xe0 a jpeg") is None
    assert image_size(b"<svg xmlns=...>") is None


def test_bombs_and_unknown_formats_are_refused_before_decoding() -> None:
    requests = DataUrls()
    assert requests(url(png(4, 4)))[2] == "image/png"
    assert requests.pixels == 16
    with pytest.raises(PermissionError, match=f"over the limit of {MAX_IMAGE_PIXELS} pixels"):
        requests(url(png(8000, 8000)))  # 187 KB that decodes to 256 MB
    with pytest.raises(PermissionError, match="over the limit"):
        requests(url(png(8000, 8000), "text/plain"))  # Tk would decode it all the same
    with pytest.raises(PermissionError, match="only PNG and GIF"):
        requests(url(b"<svg/>", "image/svg+xml"))
    with pytest.raises(PermissionError, match="only data: URLs"):
        requests("http://127.0.0.1/x.png")
    assert requests("data:text/css,p%7Bcolor:red%7D")[1] == b"p{color:red}"  # not an image: as before


def test_a_window_decodes_a_bounded_number_of_pixels_per_document() -> None:
    requests = DataUrls()
    side = 2048
    images = [url(png(side, side - i)) for i in range(MAX_WINDOW_PIXELS // (side * side) + 1)]
    for image in images[:-1]:
        requests(image)
        requests(image)  # the same image again costs nothing more
    with pytest.raises(PermissionError, match="this window's images"):
        requests(images[-1])
    requests.reset()
    requests(images[-1])


def test_tkhtml_never_decodes_a_bomb(tk_kit) -> None:
    requests = tk_kit.surface.requests
    tk_kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"></body></html>')])
    tk_kit.apply([Insert(2, f'<img data-tke-id="3" alt="bomb" src="{url(png(8000, 8000))}">'
                            f'<img data-tke-id="4" src="{url(png(5, 5))}">')])
    tk_kit.wait_for(lambda: requests.pixels == 25, what="the small image to be decoded")
    assert "bomb" in tk_kit.surface.html()
