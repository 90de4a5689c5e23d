"""``data:`` URLs of HTML pages (RFC 2397), read the same way by main and the renderer.

``data:[<media type>][;base64],<data>``: the media type must be ``text/html``
(a page); its only parameter that matters, ``charset``, must be UTF-8 or
US-ASCII when given. The data is percent-decoded (or base64-decoded) to bytes
and read as UTF-8. Main checks a URL with :func:`decode_html_data_url` when
the app calls ``load_url`` (a bad one is a clear error there, and nothing is
started); the renderer decodes the same URL to load the page.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_to_bytes

__all__ = ["MAX_DATA_URL", "decode_html_data_url", "is_data_url"]

#: The longest data: URL loaded as a page, in characters (Chromium's URL limit is 2 MB).
MAX_DATA_URL = 2 * 1024 * 1024
_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def is_data_url(url: str) -> bool:
    return url[:5].lower() == "data:"


def decode_html_data_url(url: str) -> str:
    """The HTML a ``data:text/html`` URL holds; ``ValueError`` saying what is wrong."""
    if not is_data_url(url):
        raise ValueError("not a data: URL")
    if len(url) > MAX_DATA_URL:
        raise ValueError(f"the data: URL is {len(url)} characters long (at most {MAX_DATA_URL})")
    header, comma, data = url[5:].partition(",")
    if not comma:
        raise ValueError("a data: URL needs a comma before its data")
    params = [p.strip().lower() for p in header.split(";")]
    is_base64 = params[-1] == "base64"
    if is_base64:
        params.pop()
    media = params[0] or "text/plain"
    if media != "text/html":
        raise ValueError(f"a data: URL page must be text/html, not {media!r}")
    for param in params[1:]:
        name, _, value = param.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in _CHARSETS:
            raise ValueError(f"a data: URL page must be UTF-8, not charset {value.strip()!r}")
    raw = unquote_to_bytes(data)
    if is_base64:
        try:
            raw = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the data: URL's base64 data is malformed ({exc})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"the data: URL's page is not UTF-8 ({exc.reason} at byte {exc.start})") from None
