"""Loading a page: scripts, stylesheets, events, console and window."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import trio

from tkelectron.common._messages import ReplaceDocument
from tkelectron.renderer._dom import Document
from tkelectron.renderer._page import Console, Window, load_page


class World:
    """A document, window and console wired as the renderer wires them."""

    def __init__(self, spawn: Callable[..., Any] | None = None) -> None:
        self.messages: list[tuple[str, str]] = []
        self.errors: list[BaseException] = []
        self.document = Document(spawn=spawn or (lambda *a: None), report_error=self.errors.append)
        self.console = Console(lambda level, msg: self.messages.append((level, msg)))
        self.window = Window(self.document, self.console)

    def load(self, path: Path) -> None:
        load_page(str(path), self.document, self.window, self.console, self.errors.append)

    def logs(self) -> list[str]:
        return [m for level, m in self.messages if level == "log"]


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return folder / "index.html"


def test_console_levels_and_joining() -> None:
    got: list[tuple[str, str]] = []
    console = Console(lambda level, msg: got.append((level, msg)))
    console.log("a", 1, None)
    console.info("i")
    console.warn("w")
    console.error("e")
    console.debug("d")
    assert got == [("log", "a 1 None"), ("info", "i"), ("warning", "w"), ("error", "e"), ("debug", "d")]


def test_window_expose_first_stays() -> None:
    world = World()
    world.window._expose("api", {"v": 1})
    assert world.window.api == {"v": 1}
    with pytest.raises(ValueError):
        world.window._expose("api", {"v": 2})
    with pytest.raises(ValueError):
        world.window._expose("document", 1)
    assert world.window.api == {"v": 1}
    with pytest.raises(AttributeError):
        world.window.api = 3
    with pytest.raises(AttributeError):
        world.window.missing  # noqa: B018
    world.window.mine = 5  # the page may keep its own things on window
    assert world.window.mine == 5


def test_scripts_run_in_order_before_dom_content_loaded_before_load(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": """<!doctype html>
<html><head><title>T</title>
<script type="text/python">
    console.log("inline head")
    order = ["head"]
</script>
</head><body>
<p id="out">start</p>
<script src="first.py"></script>
<script type="text/python">
    order.append("inline body")
    document.add_event_listener("DOMContentLoaded", lambda e: console.log("DOMContentLoaded", e.target is document))
    window.add_event_listener("load", lambda e: console.log("load", " ".join(order)))
</script>
</body></html>""",
            "first.py": 'order.append("first.py")\nconsole.log("first.py", __name__)\n'
            'document.get_element_by_id("out").text_content = "changed"\n',
        },
    )
    world = World()
    world.load(page)
    assert world.errors == []
    assert world.logs() == [
        "inline head",
        "first.py __page__",
        "DOMContentLoaded True",
        "load head first.py inline body",
    ]
    ops = world.document.take_ops()
    assert len(ops) == 1 and isinstance(ops[0], ReplaceDocument) and ">changed</p>" in ops[0].html


def test_dom_content_loaded_bubbles_to_window(tmp_path: Path) -> None:
    page = write(tmp_path, {"index.html": "<p>x</p>"})
    world = World()
    seen: list[str] = []
    world.window.add_event_listener("DOMContentLoaded", lambda e: seen.append("window DCL"))
    world.window.add_event_listener("load", lambda e: seen.append("load"))
    world.load(page)
    assert seen == ["window DCL", "load"]


def test_raising_script_is_reported_with_real_filename_and_next_runs(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": '<script src="bad.py"></script>\n<script src="good.py"></script>\n'
            '<script type="text/python">\n\n    1 / 0\n</script>',
            "bad.py": "x = 1\nraise RuntimeError('bad script')\n",
            "good.py": "console.log('good ran')\n",
        },
    )
    world = World()
    world.load(page)
    assert world.logs() == ["good ran"]
    assert [type(e) for e in world.errors] == [RuntimeError, ZeroDivisionError]
    frames = traceback.extract_tb(world.errors[0].__traceback__)
    assert frames[-1].filename == str((tmp_path / "bad.py").resolve()) and frames[-1].lineno == 2
    inline = traceback.extract_tb(world.errors[1].__traceback__)[-1]
    # The inline script reports the page file and the line within it.
    assert inline.filename == str(page.resolve()) and inline.lineno == 5
    assert inline.line == "1 / 0"


def test_syntax_error_and_missing_script_are_reported(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": '<script src="broken.py"></script><script src="nowhere.py"></script>'
            '<script type="text/python">console.log("still")</script>',
            "broken.py": "def (:\n",
        },
    )
    world = World()
    world.load(page)
    assert [type(e) for e in world.errors] == [SyntaxError, FileNotFoundError]
    assert world.logs() == ["still"]


def test_import_of_tkelectron_is_refused(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": """<script type="text/python">
try:
    import tkelectron
except ImportError as exc:
    console.log("refused:", exc)
try:
    from tkelectron.renderer import ipc_renderer
except ImportError:
    console.log("refused submodule")
import json
console.log(json.dumps([1]))
</script>"""
        },
    )
    world = World()
    world.load(page)
    assert world.errors == []
    assert world.logs() == [
        "refused: page scripts cannot import tkelectron: use what the preload exposes on window",
        "refused submodule",
        "[1]",
    ]


def test_exposed_api_visible_to_page(tmp_path: Path) -> None:
    page = write(tmp_path, {"index.html": '<script type="text/python">console.log(window.api["hello"]())</script>'})
    world = World()
    world.window._expose("api", {"hello": lambda: "hi from preload"})
    world.load(page)
    assert world.logs() == ["hi from preload"]


def test_local_stylesheets_are_inlined(tmp_path: Path) -> None:
    outside = tmp_path / "secret.css"
    outside.write_text("body { color: red }")
    page = write(
        tmp_path / "app",
        {
            "index.html": '<head><link rel="stylesheet" href="css/site.css" media="screen">'
            '<link rel="stylesheet" href="../secret.css"><link rel="icon" href="x.png">'
            '<link rel="stylesheet" href="https://example.invalid/a.css"></head><body>x</body>',
            "css/site.css": "p > b { color: blue }",
        },
    )
    world = World()
    world.load(page)
    head = world.document.head
    assert head is not None
    assert head.inner_html == '<style media="screen">p > b { color: blue }</style><link rel="icon" href="x.png">'
    warnings = [m for level, m in world.messages if level == "warning"]
    assert len(warnings) == 2 and "../secret.css" in warnings[0] and "https://" in warnings[1]
    (op,) = world.document.take_ops()
    assert isinstance(op, ReplaceDocument) and "p > b { color: blue }</style>" in op.html


def test_javascript_is_skipped_with_warning(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": '<script>alert(1)</script><script src="app.js"></script>'
            '<script type="application/json">{"data": 1}</script>'
            '<script type="text/python">console.log("py")</script>'
        },
    )
    world = World()
    world.load(page)
    warnings = [m for level, m in world.messages if level == "warning"]
    assert len(warnings) == 2 and "app.js" in warnings[1]
    assert world.logs() == ["py"] and world.errors == []


def test_missing_page_raises(tmp_path: Path) -> None:
    world = World()
    with pytest.raises(OSError):
        world.load(tmp_path / "nope.html")


@pytest.mark.trio
async def test_async_listener_from_page_script(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        {
            "index.html": """<button id="b">go</button>
<script type="text/python">
import trio

async def on_click(event):
    await trio.sleep(0)
    document.get_element_by_id("b").text_content = "done"
    console.log("async done")

document.get_element_by_id("b").add_event_listener("click", on_click)
</script>"""
        },
    )
    async with trio.open_nursery() as nursery:
        world = World(spawn=nursery.start_soon)
        world.load(page)
        world.document.take_ops()
        button = world.document.get_element_by_id("b")
        assert button is not None
        button.click()
    assert world.logs() == ["async done"]
    assert button.text_content == "done"
    assert world.errors == []
