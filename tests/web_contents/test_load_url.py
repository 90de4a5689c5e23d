"""web_contents.load_url / BrowserWindow.load_url: file: pages inside the app
and data: pages load in a fresh renderer with Electron's loading events; a
file: URL outside the app and every remote URL are refused at the call,
leaving the current page as it was. Real Tkhtml windows and headless."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tkelectron.testing import launch

APP = Path(__file__).parent / "apps" / "pages"
_EVENTS = ("did-start-loading", "did-start-navigation", "did-navigate", "did-finish-load", "did-stop-loading")


def _record(wc: Any) -> list[tuple[Any, ...]]:
    seen: list[tuple[Any, ...]] = []
    for name in _EVENTS:
        wc.on(name, lambda event, *args, name=name: seen.append((name, *args)))
    return seen


@pytest.mark.tkelectron
async def test_file_and_data_urls_load_with_electron_s_events(compositor: str) -> None:
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        window, wc = win.window, win.window.web_contents
        seen = _record(wc)
        child = (APP / "child.html").as_uri()
        first_pid = wc.get_os_process_id()
        await window.load_url(child + "#top")
        await win.wait_for_text("#kid", "a child window")
        assert wc.get_url() == child and wc.get_os_process_id() != first_pid  # a fresh renderer
        await app.wait_for(lambda: len(seen) == 5, what="did-stop-loading")
        assert seen == [("did-start-loading",), ("did-start-navigation", child, False, True),
                        ("did-navigate", child, -1, ""), ("did-finish-load",), ("did-stop-loading",)]
        # A data: page: inline scripts run, the preload too, and relative
        # references start at the app's folder.
        html = ('<html><head><title>Data</title></head><body><p id="d">from data</p>'
                '<script type="text/python">document.get_element_by_id("d").inner_text += "!"</script></body></html>')
        url = "data:text/html," + quote(html)
        await wc.load_url(url)
        await win.wait_for_text("#d", "from data!")
        assert wc.get_url() == url and await win.title() == "Data"
        encoded = base64.b64encode(b'<p id="d">x</p><script src="scripts/renderer.py"></script>').decode()
        await wc.load_url(f"data:text/html;charset=utf-8;base64,{encoded}")
        await win.wait_for_text("#d", "script ran")
        await wc.load_url("about:blank")
        assert wc.get_url() == "data:text/html," and await win.wait_for_selector("body")
        # Reload keeps the data: page.
        await wc.load_url("data:text/html,<p id=again>again</p>")
        reloaded = wc.reload()
        assert reloaded is not None
        await reloaded
        await win.wait_for_text("#again", "again")
        # Links from a data: page lead to the app's pages.
        # Counted, not "the last event seen": each load's did-stop-loading comes from a task, so
        # first every earlier load (the reload's included) has ended, then this one's ends.
        await app.wait_for(lambda: seen.count(("did-stop-loading",)) == seen.count(("did-start-loading",)),
                           what="every earlier load's did-stop-loading")
        stops = seen.count(("did-stop-loading",))
        await wc.load_url('data:text/html,<a id="go" href="child.html">go</a>')
        await app.wait_for(lambda: seen.count(("did-stop-loading",)) > stops, what="the data: page's did-stop-loading")
        seen.clear()
        await win.click("#go")
        await app.wait_for(lambda: wc.get_url() == child, what="the link from the data: page to load child.html")
        await win.wait_for_text("#kid", "a child window")
        # A followed link loads as load_url does, with the same events.
        await app.wait_for(lambda: len(seen) == 5, what="the link's did-stop-loading")
        assert seen == [("did-start-loading",), ("did-start-navigation", child, False, True),
                        ("did-navigate", child, -1, ""), ("did-finish-load",), ("did-stop-loading",)]


@pytest.mark.tkelectron
async def test_urls_that_do_not_load_are_refused_at_the_call(compositor: str, tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_text("<p>not the app's</p>")
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.window.web_contents
        url, pid = wc.get_url(), wc.get_os_process_id()
        seen = _record(wc)
        remote = "only file: and data: URLs"
        refused: list[tuple[Any, type[Exception], str]] = [
            ("https://example.com/", ValueError, remote),
            ("http://localhost:8000/index.html", ValueError, remote),
            ("ftp://example.com/x.html", ValueError, remote),
            ("javascript:alert(1)", ValueError, remote),
            ("index.html", ValueError, remote),  # a URL, not a path (load_file takes paths)
            (outside.as_uri(), ValueError, "only local pages inside the app load"),
            ("file:///etc/passwd", ValueError, "not an .html file|only local pages"),
            ((APP / "main.py").as_uri(), ValueError, "not an .html file"),
            ((APP / "absent.html").as_uri(), ValueError, "not an .html file"),
            ("file:///app/a%00b.html", ValueError, "NUL byte"),
            ("file:///" + "x" * 9000 + ".html", ValueError, "at most 8192"),
            ("data:text/plain,hello", ValueError, "must be text/html"),
            ("data:text/html;charset=latin-1,caf%E9", ValueError, "must be UTF-8"),
            ("data:text/html;base64,***", ValueError, "base64"),
            ("data:text/html,caf%E9", ValueError, "not UTF-8"),
            ("data:text/html", ValueError, "comma"),
            ("data:text/html," + "x" * (2 * 1024 * 1024), ValueError, "at most"),
            (None, TypeError, "URL string"),
        ]
        for bad, error, match in refused:
            with pytest.raises(error, match=match):
                wc.load_url(bad)
        with pytest.raises(ValueError, match="renderer"):  # and it says why
            win.window.load_url("https://example.com/")
        with pytest.raises(ValueError, match="'postData' is not supported"):
            wc.load_url((APP / "child.html").as_uri(), {"postData": b"x"})
        with pytest.raises(ValueError, match="unknown load_url option 'foo'"):
            wc.load_url((APP / "child.html").as_uri(), {"foo": 1})
        # Nothing started: the page, its renderer and its events are as they were.
        assert (wc.get_url(), wc.get_os_process_id(), seen) == (url, pid, [])
        await win.wait_for_text("#head", "Fruit")
        # Electron's HTTP options have nothing to act on and are accepted.
        await wc.load_url((APP / "child.html").as_uri(), {"userAgent": "x", "httpReferrer": "y"})
        await win.wait_for_text("#kid", "a child window")
