"""Main never fetches what a page names: only data: URLs are displayed.

The page comes from a renderer, which main does not trust; tkinterweb would
otherwise download images and stylesheets in the unsandboxed main process.
"""

from __future__ import annotations

import base64
import socket

import pytest

from tkelectron.common._messages import Insert, ReplaceDocument
from tkelectron.main.compositor.tkhtml import _only_data_urls

# A 1x1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


def test_data_urls_are_decoded_and_everything_else_is_refused() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _only_data_urls(url) == (url, PNG, "image/png", 200)
    assert _only_data_urls("data:,a%20b")[1:] == (b"a b", "text/plain", 200)
    for bad in ("http://127.0.0.1/x.png", "https://example.org/a.css", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(PermissionError, match="only data: URLs"):
            _only_data_urls(bad)


def test_a_page_naming_a_remote_image_makes_main_connect_nowhere(tk_kit) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        tk_kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"></body></html>')])
        tk_kit.apply([Insert(2, f'<img data-tke-id="3" src="http://127.0.0.1:{port}/x.png">'
                                f'<link data-tke-id="4" rel="stylesheet" href="http://127.0.0.1:{port}/a.css">')])
        tk_kit.settle()
        with pytest.raises(socket.timeout):  # nobody came: main fetched nothing
            listener.accept()
    finally:
        listener.close()
