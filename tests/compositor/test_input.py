"""The shared suite, part 2: user input becomes the right InputEvents.

Headless input is simulated; tkhtml input is real (xdotool under Xvfb).
"""

from __future__ import annotations

import pytest

from tkelectron.common._messages import ReplaceDocument, SetValue
from tkelectron.testing._display import xdotool

from .conftest import Kit

PAGE = """<html data-tke-id="1"><body data-tke-id="2">
<button data-tke-id="3" style="padding: 12px 30px">Press</button>
<button data-tke-id="11"><b data-tke-id="4" style="font-size: 24px">here</b></button>
<p data-tke-id="5" style="font-size: 20px">Just some text to click</p>
<input data-tke-id="6" value="">
<input data-tke-id="7" type="checkbox" value="ok">
<input data-tke-id="8" type="radio" name="r" value="r1">
<input data-tke-id="9" type="radio" name="r" value="r2" checked>
<textarea data-tke-id="10"></textarea>
</body></html>"""


@pytest.fixture
def page(kit: Kit) -> Kit:
    kit.apply([ReplaceDocument(PAGE)])
    return kit


def test_click_on_a_button(page: Kit) -> None:
    event = page.click(3)
    assert (event.type, event.target, event.checked) == ("click", 3, None)


def test_click_on_text_climbs_to_its_element(page: Kit) -> None:
    event = page.click(5)
    assert event.target == 5 and event.value is None


def test_click_on_a_nested_element_targets_the_innermost(page: Kit) -> None:
    event = page.click(4)
    assert event.target == 4


def test_typing_reports_input_then_enter_reports_change(page: Kit) -> None:
    page.type_text(6, "abc")
    assert page.events("input", 6)[-1].value == "abc"
    assert page.surface.element(6).value == "abc"
    page.press(6, "Enter")
    assert [e.value for e in page.events("change", 6)][-1] == "abc"
    downs = [e.key for e in page.events("keydown", 6)]
    assert "Enter" in downs
    if page.real:
        # Every keystroke was an input event, in order, each with the value so far.
        assert [e.value for e in page.events("input", 6)] == ["a", "ab", "abc"]
        assert downs[:3] == ["a", "b", "c"]


def test_special_keys_have_dom_names(page: Kit) -> None:
    page.focus_control(6)
    for key in ("Escape", "ArrowUp", "Backspace", "x"):
        page.press(6, key)
    downs = [e.key for e in page.events("keydown", 6)]
    ups = [e.key for e in page.events("keyup", 6)]
    assert downs[-4:] == ["Escape", "ArrowUp", "Backspace", "x"]
    assert ups[-4:] == ["Escape", "ArrowUp", "Backspace", "x"]


def test_checkbox_click_reports_checked(page: Kit) -> None:
    first = page.click(7)
    assert (first.checked, first.value) == (True, "ok")
    assert page.surface.element(7).checked is True
    second = page.click(7)
    assert second.checked is False
    assert page.surface.element(7).checked is False


def test_radio_click_checks_it_and_unchecks_its_group(page: Kit) -> None:
    assert page.surface.element(9).checked is True
    event = page.click(8)
    assert (event.checked, event.value) == (True, "r1")
    assert page.surface.element(8).checked is True
    assert page.surface.element(9).checked is False


def test_typing_in_a_textarea(page: Kit) -> None:
    page.type_text(10, "hi")
    assert page.events("input", 10)[-1].value == "hi"
    assert page.surface.element(10).value == "hi"


def test_renderer_value_then_user_typing(page: Kit) -> None:
    page.apply([SetValue(6, "pre")])
    assert page.events("input", 6) == []
    if page.real:
        page.focus_control(6)
        page.surface.entry_widget(6).icursor("end")
        xdotool("type", "x")
        page.wait_for(lambda: page.events("input", 6), what="input")
        assert page.events("input", 6)[-1].value == "prex"
    else:
        page.surface.simulate_fill(6, "prex")
        assert page.events("input", 6)[-1].value == "prex"
