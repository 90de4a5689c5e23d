"""Tags Tkhtml's fragment parser crashed on are inserted under another name,
and the compositor still reports the page's own tag."""

from __future__ import annotations

import pytest

from tkelectron.common._messages import Insert, RemoveAttr, ReplaceDocument, SetHTML
from tkelectron.main.compositor._tk_tags import tag_names, tkhtml_safe

#: Each of these, inserted as a fragment, ended main with SIGSEGV.
CRASHED = ("abbr article aside bdi bdo data del details dialog figcaption figure footer header hgroup ins "
           "main mark meter nav output progress q rp rt ruby section summary time my-widget").split()


def test_renamed_html_keeps_the_tag_and_everything_else() -> None:
    assert tkhtml_safe('<section data-tke-id="5" class="a">x</section>') == \
        '<div data-tke-tag="section" data-tke-id="5" class="a">x</div>'
    assert tkhtml_safe('<p data-tke-id="1">x<mark data-tke-id="2">y</mark></p>') == \
        '<p data-tke-id="1">x<span data-tke-tag="mark" data-tke-id="2">y</span></p>'
    assert tkhtml_safe("<select><optgroup label=\"g\"><option>o</option></optgroup></select>") == \
        "<select><option>o</option></select>"
    assert tkhtml_safe("<p>colour</p><input>") == "<p>colour</p><input>"


@pytest.mark.parametrize("html", [
    '<li data-tke-id="5">a</li><li data-tke-id="6">b</li>',
    '<section data-tke-id="5"><my-widget data-tke-id="6">x</my-widget></section>',
    '<div data-tke-id="5"><input data-tke-id="6"><textarea data-tke-id="7">t</textarea></div>',
    "plain text",
])
def test_names_read_once_give_what_tkhtml_safe_finds_itself(html: str) -> None:
    names = tag_names(html)
    assert names == {n for n in ("li", "section", "my-widget", "div", "input", "textarea") if f"<{n}" in html}
    assert tkhtml_safe(html, names) == tkhtml_safe(html)


def test_every_tag_that_crashed_tkhtml_is_inserted_and_reported_as_itself(tk_kit) -> None:
    tk_kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"><p data-tke-id="3">a</p></body></html>')])
    html = "".join(f'<{tag} data-tke-id="{10 + i}">{tag} text</{tag}>' for i, tag in enumerate(CRASHED))
    tk_kit.apply([Insert(2, html, 3)])
    for i, tag in enumerate(CRASHED):
        info = tk_kit.surface.element(10 + i)
        assert info is not None and info.tag == tag and info.text == f"{tag} text", tag
        assert "data-tke-tag" not in info.attributes
    assert tk_kit.surface.query("section") == [10 + CRASHED.index("section")]
    assert "<section" in tk_kit.surface.html() and "data-tke-tag" not in tk_kit.surface.html()
    # Rebuilding one (an attribute removed) and replacing content go through the same parser.
    section = 10 + CRASHED.index("section")
    tk_kit.apply([SetHTML(section, '<nav data-tke-id="99" class="k">in</nav>'), RemoveAttr(99, "class")])
    assert tk_kit.surface.element(99).tag == "nav" and "class" not in tk_kit.surface.element(99).attributes


@pytest.mark.parametrize("html", [
    ('<table data-tke-id="20"><colgroup data-tke-id="21"><col data-tke-id="22"></colgroup><tr data-tke-id="23">'
     '<td data-tke-id="24">cell</td></tr></table>'),
    '<select data-tke-id="20"><optgroup data-tke-id="21" label="g"><option data-tke-id="22">o</option></optgroup></select>',
])
def test_column_groups_and_option_groups_are_unwrapped(tk_kit, html) -> None:
    tk_kit.apply([ReplaceDocument('<html data-tke-id="1"><body data-tke-id="2"></body></html>')])
    tk_kit.apply([Insert(2, html, None)])
    assert tk_kit.surface.element(20) is not None and tk_kit.surface.element(21) is None
