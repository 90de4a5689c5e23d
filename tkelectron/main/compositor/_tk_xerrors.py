"""X protocol errors that a page can cause must not end main.

Tkhtml sizes the Tk widgets it embeds (entries, text boxes, lists) from the
page's CSS and attributes, and a renderer chooses those: ``<textarea
rows="100000">`` or ``input { width: 1000000px }`` asks the X server for a
window or pixmap past its 32,767-pixel limit. The server answers with an X
error, and Tk passes errors nobody claimed to Xlib's default handler, which
ends the process — every window of the app, for one hostile commit
(measured here: ``X_CreatePixmap`` with ``BadValue``, exit status 1).

:func:`absorb_x_errors` registers one Tk error handler that claims every
error on the display: the failed request does nothing (the oversized widget
is not drawn), the count and the first error of each kind are logged, and
main goes on. Tk's own short-lived handlers, registered later, still come
first. This uses Tk's C API (``Tk_CreateErrorHandler``) through ctypes; where
the Tk library cannot be found (not Linux), nothing is installed and the
function says so.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

__all__ = ["absorb_x_errors", "x_errors_absorbed"]

log = logging.getLogger("tkelectron")

_PROC = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


class _XErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p), ("resourceid", ctypes.c_ulong),
                ("serial", ctypes.c_ulong), ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


_installed: dict[int, Any] = {}  # interp address -> the callback (kept alive as long as Tk is)
_seen: set[tuple[int, int]] = set()
_count = 0


def x_errors_absorbed() -> int:
    """How many X errors main absorbed so far."""
    return _count


def _on_error(_data: Any, event: Any) -> int:
    global _count
    _count += 1
    try:
        err = ctypes.cast(event, ctypes.POINTER(_XErrorEvent)).contents
        kind = (err.error_code, err.request_code)
        if kind not in _seen:
            _seen.add(kind)
            log.warning("X error %d on request %d absorbed (a page asked for something the X server "
                        "refuses, such as a widget over 32767 pixels)", *kind)
    except Exception:  # noqa: BLE001 - nothing may escape into Xlib's C stack
        pass
    return 0  # handled: Tk goes on


def _tk_library() -> ctypes.CDLL | None:
    try:
        with open("/proc/self/maps") as maps:
            path = next((line.split()[-1] for line in maps if "/libtk8" in line), None)
    except OSError:
        return None
    return ctypes.CDLL(path) if path else None


def absorb_x_errors(root: Any) -> bool:
    """Claim every X error of ``root``'s display (once per Tk interpreter)."""
    interp = root.tk.interpaddr()
    if interp in _installed:
        return True
    lib = _tk_library()
    if lib is None:
        log.info("X errors are not absorbed here: the Tk library was not found")
        return False
    lib.Tk_MainWindow.restype = ctypes.c_void_p
    lib.Tk_MainWindow.argtypes = [ctypes.c_void_p]
    lib.Tk_CreateErrorHandler.restype = ctypes.c_void_p
    lib.Tk_CreateErrorHandler.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, _PROC,
                                          ctypes.c_void_p]
    tkwin = lib.Tk_MainWindow(interp)
    if not tkwin:
        return False
    display = ctypes.c_void_p.from_address(tkwin).value  # Tk_Display(): the first field of a Tk_Window
    callback = _PROC(_on_error)
    lib.Tk_CreateErrorHandler(display, -1, -1, -1, callback, None)
    _installed[interp] = callback
    return True
