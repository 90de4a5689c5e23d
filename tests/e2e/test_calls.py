"""Beyond Electron: cancellation both ways, typed handlers, and streams with
backpressure — with real renderer processes."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

from tkelectron import IpcRemoteError
from tkelectron.testing import launch

APP = Path(__file__).resolve().parents[1] / "apps" / "calls_probe"
pytestmark = pytest.mark.tkelectron("headless")



async def test_a_renderer_that_stops_waiting_cancels_mains_handler(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        assert await win.web_contents.invoke("invoke-with-timeout", "slow", 0.2) is True
        log = app.module.log
        await app.wait_for(lambda: "slow cancelled" in log, what="main's handler to see Cancelled")
        assert log == ["slow started", "slow cancelled"]
        assert len(win.web_contents._answers) == 0  # nothing left running for the renderer


async def test_main_that_stops_waiting_cancels_the_renderers_handler(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        with trio.move_on_after(0.2):
            await wc.invoke("renderer-slow")
        seen = await wc.invoke("wait-seen", 2)
        assert seen == ["renderer slow started", "renderer slow cancelled"]
        assert len(wc._calls) == 0


async def test_a_typed_handler_converts_good_input_and_refuses_bad_input_naming_the_field(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        good = await wc.invoke("try-invoke", "area", {"top_left": {"x": 1, "y": 2}, "size": 3}, 2.0)
        assert good == {"ok": 18.0}
        assert app.module.log == [("area ran", "Box", "Point")]
        bad = await wc.invoke("try-invoke", "area", {"top_left": {"x": "one", "y": 2}, "size": 3})
        assert bad["remote_type"] == "IpcValidationError" and bad["is_value_error"]
        assert "argument 'box'" in bad["message"] and "$.top_left.x" in bad["message"]
        negative = await wc.invoke("try-invoke", "area", {"top_left": {"x": 1, "y": 2}, "size": -1})
        assert "Expected `int` >= 1 - at `$.size`" in negative["message"], negative
        assert len(app.module.log) == 1  # the handler never ran on bad input
        assert await wc.invoke("try-invoke", "untyped", {"any": ("thing",)}) == {"ok": {"any": ("thing",)}}


async def test_an_exception_returned_as_a_value_resolves_the_call_both_ways(compositor):
    # Errors clone (as structured clone does in Electron): a handler that
    # *returns* one resolves the invoke with it; only a raised one rejects.
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        wc = win.web_contents
        from_main = await wc.invoke("try-invoke", "untyped", KeyError("a value"))
        assert type(from_main["ok"]) is KeyError and from_main["ok"].args == ("a value",)
        from_renderer = await wc.invoke("echo-value", ValueError("also a value"))
        assert type(from_renderer) is ValueError and from_renderer.args == ("also a value",)


async def test_a_stream_delivers_in_order_and_ends(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        result = await win.web_contents.invoke("collect", "count", 100)
        assert result == {"values": list(range(100))}
        failed = await win.web_contents.invoke("collect", "count-then-fail", 3)
        assert failed == {"values": [0, 1, 2], "error": ["KeyError", "'out of numbers'"]}


async def test_a_slow_consumer_keeps_the_producer_bounded_and_breaking_stops_it(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        module = app.module
        values = await win.web_contents.invoke("slow-consumer", "endless", 40)
        assert values == list(range(40))
        await app.wait_for(lambda: "endless closed" in module.log, what="the producer to be closed")
        # The producer never ran more than the credit window ahead of the consumer.
        from tkelectron.common._calls import STREAM_WINDOW

        assert len(module.produced) <= 40 + STREAM_WINDOW, len(module.produced)


async def test_main_can_stream_from_the_renderer(compositor):
    async with launch(APP, compositor=compositor) as app:
        win = await app.first_window()
        squares = [value async for value in win.web_contents.stream("renderer-count", 6)]
        assert squares == [0, 1, 4, 9, 16, 25]
        with pytest.raises(IpcRemoteError, match="does not stream"):
            async for _ in win.web_contents.stream("seen"):
                pass
