"""BrowserWindow's options, checked before a window exists (headless: no display needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tkelectron.main._window_options import (
    SUPPORTED_OPTIONS,
    UNSUPPORTED_OPTIONS,
    parse_window_options,
)

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


def test_electron_names_in_snake_case_and_camel_case_are_read() -> None:
    opts = parse_window_options({"width": 300, "height": 200, "minWidth": 100, "min_height": 80,
                                 "max_width": 900, "alwaysOnTop": True, "frame": False, "skip_taskbar": True,
                                 "background_color": "#80336699", "center": True, "show": False})
    s = opts.settings
    assert (opts.width, opts.height, opts.center, opts.show) == (300, 200, True, False)
    assert s.min_size == (100, 80) and s.max_size == (900, 0)
    assert s.always_on_top and not s.frame and s.skip_taskbar
    assert s.background_color == "#336699"  # Electron's #AARRGGBB: the alpha goes (X windows are opaque)


def test_a_typo_is_named_with_a_suggestion() -> None:
    with pytest.raises(TypeError, match=r"unknown BrowserWindow option 'min_widht' \(did you mean 'min_width'\?\)"):
        parse_window_options({"min_widht": 100})
    with pytest.raises(TypeError, match=r"'alwaysOnTopp'.*did you mean 'always_on_top'"):
        parse_window_options({"alwaysOnTopp": True})
    with pytest.raises(TypeError, match=r"^unknown BrowserWindow option 'zzz'$"):
        parse_window_options({"zzz": 1})


@pytest.mark.parametrize("name", ["transparent", "kiosk", "titleBarStyle", "vibrancy", "use_content_size"])
def test_an_electron_option_tkelectron_lacks_is_refused_by_name(name: str) -> None:
    with pytest.raises(TypeError, match=f"BrowserWindow option '{name}' is not supported by tkelectron"):
        parse_window_options({name: True})


def test_the_readme_lists_every_unsupported_option() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("Unsupported BrowserWindow options", 1)[1][:3000]
    missing = [name for name in sorted(UNSUPPORTED_OPTIONS) if f"`{name}`" not in section]
    assert not missing, missing
    assert not SUPPORTED_OPTIONS & UNSUPPORTED_OPTIONS


@pytest.mark.parametrize(("options", "error", "match"), [
    ({"width": "wide"}, TypeError, "'width' must be a number"),
    ({"width": 0}, ValueError, "'width' must be between 1"),
    ({"height": 10**6}, ValueError, "'height' must be between"),
    ({"resizable": "no"}, TypeError, "'resizable' must be True or False"),
    ({"min_width": 500, "max_width": 400}, ValueError, "'min_width' .* is larger than 'max_width'"),
    ({"modal": True}, ValueError, "'modal' needs a 'parent'"),
    ({"parent": "main"}, TypeError, "'parent' must be a BrowserWindow"),
    ({"background_color": "rgb(1,2,3)"}, ValueError, "'background_color' must be a colour"),
    ({"icon": 3}, TypeError, "'icon' must be the path of a PNG"),
    ({"title": 3}, TypeError, "'title' must be a string"),
])
def test_a_bad_value_names_the_option(options: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        parse_window_options(options)


def test_the_icon_must_be_a_png_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "icon.png", tmp_path / "icon.jpg"
    good.write_bytes(PNG)
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a png")
    assert parse_window_options({"icon": good}).settings.icon == PNG
    with pytest.raises(ValueError, match="is not a PNG file"):
        parse_window_options({"icon": bad})
    with pytest.raises(ValueError, match="cannot read"):
        parse_window_options({"icon": tmp_path / "missing.png"})
    # A relative path is the app folder's.
    assert parse_window_options({"icon": "icon.png"}, lambda p: str(tmp_path / p)).settings.icon == PNG
