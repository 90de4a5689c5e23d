"""The headless compositor's fixed block layout: deterministic boxes and scrolling."""

from __future__ import annotations

from tkelectron.common._html import parse_document
from tkelectron.main.compositor._headless_layout import LINE, HeadlessLayout

PAGE = (
    '<html data-tke-id="1"><head data-tke-id="2"><title data-tke-id="3">t</title></head>'
    '<body data-tke-id="4"><p data-tke-id="5">one</p><div data-tke-id="6"><p data-tke-id="7">two</p>'
    '<input data-tke-id="8"></div><p data-tke-id="9" hidden>no</p><p data-tke-id="10" style="display: none">no</p>'
    + "".join(f'<p data-tke-id="{i}">line</p>' for i in range(11, 41))
    + "</body></html>"
)


def test_boxes_stack_in_document_order() -> None:
    layout = HeadlessLayout()
    root = parse_document(PAGE)
    boxes, height = layout.boxes(root)
    assert boxes[5] == (0, LINE) and boxes[7] == (LINE, LINE) and boxes[8] == (2 * LINE, LINE)
    assert boxes[6] == (LINE, 2 * LINE)  # a block is as tall as what it holds
    assert 2 not in boxes and 3 not in boxes and 9 not in boxes and 10 not in boxes  # not displayed
    assert height == 33 * LINE and boxes[4] == (0, height)
    assert layout.rect(root, 7, 300) == (0.0, float(LINE), 300.0, float(LINE))
    assert layout.rect(root, 9, 300) is None


def test_scrolling_moves_rects_and_clamps() -> None:
    layout = HeadlessLayout()
    root = parse_document(PAGE)
    layout.scroll_into_view(root, 30, "start", 100)
    assert layout.scroll_y == 22 * LINE and layout.rect(root, 30, 300) == (0.0, 0.0, 300.0, float(LINE))
    layout.scroll_into_view(root, 40, "start", 100)  # the document ends: clamped
    assert layout.scroll_y == 33 * LINE - 100
    layout.scroll_into_view(root, 38, "nearest", 100)  # already in view: nothing moves
    assert layout.scroll_y == 33 * LINE - 100
    layout.scroll_into_view(root, 5, "nearest", 100)
    assert layout.scroll_y == 0
    layout.scroll_into_view(root, 30, "center", 100)
    top, height = layout.boxes(root)[0][30]
    assert layout.scroll_y == top + (height - 100) // 2
    # A new document (ReplaceDocument parses a new root) starts at the top, as Tk's does.
    assert layout.rect(parse_document(PAGE), 5, 300) == (0.0, 0.0, 300.0, float(LINE))
    assert layout.scroll_y == 0
