"""``clipboard`` against the real X clipboard, with ``xclip`` as the other application.

What main writes is read back by xclip (another X client on the same
display); what xclip holds is read by main. Images are large enough to need
ICCCM's INCR transfer in both directions.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import trio
from Xlib import X

from tkelectron import clipboard
from tkelectron.main._x11 import connection
from tkelectron.testing import launch

pytestmark = pytest.mark.tkelectron

BLANK = Path(__file__).resolve().parents[1] / "apps" / "blank"


def png(width: int, height: int) -> bytes:
    """A real PNG of noise (so it does not compress below INCR's threshold)."""
    rows = b"".join(b"\0" + os.urandom(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def xclip_out(*args: str) -> subprocess.CompletedProcess[bytes]:
    with trio.fail_after(15):  # xclip itself waits for ever for an owner that does not answer
        return await trio.run_process(["xclip", "-o", *args], capture_stdout=True, capture_stderr=True, check=False)


@asynccontextmanager
async def xclip_holding(data: bytes, *args: str) -> AsyncIterator[None]:
    """xclip owning a selection with ``data`` until the block ends."""
    async with trio.open_nursery() as nursery:
        proc = await nursery.start(_run_xclip_in, data, args)
        try:
            yield
        finally:
            proc.kill()


async def _run_xclip_in(data: bytes, args: tuple[str, ...], task_status: trio.TaskStatus) -> None:
    proc = await trio.lowlevel.open_process(["xclip", "-i", "-quiet", *args], stdin=subprocess.PIPE,
                                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        assert proc.stdin is not None and proc.stderr is not None
        await proc.stdin.send_all(data)
        await proc.stdin.aclose()
        seen = b""
        with trio.fail_after(10):
            while b"Waiting for selection requests" not in seen:
                piece = await proc.stderr.receive_some()
                assert piece, f"xclip exited: {seen!r}"
                seen += piece
            # xclip says it waits a moment before the X server has made it the
            # owner; nothing announces that to us, so look.
            selection = "PRIMARY" if "primary" in args else "CLIPBOARD"
            x = connection()
            while x.display.get_selection_owner(x.atom(selection)) in (X.NONE, x.window):  # noqa: ASYNC110 - see above
                await trio.sleep(0.01)
        task_status.started(proc)
        await proc.wait()
    finally:
        proc.kill()
        with trio.CancelScope(shield=True):
            await proc.wait()


async def test_text_we_write_is_what_xclip_pastes(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        text = "héllo ☃ — 日本語\nsecond line"
        clipboard.write_text(text)
        assert (await xclip_out("-selection", "clipboard")).stdout.decode() == text
        targets = (await xclip_out("-selection", "clipboard", "-t", "TARGETS")).stdout.decode().split()
        assert {"UTF8_STRING", "STRING", "text/plain", "TARGETS"} <= set(targets)
        assert (await xclip_out("-selection", "clipboard", "-t", "STRING")).stdout == text.encode("latin-1", "replace")
        assert await clipboard.read_text() == text  # ours: answered without a round trip
        assert await clipboard.available_formats() == ["text/plain"]


async def test_html_and_text_together_and_the_primary_selection(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        clipboard.write({"text": "bold", "html": "<b>bold</b> ☃"})
        clipboard.write_text("highlighted", type="selection")
        assert (await xclip_out("-selection", "clipboard", "-t", "text/html")).stdout.decode() == "<b>bold</b> ☃"
        assert (await xclip_out("-selection", "clipboard")).stdout == b"bold"
        assert (await xclip_out("-selection", "primary")).stdout == b"highlighted"
        assert set(await clipboard.available_formats()) == {"text/plain", "text/html"}
        assert await clipboard.read_html() == "<b>bold</b> ☃"
        assert await clipboard.read_text(type="selection") == "highlighted"


async def test_a_large_image_we_write_reaches_xclip_whole(compositor: str, display: str) -> None:
    image = png(400, 400)  # ~480 KB: more than one X request, so INCR
    assert len(image) > 300_000
    async with launch(BLANK, compositor=compositor):
        clipboard.write_image(image)
        out = await xclip_out("-selection", "clipboard", "-t", "image/png")
        assert out.stdout == image
        assert await clipboard.read_image() == image


async def test_we_read_what_xclip_copied(compositor: str, display: str, tmp_path: Path) -> None:
    image = png(400, 400)
    async with launch(BLANK, compositor=compositor):
        async with xclip_holding("copied by xclip ☃".encode(), "-selection", "clipboard"):
            assert await clipboard.read_text() == "copied by xclip ☃"
            assert await clipboard.available_formats() == ["text/plain"]
            assert await clipboard.read_image() == b""
        async with xclip_holding(b"<i>it</i>", "-selection", "clipboard", "-t", "text/html"):
            assert await clipboard.read_html() == "<i>it</i>"
            assert "text/html" in await clipboard.available_formats()
        async with xclip_holding(image, "-selection", "clipboard", "-t", "image/png"):
            assert await clipboard.available_formats() == ["image/png"]
            assert await clipboard.read_image() == image
        async with xclip_holding(b"primary text", "-selection", "primary"):
            assert await clipboard.read_text(type="selection") == "primary text"


async def test_clear_empties_the_clipboard_for_everyone(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        clipboard.write_text("to be cleared")
        clipboard.clear()
        assert (await xclip_out("-selection", "clipboard")).stdout == b""
        assert await clipboard.read_text() == ""
        assert await clipboard.available_formats() == []
        async with xclip_holding(b"someone else's", "-selection", "clipboard"):
            clipboard.clear()
            assert await clipboard.read_text() == ""


@pytest.mark.tkelectron("tkhtml")
async def test_what_mains_own_tk_copied_is_read_without_blocking(compositor: str, display: str) -> None:
    """A page's input field copies through Tk; reading it must let Tk answer."""
    async with launch(BLANK, compositor=compositor) as harness:
        root = harness.app.compositor.root
        clipboard.write_text("ours first")
        root.clipboard_clear()
        root.clipboard_append("copied in a Tk entry ☃")
        assert await clipboard.read_text() == "copied in a Tk entry ☃"
        # And Tk pastes what we write (its selection get waits on our answer).
        clipboard.write_text("for Tk to paste")
        done = trio.Event()
        pasted: list[str] = []

        def paste() -> None:  # from the host loop, as a <<Paste>> binding runs
            pasted.append(root.clipboard_get())
            trio_token.run_sync_soon(done.set)

        trio_token = trio.lowlevel.current_trio_token()
        root.after(0, paste)
        with trio.fail_after(10):
            await done.wait()
        assert pasted == ["for Tk to paste"]


async def test_bad_input_is_a_clear_error(compositor: str, display: str) -> None:
    async with launch(BLANK, compositor=compositor):
        clipboard.write_text("kept")
        with pytest.raises(ValueError, match="must be PNG bytes"):
            clipboard.write_image(b"GIF89a....")
        with pytest.raises(ValueError, match="unknown clipboard type 'primary'"):
            clipboard.write_text("x", type="primary")
        with pytest.raises(TypeError, match="must be a str"):
            clipboard.write_text(b"bytes")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="unknown formats"):
            clipboard.write({"rtf": "x"})
        assert (await xclip_out("-selection", "clipboard")).stdout == b"kept"  # nothing lost


@pytest.mark.tkelectron("headless")
async def test_outside_a_running_app_it_says_so(compositor: str) -> None:
    with pytest.raises(RuntimeError, match="the app is not running"):
        clipboard.write_text("x")


@pytest.mark.tkelectron("headless")
async def test_without_a_display_it_says_so(compositor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tkelectron.main._x11 import XUnavailableError

    monkeypatch.delenv("DISPLAY", raising=False)
    async with launch(BLANK, compositor=compositor):
        with pytest.raises(XUnavailableError, match="no X display: DISPLAY is not set"):
            clipboard.write_text("x")


async def test_taking_the_clipboard_back_keeps_the_new_text(compositor: str, display: str) -> None:
    """Another client takes the clipboard and main writes again: the new text
    is what everyone pastes (a SelectionClear that reaches main after it took
    the clipboard back is checked against the server, not obeyed blindly)."""
    async with launch(BLANK, compositor=compositor):
        for n in range(5):
            clipboard.write_text(f"ours {n}")
            async with xclip_holding(f"theirs {n}".encode(), "-selection", "clipboard"):
                clipboard.write_text(f"back {n}")
            assert (await xclip_out("-selection", "clipboard")).stdout == f"back {n}".encode()
            assert await clipboard.read_text() == f"back {n}"
