"""Media queries the renderer resolves for Tkhtml (which ignores every @media rule)."""

from __future__ import annotations

import pytest

from tkelectron.renderer._color_scheme import evaluate, resolve_css


@pytest.mark.parametrize(("query", "light", "dark"), [
    ("(prefers-color-scheme: dark)", False, True),
    ("(prefers-color-scheme:light)", True, False),
    ("screen and (prefers-color-scheme: dark)", False, True),
    ("only screen and (prefers-color-scheme: light)", True, False),
    ("not (prefers-color-scheme: dark)", True, False),
    ("print, (prefers-color-scheme: dark)", False, True),
    ("(prefers-color-scheme)", True, True),
    ("(prefers-color-scheme: no-preference)", False, False),
    ("print", False, False),
    ("all", True, True),
    ("", True, True),
    ("not print", True, True),
    ("(min-width: 600px)", None, None),
    ("(min-width: 600px) and (prefers-color-scheme: dark)", False, None),
    ("print and (min-width: 600px)", False, False),
])
def test_queries(query: str, light: bool | None, dark: bool | None) -> None:
    assert (evaluate(query, False), evaluate(query, True)) == (light, dark)


CSS = """a { color: black; }
@media (prefers-color-scheme: dark) { a { color: white; } @media print { b { color: red; } } }
@media (min-width: 600px) { c { color: blue; } }
/* @media (prefers-color-scheme: dark) { d { color: red; } } */
e::after { content: "@media (prefers-color-scheme: dark) {"; }
@media screen and (prefers-color-scheme: light) { f { color: green; } }
"""


def test_a_matching_block_becomes_its_rules_and_the_others_go() -> None:
    dark = resolve_css(CSS, True)
    assert "a { color: white; }" in dark and "@media (prefers-color-scheme" not in dark.split("/*")[0]
    assert "b { color: red; }" not in dark  # the nested print block is resolved too
    assert "f { color: green; }" not in dark
    light = resolve_css(CSS, False)
    assert "color: white" not in light and "f { color: green; }" in light


def test_what_is_not_decided_here_comments_and_strings_stay_as_written() -> None:
    for dark in (False, True):
        out = resolve_css(CSS, dark)
        assert "@media (min-width: 600px) { c { color: blue; } }" in out
        assert "/* @media (prefers-color-scheme: dark) { d { color: red; } } */" in out
        assert 'e::after { content: "@media (prefers-color-scheme: dark) {"; }' in out


def test_broken_css_loses_nothing() -> None:
    assert resolve_css("a{} @media (prefers-color-scheme: dark) { b{}", True) == "a{}  b{}"
    assert resolve_css("a{} @media;", True) == "a{} @media;"
    assert resolve_css("@mediaeval { x{} }", True) == "@mediaeval { x{} }"


def test_style_elements_are_resolved_and_their_originals_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from tkelectron.renderer import _color_scheme
    from tkelectron.renderer._dom import Document

    monkeypatch.setattr(_color_scheme, "_state", _color_scheme._State())
    doc = Document(spawn=lambda *a: None, report_error=lambda e: None)
    doc.load_html('<html><head><style id="a">p{color:black} @media (prefers-color-scheme: dark){p{color:white}}</style>'
                  '<style id="b" media="(prefers-color-scheme: dark)">q{color:gray}</style>'
                  '<style id="c">r{color:red}</style></head><body></body></html>')
    a, b, c = (doc.get_element_by_id(i) for i in "abc")
    assert _color_scheme.resolve_color_scheme(doc) is True
    assert (a.text_content, b.text_content, c.text_content) == ("p{color:black} ", "", "r{color:red}")
    _color_scheme._state.dark = True
    assert _color_scheme.resolve_color_scheme(doc) is True
    assert (a.text_content, b.text_content) == ("p{color:black} p{color:white}", "q{color:gray}")
    a.text_content = "@media (prefers-color-scheme: light){s{color:blue}}"  # the page rewrote it: its new original
    _color_scheme._state.dark = False
    assert _color_scheme.resolve_color_scheme(doc) is True
    assert (a.text_content, b.text_content) == ("s{color:blue}", "")
    assert _color_scheme.resolve_color_scheme(doc) is False  # nothing new: nothing changes
