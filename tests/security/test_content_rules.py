"""Content rules: the page's Content-Security-Policy for scripts, no remote
resources, and no navigation away from the app's own pages.
"""

from __future__ import annotations

import logging
import socket

import pytest
from _security_support import ProbeApp, opened

from tkelectron.testing import launch

OUTSIDE_SCRIPT = 'document.get_element_by_id("outside").text_content = "ran"\n'


def _errors(app) -> list[str]:
    return [message for (_, level, message) in app.console if level == "error"]


async def _page(app, probe_app: ProbeApp, page: str, **prefs):
    (probe_app.folder.parent / "outside.py").write_text(OUTSIDE_SCRIPT)
    window = probe_app.module.open_probe(page, **prefs)
    return await opened(app, window)


async def _marks(win, *ids: str) -> dict[str, str]:
    return {i: (await win.text_content(f"#{i}")).strip() for i in ids}


@pytest.mark.tkelectron("headless")
async def test_script_src_self_runs_only_the_app_folder_s_files(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await _page(app, probe_app, "csp_self.html", sandbox=False)  # so only the CSP can refuse
        assert await _marks(win, "file", "outside", "inline") == {
            "file": "ran",
            "outside": "not run",
            "inline": "not run",
        }
        errors = _errors(app)
        assert any("Refused to run the script '../outside.py'" in e and "\"script-src 'self'\"" in e for e in errors)
        assert any("Refused to run an inline script" in e and "\"script-src 'self'\"" in e for e in errors)


@pytest.mark.tkelectron("headless")
async def test_unsafe_inline_and_nonces_allow_inline_scripts(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        inline = await _page(app, probe_app, "csp_inline.html", sandbox=False)
        assert await _marks(inline, "file", "outside", "inline") == {
            "file": "ran",
            "outside": "not run",
            "inline": "ran",
        }
        nonce = await _page(app, probe_app, "csp_nonce.html")
        assert await _marks(nonce, "file", "inline", "nonce") == {
            "file": "not run",
            "inline": "not run",
            "nonce": "ran",
        }
        assert any("\"script-src 'nonce-r4nd0m'\"" in e for e in _errors(app))


@pytest.mark.tkelectron("headless")
async def test_without_a_policy_every_local_script_runs(compositor, probe_app: ProbeApp):
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await _page(app, probe_app, "no_csp.html", sandbox=False)
        assert await _marks(win, "file", "outside", "inline") == {"file": "ran", "outside": "ran", "inline": "ran"}
        assert not any("Content-Security-Policy" in e for e in _errors(app))


@pytest.mark.tkelectron("headless")
async def test_remote_resources_never_reach_the_display(compositor, probe_app: ProbeApp):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        (probe_app.folder / "remote.html").write_text(
            f"""<!DOCTYPE html><html><head><title>Remote</title>
            <link rel="icon" href="{url}/favicon.ico"><link rel="stylesheet" href="{url}/x.css">
            <style>@import "{url}/y.css"; body {{ background: url('{url}/bg.png'); }}</style></head>
            <body><img id="pic" src="{url}/x.png" alt="remote"><img id="inline" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <p style="background-image: url({url}/p.png)">text</p></body></html>"""
        )
        probe_app.module.autostart = False
        async with launch(probe_app.module, compositor=compositor) as app:
            win = await _page(app, probe_app, "remote.html")
            shown = await win.html()
            assert "127.0.0.1" not in shown  # no remote URL ever reached main's display
            assert "data:image/gif" in shown  # data: URLs are not remote
            warnings = [m for (_, level, m) in app.console if level == "warning"]
            assert any("<img src=" in m and "never load remote resources" in m for m in warnings)


async def _click(win, selector: str) -> None:
    await win.click(selector)
    await win.wait_settled()


@pytest.mark.tkelectron
async def test_links_navigate_only_to_the_app_s_own_pages(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    (probe_app.folder.parent / "outside.html").write_text("<html><body><p id='where'>outside</p></body></html>")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await _page(app, probe_app, "nav.html")
        wc = win.web_contents
        asked: list[str] = []
        wc.on("will-navigate", lambda event, url: asked.append(url))

        await _click(win, "#prevented")  # the page handled it: main is not even asked
        await _click(win, "#fragment")
        assert (await win.text_content("#clicked")).strip() == "prevented" and asked == []

        await _click(win, "#remote")
        await app.wait_for(lambda: asked, what="will-navigate for the remote link")
        assert asked == ["https://example.com/docs"]
        await _click(win, "#outside")
        await app.wait_for(lambda: len(asked) == 2, what="will-navigate for the outside link")
        assert asked[1] == (probe_app.folder.parent / "outside.html").as_uri()
        assert wc.get_url().endswith("/nav.html")  # neither loaded
        assert "navigation to 'https://example.com/docs' refused" in caplog.text

        await _click(win, "#local")
        await app.wait_for(lambda: len(asked) == 3, what="will-navigate for the local link")
        assert asked[2] == (probe_app.folder / "other.html").as_uri()
        await win.wait_for_load()
        await win.wait_for_text("#where", "other")
        assert wc.get_url().endswith("/other.html") and not wc.is_crashed()
        assert app.gone == []  # the old renderer was replaced, not lost


@pytest.mark.tkelectron("headless")
async def test_will_navigate_can_prevent_and_handle_it(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await _page(app, probe_app, "nav.html")
        wc = win.web_contents
        opened_externally: list[str] = []

        def in_system_browser(event, url):  # what an app would do with shell.open_external
            event.prevent_default()
            opened_externally.append(url)

        wc.on("will-navigate", in_system_browser)
        await _click(win, "#remote")
        await _click(win, "#local")
        await app.wait_for(lambda: len(opened_externally) == 2)
        assert opened_externally[0] == "https://example.com/docs"
        assert wc.get_url().endswith("/nav.html")  # prevented: the local page did not load either
        assert "refused" not in caplog.text


@pytest.mark.tkelectron("headless")
async def test_main_checks_navigation_a_tampered_renderer_asks_for(compositor, probe_app: ProbeApp, caplog):
    caplog.set_level(logging.WARNING, logger="tkelectron")
    secret = probe_app.folder.parent / "secret.html"
    secret.write_text("<html><body>secret</body></html>")
    probe_app.module.autostart = False
    async with launch(probe_app.module, compositor=compositor) as app:
        win = await _page(app, probe_app, "nav.html")
        wc = win.web_contents
        for url in (
            secret.as_uri(),
            "file:///etc/passwd",
            (probe_app.folder / "data.txt").as_uri(),
            (probe_app.folder / ".." / "secret.html").as_uri(),
        ):
            await wc.invoke("tampered-navigate", url)
            await app.wait_for(lambda url=url: f"navigation to {url!r} refused" in caplog.text, what=url)
        assert wc.get_url().endswith("/nav.html") and not wc.is_crashed()
