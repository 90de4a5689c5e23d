"""BrowserWindow's constructor options: Electron's names, checked before any window exists.

Options are Electron's, in snake_case (``min_width``); the camelCase spelling
an Electron port carries (``minWidth``) is accepted too. An option Electron
has and tkelectron does not is refused with an error naming it (README:
"Unsupported BrowserWindow options"); a name that is no option at all gets a
"did you mean" when it is close to one. A wrong value is a ``TypeError`` or
``ValueError`` naming the option. Nothing is created before the whole set
passed: a bad option never leaves half a window behind.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common._user_errors import did_you_mean
from .compositor.base import WindowSettings

__all__ = ["SUPPORTED_OPTIONS", "UNSUPPORTED_OPTIONS", "WindowOptions", "parse_window_options"]

_BOOLEANS = {
    "resizable": True, "movable": True, "minimizable": True, "maximizable": True, "closable": True,
    "always_on_top": False, "fullscreen": False, "frame": True, "skip_taskbar": False, "center": False,
    "modal": False, "show": True,
}
_SIZES = ("min_width", "min_height", "max_width", "max_height")

#: Every option BrowserWindow takes (``web_preferences`` is checked by WebPreferences).
SUPPORTED_OPTIONS = frozenset({
    "width", "height", "x", "y", "title", "web_preferences", "background_color", "icon", "parent",
    *_BOOLEANS, *_SIZES,
})

#: Electron options with no tkelectron equivalent: refused by name, never ignored.
UNSUPPORTED_OPTIONS = frozenset({
    "use_content_size", "enable_larger_than_screen", "fullscreenable", "simple_fullscreen", "kiosk",
    "focusable", "transparent", "opacity", "has_shadow", "type", "title_bar_style", "title_bar_overlay",
    "traffic_light_position", "rounded_corners", "thick_frame", "vibrancy", "background_material",
    "visual_effect_state", "zoom_to_page_width", "tabbing_identifier", "auto_hide_menu_bar",
    "dark_theme", "accept_first_mouse", "disable_auto_hide_cursor", "paint_when_initially_hidden",
    "hidden_in_mission_control", "document_edited", "window_button_visibility",
})

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MAX_ICON_BYTES = 4 * 1024 * 1024
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_NAMED_COLOUR = re.compile(r"[A-Za-z]{3,30}")
_MAX_COORD = 32767  # X11 window coordinates and sizes are 16-bit


@dataclass(frozen=True, slots=True)
class WindowOptions:
    """A BrowserWindow's options, checked."""

    width: int
    height: int
    x: int | None
    y: int | None
    title: str
    show: bool
    center: bool
    parent: Any | None
    modal: bool
    web_preferences: Any
    settings: WindowSettings


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def pixels(what: str, value: Any, low: int = 0) -> int:
    """``value`` as whole pixels from ``low`` to 32767 (X11's 16-bit sizes); ``what`` names it in errors."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise TypeError(f"{what} must be a number of pixels, not {value!r}")
    if not low <= value <= _MAX_COORD:
        raise ValueError(f"{what} must be between {low} and {_MAX_COORD}, not {value!r}")
    return int(value)


def _int(name: str, value: Any, low: int) -> int:
    return pixels(f"BrowserWindow option {name!r}", value, low)


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"BrowserWindow option {name!r} must be True or False, not {value!r}")
    return value


def colour(value: Any, name: str = "background_color") -> str:
    """``#RGB``, ``#RRGGBB``, ``#AARRGGBB`` (Electron's order; alpha is dropped) or a colour name."""
    if not isinstance(value, str) or not (_HEX_COLOUR.fullmatch(value) or _NAMED_COLOUR.fullmatch(value)):
        raise ValueError(f"BrowserWindow option {name!r} must be a colour like '#336699' or 'white', not {value!r}")
    if len(value) == 9:  # Electron's #AARRGGBB: X windows are opaque
        return "#" + value[3:]
    return value


def read_icon(value: Any) -> bytes:
    """The PNG data of an ``icon`` option (a path); a missing or non-PNG file is a clear error."""
    if not isinstance(value, (str, Path)):
        raise TypeError(f"BrowserWindow option 'icon' must be the path of a PNG file, not {value!r}")
    path = Path(value)
    try:
        with path.open("rb") as f:
            data = f.read(_MAX_ICON_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"BrowserWindow option 'icon': cannot read {str(path)!r}: {exc.strerror or exc}") from None
    if not data.startswith(_PNG_MAGIC):
        raise ValueError(f"BrowserWindow option 'icon': {str(path)!r} is not a PNG file")
    if len(data) > _MAX_ICON_BYTES:
        raise ValueError(f"BrowserWindow option 'icon': {str(path)!r} is over {_MAX_ICON_BYTES} bytes")
    return data


def parse_window_options(
    given: dict[str, Any], resolve_path: Any = None, window_type: type[Any] | tuple[type[Any], ...] = ()
) -> WindowOptions:
    """Check ``given`` (BrowserWindow's keyword arguments) and return them as one value.

    ``resolve_path`` turns a relative ``icon`` path into the app folder's;
    ``window_type`` is what a ``parent`` must be (BrowserWindow passes its
    class, so this module needs no import of it; without it no parent passes).
    """
    options: dict[str, Any] = {}
    for raw, value in given.items():
        name = _snake(raw)
        if name in UNSUPPORTED_OPTIONS or raw in UNSUPPORTED_OPTIONS:
            raise TypeError(f"BrowserWindow option {raw!r} is not supported by tkelectron "
                            f"(README: Unsupported BrowserWindow options)")
        if name not in SUPPORTED_OPTIONS:
            raise TypeError(f"unknown BrowserWindow option {raw!r}{did_you_mean(name, SUPPORTED_OPTIONS)}")
        if name in options:
            raise TypeError(f"BrowserWindow option {name!r} is given twice")
        options[name] = value
    flags = {k: _bool(k, options.get(k, default)) for k, default in _BOOLEANS.items()}
    sizes = {k: _int(k, options[k], 0) if options.get(k) is not None else 0 for k in _SIZES}
    width = _int("width", options.get("width", 800), 1)
    height = _int("height", options.get("height", 600), 1)
    x = _int("x", options["x"], -_MAX_COORD) if options.get("x") is not None else None
    y = _int("y", options["y"], -_MAX_COORD) if options.get("y") is not None else None
    for low, high in (("min_width", "max_width"), ("min_height", "max_height")):
        if sizes[high] and sizes[low] > sizes[high]:
            raise ValueError(f"BrowserWindow option {low!r} ({sizes[low]}) is larger than {high!r} ({sizes[high]})")
    title = options.get("title", "tkelectron")
    if not isinstance(title, str):
        raise TypeError(f"BrowserWindow option 'title' must be a string, not {title!r}")
    parent = options.get("parent")
    if parent is not None:
        if not isinstance(parent, window_type):
            raise TypeError(f"BrowserWindow option 'parent' must be a BrowserWindow, not {parent!r}")
        if parent.is_destroyed():
            raise ValueError("BrowserWindow option 'parent' is a window that was destroyed")
    if flags["modal"] and parent is None:
        raise ValueError("BrowserWindow option 'modal' needs a 'parent' window (the one it disables)")
    background = options.get("background_color")
    icon = options.get("icon")
    if icon is not None and resolve_path is not None and not Path(icon).is_absolute():
        icon = resolve_path(icon)
    settings = WindowSettings(
        min_size=(sizes["min_width"], sizes["min_height"]),
        max_size=(sizes["max_width"], sizes["max_height"]),
        resizable=flags["resizable"], movable=flags["movable"], minimizable=flags["minimizable"],
        maximizable=flags["maximizable"], closable=flags["closable"], always_on_top=flags["always_on_top"],
        fullscreen=flags["fullscreen"], frame=flags["frame"], skip_taskbar=flags["skip_taskbar"],
        background_color=colour(background) if background is not None else None,
        icon=read_icon(icon) if icon is not None else None,
    )
    return WindowOptions(width=width, height=height, x=x, y=y, title=title, show=flags["show"],
                         center=flags["center"], parent=parent, modal=flags["modal"],
                         web_preferences=options.get("web_preferences"), settings=settings)
