"""A compromised renderer against main, on the real tkhtml compositor.

The attacker is a real sandboxed renderer whose code writes commits, console
messages and stderr of its own choosing (``_compromised``). Each attempt must
be refused (the renderer killed as an ``ipc-violation``, the reason logged)
or contained (nothing fetched, embedded, read or crashed); main keeps running
and a second window keeps answering invokes throughout.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import trio
from _compromised import compromised_app, fresh_id

from tkelectron.common._html import MAX_DEPTH
from tkelectron.main._commit_rules import LIMITS
from tkelectron.main._terminal_text import MAX_LINE

pytestmark = pytest.mark.tkelectron("tkhtml")


def _nested(depth: int, tag: str = "div") -> str:
    ids = [fresh_id() for _ in range(depth)]
    return "".join(f'<{tag} data-tke-id="{i}">' for i in ids) + "deep" + f"</{tag}>" * depth


def _insert(parent: int, html: str) -> list[list]:
    return [["Insert", parent, html, None]]


def _layout(c) -> None:
    """Have Tkhtml lay out and draw what it was given (it crashes there, if anywhere)."""
    c.surface.toplevel.update_idletasks()


# -- nesting -----------------------------------------------------------------------


async def test_nesting_at_the_limit_is_drawn_and_past_it_is_a_violation(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        # <body> is depth 2: 510 more levels reach the limit exactly.
        await c.contained("commit", _insert(ids["body"], _nested(MAX_DEPTH - 2)))
        _layout(c)
        assert "deep" in c.surface.html()
        reason = await c.violation("commit", _insert(ids["body"], _nested(MAX_DEPTH - 1)))
        assert f"over the limit of {MAX_DEPTH}" in reason
        ids = await c.ids()
        # What crashed main before: ten thousand levels.
        assert "nest" in await c.violation("commit", _insert(ids["body"], _nested(10_000)))
        ids = await c.ids()
        await c.violation("commit", [["SetHTML", ids["target"], _nested(5_000, "span")]])
        ids = await c.ids()
        # One level per op: main knows how deep every displayed element is.
        chain = [fresh_id() for _ in range(MAX_DEPTH)]
        ops = [["Insert", parent, f'<div data-tke-id="{child}"></div>', None]
               for parent, child in zip([ids["body"], *chain], chain, strict=False)]
        assert f"nested {MAX_DEPTH + 1} elements deep" in await c.violation("commit", ops)


async def test_characters_tk_cannot_draw_never_reach_it(compositor, caplog):
    astral = "emoji \U0001F600 and \U00010348"  # Tk 8.6 crashes drawing past the BMP
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        field, area = fresh_id(), fresh_id()
        await c.contained("commit", _insert(ids["body"], f'<input data-tke-id="{field}" value="{astral}">'
                                                       f'<textarea data-tke-id="{area}">{astral}</textarea><p data-tke-id="{fresh_id()}" title="{astral}">{astral}</p>'))
        await c.contained("commit", [["SetValue", field, astral], ["SetText", area, astral], ["SetTitle", astral],
                                     ["SetAttr", ids["target"], "title", astral], ["SetText", ids["status"], astral]])
        await c.app.wait_for(lambda: c.surface.toplevel.winfo_ismapped(), what="the window to be mapped")
        _layout(c)
        assert "emoji" in c.surface.html()


# -- embedding, fetching, reading files -------------------------------------------


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def _connected(sock: socket.socket) -> bool:
    try:
        sock.accept()[0].close()
    except BlockingIOError:
        return False
    return True


async def test_embedded_frames_objects_and_remote_urls_are_not_drawn(compositor, caplog, listener, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # main opening this would block its GUI thread forever
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    attempts = [
        f'<iframe src="file://{secret}"></iframe>',
        f'<iframe src="{url}/frame?stolen=1"></iframe>',
        f'<iframe srcdoc="&lt;img src=&quot;{url}/srcdoc.png&quot;&gt;"></iframe>',
        f'<iframe src="file://{fifo}"></iframe>',
        f'<frameset><frame src="{url}/frame"></frameset>',
        f'<object data="file://{secret}"></object>',
        f'<object data="{url}/object"></object>',
        f'<embed src="{url}/embed">',
        f'<applet code="x" codebase="{url}/applet"></applet>',
        f'<base href="{url}/">',
        f'<link rel="stylesheet" href="{url}/a.css">',
        f'<meta http-equiv="refresh" content="0;url={url}/refresh">',
        f'<img src="{url}/img.png"><img src="file://{secret}">',
        f'<a href="{url}/link">link</a><a href="file://{secret}">file</a>',
        f'<form action="{url}/form"><button formaction="{url}/button">go</button></form>',
        f'<div style="background: url({url}/style.png)">styled</div>',
        f'<div style="background: u\\72l({url}/escaped.png)">escaped</div>',
        f'<style>@import url({url}/import.css); p {{ background: url("{url}/p.png") }}</style>',
        f'<svg><image href="{url}/svg.png"></image></svg>',
        f'<video src="{url}/v.mp4" poster="{url}/poster.png"></video>',
    ]
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        for html in attempts:
            await c.contained("commit", _insert(ids["body"], _with_ids(html)))
        _layout(c)
        shown = c.surface.html()
        for word in ("iframe", "frame", "object", "embed", "applet", "<base", "<link", "http-equiv", "svg",
                     "video", url, "file:", "TOP-SECRET", "@import", "escaped.png"):
            assert word not in shown, word
        assert "styled" in shown and "link" in shown  # the harmless parts are drawn
        assert not _connected(listener)  # main made no request for the renderer
        # No nested Tkhtml frame exists anywhere in main.
        assert not [w for w in _descendants(c.surface.toplevel) if "htmlframe" in str(w).rsplit(".", 1)[-1]
                    and w is not c.surface.frame]
        assert "not drawn" in caplog.text


async def test_set_attribute_cannot_add_what_insert_could_not(compositor, caplog, listener):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        img = fresh_id()
        await c.contained("commit", _insert(ids["body"], f'<img data-tke-id="{img}" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'))
        target = ids["target"]
        await c.contained("commit", [
            ["SetAttr", img, "src", f"{url}/img.png"],
            ["SetAttr", target, "src", f"{url}/div.png"],
            ["SetAttr", target, "srcdoc", f"<img src={url}/x>"],
            ["SetAttr", target, "data", f"{url}/object"],
            ["SetAttr", target, "onclick", "steal()"],
            ["SetAttr", target, "style", f"color: red; background-image: url('{url}/bg.png')"],
            ["SetAttr", ids["status"], "style", "@import 'x.css'; background: URL( {url}/upper.png )"],
        ])
        _layout(c)
        shown = c.surface.html()
        assert url not in shown and "srcdoc" not in shown and "onclick" not in shown
        assert "color: red" in shown  # the harmless part of the style stays
        assert "src=" not in shown.split(f'data-tke-id="{img}"', 1)[1].split(">", 1)[0]  # the refused value removed the old
        assert not _connected(listener)


async def test_an_object_naming_another_window_s_widget_embeds_nothing(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        victim = c.bystander._surface
        before = (victim.html(), victim.frame.winfo_manager(), victim.html_widget.winfo_manager())
        ids = await c.ids()
        for path in (str(victim.html_widget), str(victim.frame), str(victim.toplevel)):
            await c.contained("commit", _insert(ids["body"], f'<object data-tke-id="{fresh_id()}" data="{path}"></object>'))
        _layout(c)
        await c.contained("commit", [["SetHTML", ids["body"], f'<p data-tke-id="{fresh_id()}">emptied</p>']])
        _layout(c)
        assert (victim.html(), victim.frame.winfo_manager(), victim.html_widget.winfo_manager()) == before
        assert "object" not in c.surface.html()


async def test_widgets_sized_past_what_x_allows_do_not_end_main(compositor, caplog):
    """Each of these ended main with an X error (BadValue on CreatePixmap) in a
    plain tkinterweb frame; the attributes are held to a ceiling, and an X error
    CSS still causes is absorbed (``tests/compositor/test_x_errors.py``)."""
    huge = "width: 1000000px; height: 1000000px"
    attempts = [
        '<textarea rows="100000" cols="100000">x</textarea>', '<input size="10000000">',
        f'<input style="{huge}">', f'<textarea style="{huge}">x</textarea>',
        f'<select style="{huge}"><option>a</option></select>', f'<input type="range" style="{huge}">',
        f'<input type="color" style="{huge}">', f'<style>input {{ {huge} }}</style><input>',
    ]
    attempts += [  # Tk formats these into a fixed buffer: SIGSEGV
        '<input type="number" min="-1e100" max="1e100">', '<input type="number" min="-1e300" max="0" step="nan">',
        '<input type="range" min="-1e308" max="1e308" step="1e-308">', '<meter min="-1e300" max="inf" value="1">',
    ]
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        await c.app.wait_for(lambda: c.surface.toplevel.winfo_ismapped(), what="the window to be mapped")
        number = fresh_id()
        await c.contained("commit", _insert(ids["body"], f'<input type="number" data-tke-id="{number}">'))
        await c.contained("commit", [["SetAttr", number, "min", "-1e200"], ["SetAttr", number, "max", "1e200"]])
        _layout(c)
        for html in attempts:
            await c.contained("commit", [["Insert", ids["body"], _with_ids(html), ids["status"]]])
            _layout(c)
        await c.contained("commit", [["SetText", ids["status"], "drawn after"]])
        _layout(c)
        assert "drawn after" in c.surface.html()


async def test_tags_tkhtml_s_fragment_parser_crashed_on_are_drawn(compositor, caplog):
    tags = "section nav main article aside header footer mark time details summary dialog my-widget".split()
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        # Each of these ended main (SIGSEGV in Tkhtml's fragment parser), from an honest page too.
        html = "".join(f"<{t}>{t}</{t}>" for t in tags) + "<table><colgroup><col></colgroup><tr><td>c</td></tr></table>"
        await c.contained("commit", _insert(ids["body"], _with_ids(html)))
        await c.contained("commit", [["SetHTML", ids["target"], _with_ids("<section><mark>m</mark></section>")]])
        _layout(c)
        shown = c.surface.html()
        assert all(f"<{t} " in shown for t in tags)


async def test_the_document_s_own_elements_cannot_be_taken_away(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        # Tkhtml crashes when <html>, <head> or <body> leaves the document.
        await c.contained("commit", [["Remove", ids["body"]], ["Remove", ids["head"]], ["Remove", ids["html"]],
                                     ["SetHTML", ids["html"], "<p>x</p>"], ["SetText", ids["html"], "x"]])
        _layout(c)
        assert "<body" in c.surface.html() and "<head" in c.surface.html()


async def test_a_page_cannot_take_the_keyboard_from_another_window(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        field = fresh_id()
        await c.contained("commit", _insert(ids["body"], f'<input data-tke-id="{field}">'))
        victim = c.bystander._surface
        c.bystander.focus()
        await c.app.wait_for(lambda: _focus_in(victim), what="the bystander to have the keyboard")
        await c.contained("commit", [["Focus", field], ["Focus", ids["target"]]] * 50)
        _layout(c)
        assert _focus_in(victim)  # the keyboard stayed where the user was typing
        c.attacker.focus()  # the user goes to the attacker's window: now its request is honoured
        await c.app.wait_for(lambda: _focus_in(c.surface), what="the attacker's window to have the keyboard")


def _focus_in(surface) -> bool:
    try:
        widget = surface.toplevel.focus_get()
    except KeyError:
        return False
    return widget is not None and widget.winfo_toplevel() is surface.toplevel


# -- node ids -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "1.5", "", " 7", "0x10", "99999999999999999999", None, "taken"])
async def test_malformed_or_repeated_node_ids_are_violations(compositor, caplog, bad):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        value = str(ids["status"]) if bad == "taken" else bad
        attr = "" if value is None else f' data-tke-id="{value}"'
        reason = await c.violation("commit", _insert(ids["body"], f"<p{attr}>x</p>"))
        assert ("already displayed" if bad == "taken" else "node ids are positive integers") in reason


async def test_an_op_rewriting_the_id_attribute_is_a_violation(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        assert "data-tke-id" in await c.violation("commit", [["SetAttr", ids["target"], "data-tke-id", "abc"]])


# -- size and floods --------------------------------------------------------------------


async def test_huge_commits_are_violations_and_large_ones_are_sliced(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        # 2 MB of 100,000 elements: past the window's element limit.
        many = "".join(f'<b data-tke-id="{fresh_id()}"></b>' for _ in range(100_000))
        assert "elements" in await c.violation("commit", _insert(ids["body"], many))
        ids = await c.ids()
        assert "characters" in await c.violation("commit", [["SetText", ids["target"], "x" * (LIMITS.commit_bytes + 1)]])
        ids = await c.ids()
        rules = "".join(f".c{i} div p {{ color: red }}\n" for i in range(LIMITS.window_css // 20))
        assert "style sheets" in await c.violation("commit", _insert(ids["body"], _with_ids(f"<style>{rules}</style>")))
        ids = await c.ids()
        # Spans Tkhtml allocates for are held to HTML's own ceiling (a million columns cost 134 MB).
        await c.contained("commit", _insert(ids["body"], _with_ids(
            '<table><tr><td colspan="1000000" rowspan="99999999">x</td></tr></table><textarea rows="100000">t</textarea>')))
        shown = c.surface.html()
        assert 'colspan="1000"' in shown and 'rowspan="1000"' in shown and 'rows="1000"' in shown
        # A legal but large commit is applied in slices, with main's loop running between them.
        applied: list[int] = []
        ticks: list[int] = []
        surface = c.surface
        real_apply = surface.apply
        surface.apply = lambda ops: (applied.append(len(ops)), real_apply(ops))

        def tick() -> None:  # a Tk timer: it runs only when main's loop turns
            ticks.append(len(applied))
            if len(ticks) < 1000:
                surface.toplevel.after(1, tick)

        surface.toplevel.after(1, tick)
        rows = "".join(f'<li data-tke-id="{fresh_id()}">row {i}</li>' for i in range(LIMITS.window_elements // 2))
        await c.contained("commit", _insert(ids["body"], f'<ul data-tke-id="{fresh_id()}">{rows}</ul>'))
        del surface.apply
        assert len(applied) >= (LIMITS.window_elements // 2) // LIMITS.slice_elements
        assert any(0 < n < len(applied) for n in ticks), "main's loop never ran between slices"
        ids_after = c.surface.query("li")
        assert len(ids_after) == LIMITS.window_elements // 2


async def test_long_text_is_cut_into_runs_tkhtml_lays_out_quickly(compositor, caplog):
    from tkelectron.main._html_sanitizer import RUN_LINES

    lines = "".join(f"line {i}\n" for i in range(50_000))  # one <pre> text of these took Tkhtml 36 s
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        pre = fresh_id()
        await c.contained("commit", _insert(ids["body"], f'<pre data-tke-id="{pre}">{lines}</pre>'))
        _layout(c)
        assert c.surface.html().count("<span>") >= 50_000 // RUN_LINES
        shown = c.surface.element(pre).text
        assert shown.count("\n") >= 49_999 and "line 49999" in shown
        await c.contained("commit", [["SetText", pre, lines.upper()]])  # the same through SetText
        _layout(c)
        assert "LINE 49999" in c.surface.element(pre).text
        ids = await c.ids()
        assert "characters of text" in await c.violation("commit", [
            ["SetText", ids["target"], "x" * (LIMITS.window_text // 2)],
            ["SetText", ids["status"], "y" * (LIMITS.window_text // 2 + 1)],
        ])


async def test_superseded_updates_are_coalesced(compositor, caplog):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        applied: list = []
        surface = c.surface
        real_apply = surface.apply
        surface.apply = lambda ops: (applied.extend(ops), real_apply(ops))
        await c.contained("commit", [["SetText", ids["target"], f"text {i}"] for i in range(1000)])
        del surface.apply
        assert [op.text for op in applied] == ["text 999"]
        assert "text 999" in c.surface.html()


async def test_a_flood_of_commits_console_and_stderr_leaves_other_windows_answering(compositor, caplog, capfd):
    async with compromised_app(compositor, caplog) as c:
        ids = await c.ids()
        answered_during: list[bool] = []
        flooding = True

        async def flood() -> None:
            nonlocal flooding
            try:
                sent = await c.send("flood", 2.0, ids["target"], ids["body"])
                assert sent["commits"] > 0 and sent["console"] > 0
            finally:
                flooding = False

        async with trio.open_nursery() as nursery:
            nursery.start_soon(flood)
            while flooding:
                await c.bystander_answers()
                answered_during.append(flooding)
        assert sum(answered_during) >= 3  # the bystander kept answering while the flood went on
        assert not c.gone and not c.attacker.web_contents.is_crashed()
        output = _Output(capfd)
        await c.app.wait_for(lambda: "console messages not printed" in output.read(), what="the held-back count")
        out = output.text  # main printed a bounded number of them
        assert "\x1b" not in out


async def test_stderr_without_newlines_is_read_in_bounded_lines(compositor, caplog, capfd):
    async with compromised_app(compositor, caplog) as c:
        # 24 MB with no newline: the write returns only once main has read it all.
        assert await c.contained("stderr", b"y" * (1 << 20), 24) == 24 << 20
        await c.contained("stderr", b"\nlast line\n")
        output = _Output(capfd)
        await c.app.wait_for(lambda: "last line" in output.read(), what="the last stderr line")
        lines = [line for line in output.text.splitlines() if "stderr:" in line]
        cut = [line for line in lines if "yyyy" in line]
        assert cut and all(len(line) < MAX_LINE + 200 for line in cut)
        assert f"{(24 << 20) - MAX_LINE} more bytes" in cut[0]


async def test_escape_sequences_never_reach_main_s_terminal(compositor, caplog, capfd):
    nasty = "\x1b[2J\x1b[H\x1b]52;c;c3RvbGVu\x07\x1b]0;pwned\x07\x9b31m\u202eevil\rforged [window 1] log: ok"
    async with compromised_app(compositor, caplog) as c:
        await c.contained("console", "error", nasty + "\n[window 99] log: a forged line", nasty, 7)
        await c.contained("stderr", (nasty + "\n").encode())
        await c.contained("commit", [["SetTitle", nasty]])
        await c.contained("preload_error", nasty, "Error" + nasty, nasty, "Traceback\n" + nasty)
        output = _Output(capfd)
        await c.app.wait_for(lambda: "forged" in output.read() and "stderr:" in output.text, what="the output")
        out = output.text
        for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
            assert raw not in out, repr(raw)
        assert "\\x1b[2J" in out and "\\x1b]52;c;" in out
        assert "\n[window 99]" not in out  # a message's own newline cannot start a line of main's
        assert "\x1b" not in c.attacker.get_title() and "\x07" not in c.attacker.get_title()
        assert "\\x1b]52" in caplog.text and "\x1b" not in caplog.text  # main's log: escaped too


# -- helpers ----------------------------------------------------------------------------

class _Output:
    """What main printed so far (captured at the file descriptor)."""

    def __init__(self, capfd) -> None:
        self.capfd = capfd
        self.text = ""

    def read(self) -> str:
        self.text += self.capfd.readouterr().out
        return self.text


def _with_ids(html: str) -> str:
    """Give every start tag in ``html`` a fresh node id, as the attacker's own elements."""
    out, i = [], 0
    while True:
        j = html.find("<", i)
        if j < 0:
            out.append(html[i:])
            return "".join(out)
        out.append(html[i:j])
        end = html.find(">", j)
        tag = html[j:end]
        if tag.startswith("</"):
            out.append(tag + ">")
        else:
            void = tag.endswith("/")
            out.append(f'{tag.rstrip("/")} data-tke-id="{fresh_id()}"{"/" if void else ""}>')
        i = end + 1


def _descendants(widget) -> list:
    found, todo = [], [widget]
    while todo:
        w = todo.pop()
        kids = w.winfo_children()
        found.extend(kids)
        todo.extend(kids)
    return found
