"""What the devtools page shows, made cloneable: DOM rows, console rows, IPC rows.

Main turns what it observes about the inspected window into plain dicts and
lists (they cross to the devtools renderer by cloning): the displayed HTML
becomes a flat list of rows, one per element and text node, each with its
depth in the tree, so the page can draw the tree without recursing.
"""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

__all__ = ["console_row", "dom_rows", "ipc_row"]

#: Elements that never have children (HTML's void elements).
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
#: Elements whose text is code or styling, shown collapsed to keep the tree readable.
_RAW = frozenset({"script", "style"})
_MAX_TEXT = 200


class _RowParser(HTMLParser):
    """Flattens an HTML document into rows in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, Any]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.rows.append({
            "depth": len(self._stack),
            "tag": tag,
            "attrs": [[name, value or ""] for name, value in attrs],
        })
        if tag not in _VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag; a stray end tag is ignored, as
        # a browser's tree builder would.
        if tag in self._stack:
            while self._stack:
                if self._stack.pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text:
            return
        if self._stack and self._stack[-1] in _RAW:
            text = "…" if len(text) > 1 else text
        elif len(text) > _MAX_TEXT:
            text = text[: _MAX_TEXT - 1] + "…"
        self.rows.append({"depth": len(self._stack), "text": text})


def dom_rows(html: str) -> list[dict[str, Any]]:
    """The document's element and text nodes as rows.

    An element row is ``{"depth", "tag", "attrs": [[name, value], ...]}``; a
    text row ``{"depth", "text"}`` with whitespace collapsed (whitespace-only
    text is left out, as devtools do).
    """
    parser = _RowParser()
    parser.feed(html)
    parser.close()
    return parser.rows


def console_row(level: str, message: str, line: int, source: str) -> dict[str, Any]:
    """One console message: its level, text and ``file:line`` (file name only)."""
    where = f"{Path(source).name}:{line}" if source else ""
    return {"level": str(level), "message": str(message), "source": where}


def ipc_row(entry: Any) -> dict[str, Any]:
    """One ``ipc-log`` entry, with its time and latency formatted for reading."""
    stamp = time.strftime("%H:%M:%S", time.localtime(entry.time)) + f".{int(entry.time % 1 * 1000):03d}"
    latency = "" if entry.latency is None else f"{entry.latency * 1000:.1f} ms"
    return {
        "time": stamp,
        "direction": entry.direction,
        "kind": entry.kind,
        "channel": entry.channel,
        "size": int(entry.size),
        "latency": latency,
        "error": entry.error or "",
    }
