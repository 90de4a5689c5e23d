"""Errors told in the user's terms: their file, their line, one line each.

An exception that reaches the user has travelled through tkelectron, trio's
nurseries (which wrap it in exception groups), pluggy's hook calls and the
standard library. The frame a user can act on is the innermost one in *their*
code; :func:`describe` names it (``main.py:6: FileNotFoundError: no page at
…``) and :func:`user_traceback` keeps only such frames. The full traceback
is for ``--verbose`` or ``TKELECTRON_DEBUG=1`` (:func:`debug_enabled`).

A frame is the framework's when its file is in tkelectron (but not in the
demos that ship with it, which are apps), trio, outcome, pluggy, the standard
library or importlib's frozen bootstrap. When every frame is the framework's
(a bug of ours, or an error raised before any user code ran) the innermost
frame is named.
"""

from __future__ import annotations

import difflib
import importlib.util
import logging
import os
import sys
import sysconfig
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

__all__ = [
    "DEBUG_VARIABLE",
    "UserErrorFormatter",
    "debug_enabled",
    "describe",
    "did_you_mean",
    "leaf_errors",
    "user_frame",
    "user_traceback",
]

#: Set to 1 for full tracebacks everywhere (as ``--verbose`` does).
DEBUG_VARIABLE = "TKELECTRON_DEBUG"


def debug_enabled() -> bool:
    """True when the user asked for full tracebacks (``TKELECTRON_DEBUG=1``)."""
    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def _package_dirs(name: str) -> list[str]:
    """The folders a package is loaded from, without importing it (its parent is)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    return [os.path.realpath(p) + os.sep for p in spec.submodule_search_locations or ()]


class _Places:
    """Where the framework's files are, found once."""

    def __init__(self) -> None:
        own = [str(Path(__file__).resolve().parents[1]) + os.sep]  # the tkelectron package
        own += _package_dirs("tkelectron.plugins")  # mapped from the repository's plugins/
        # Only libraries already loaded can have frames (a renderer has no pluggy).
        libraries = [sys.modules.get(name) for name in ("trio", "outcome", "pluggy")]
        files = [getattr(m, "__file__", None) for m in libraries]
        own += [os.path.realpath(Path(file).parent) + os.sep for file in files if isinstance(file, str)]
        self.framework = tuple(own)
        self.apps = tuple(_package_dirs("tkelectron.demos"))  # demos are apps, as the user's are
        paths = sysconfig.get_paths()
        self.site = tuple({os.path.realpath(paths[k]) + os.sep for k in ("purelib", "platlib") if k in paths})
        self.stdlib = tuple({os.path.realpath(paths[k]) + os.sep for k in ("stdlib", "platstdlib") if k in paths})


_places: _Places | None = None

#: How far a frame is from the user's code: theirs, a third-party library, the framework's.
USER, LIBRARY, FRAMEWORK = 0, 1, 2


def _rank(filename: str) -> int:
    global _places
    if filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>, <stdin>...
        return FRAMEWORK if filename.startswith("<frozen ") else USER
    if _places is None:
        _places = _Places()
    path = os.path.realpath(filename)
    if _places.apps and path.startswith(_places.apps):
        return USER
    if path.startswith(_places.framework):
        return FRAMEWORK
    # site-packages may sit inside the standard library's folder: test it first.
    if _places.site and path.startswith(_places.site):
        return LIBRARY  # a third-party library, or an app installed there
    if _places.stdlib and path.startswith(_places.stdlib):
        return FRAMEWORK
    return USER


def leaf_errors(exc: BaseException) -> list[BaseException]:
    """The exceptions inside (nested) exception groups, in order; ``exc`` if it is none."""
    if isinstance(exc, BaseExceptionGroup):
        leaves: list[BaseException] = []
        for inner in exc.exceptions:
            leaves.extend(leaf_errors(inner))
        return leaves
    return [exc]


def user_frame(exc: BaseException) -> traceback.FrameSummary | None:
    """The innermost frame of ``exc`` in the user's code (else the innermost of all)."""
    if isinstance(exc, SyntaxError) and exc.filename:  # the error is *in* the user's file
        return traceback.FrameSummary(exc.filename, exc.lineno or 0, "<module>", line=exc.text)
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    # The innermost frame of the closest rank: the user's own code, else a
    # library they called (or their installed app), else ours.
    return min(reversed(frames), key=lambda frame: _rank(frame.filename))


def _shown_path(filename: str) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith("..") else relative


def _one(exc: BaseException) -> str:
    kind = type(exc).__name__
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    text = f"{kind}: {message}" if message else kind
    frame = user_frame(exc)
    if frame is None:
        return text
    return f"{_shown_path(frame.filename)}:{frame.lineno}: {text}"


def describe(exc: BaseException) -> str:
    """``file:line: Type: message`` for each error inside ``exc``, one per line."""
    lines: list[str] = []
    for leaf in leaf_errors(exc):
        line = _one(leaf)
        if line not in lines:
            lines.append(line)
    return "\n".join(lines)


def user_traceback(exc: BaseException) -> str:
    """A traceback of ``exc`` that shows only the user's frames (all of them if debugging)."""
    if debug_enabled():
        return "".join(traceback.format_exception(exc)).rstrip()
    parts: list[str] = []
    for leaf in leaf_errors(exc):
        frames = [f for f in traceback.extract_tb(leaf.__traceback__) if _rank(f.filename) != FRAMEWORK]
        lines = ["Traceback (most recent call last; tkelectron's frames hidden):\n"] if frames else []
        lines += traceback.StackSummary.from_list(frames).format()
        lines += traceback.format_exception_only(leaf)
        parts.append("".join(lines).rstrip())
    return "\n".join(parts)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'greet'?)`` when a known name is close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, [k for k in known if isinstance(k, str)], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class UserErrorFormatter(logging.Formatter):
    """A log formatter whose tracebacks show only the user's frames (unless debugging)."""

    def formatException(
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    ) -> str:
        exc = ei[1]
        if exc is None:
            return super().formatException(ei)
        return user_traceback(exc)
