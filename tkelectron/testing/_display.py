"""An X display for tests: reuse ``$DISPLAY`` or start a private Xvfb.

:func:`ensure_display` is what a test session uses: when ``$DISPLAY`` names a
display that accepts connections it is used as it is; otherwise an ``Xvfb`` is
started on a free display number (Xvfb picks it itself with ``-displayfd``,
so two sessions can never race for one number), ``DISPLAY`` is set while the
context lasts, and on exit Xvfb is stopped and the environment restored.

The other helpers drive that display the way a person would:
:func:`xdotool` (real pointer and keyboard input through the XTEST
extension), :func:`close_window` (the ``WM_DELETE_WINDOW`` message a window
manager's close button sends), and :func:`top_level_windows` (what exists on
the screen, to catch tests that leave windows behind). They talk to libX11
through ``ctypes``; it is always present where Tk runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

__all__ = [
    "close_window",
    "display_reachable",
    "ensure_display",
    "open_display",
    "parent_window",
    "top_level_windows",
    "window_manager_running",
    "xdotool",
]

_XVFB_SCREEN = "1280x1024x24"
_START_TIMEOUT = 20.0


def _libx11() -> ctypes.CDLL | None:
    found = ctypes.util.find_library("X11")
    if not found:
        return None
    lib = ctypes.CDLL(found)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XFree.argtypes = [ctypes.c_void_p]
    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
    lib.XGetSelectionOwner.restype = ctypes.c_ulong
    lib.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    lib.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.c_ulong),
                               ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)), ctypes.POINTER(ctypes.c_uint)]
    return lib


@contextlib.contextmanager
def _connection(display: str) -> Iterator[tuple[ctypes.CDLL, int]]:
    lib = _libx11()
    if lib is None:
        raise RuntimeError("libX11 was not found (apt-get install libx11-6)")
    dpy = lib.XOpenDisplay(display.encode())
    if not dpy:
        raise RuntimeError(f"cannot open X display {display!r}")
    try:
        yield lib, dpy
    finally:
        lib.XCloseDisplay(dpy)


def display_reachable(display: str) -> bool:
    """True when an X server accepts connections on ``display``."""
    lib = _libx11()
    if lib is not None:
        dpy = lib.XOpenDisplay(display.encode())
        if dpy:
            lib.XCloseDisplay(dpy)
            return True
        return False
    # No libX11 to ask: a local display is reachable when its socket is.
    host, _, number = display.partition(":")
    if host not in ("", "unix") or not number:
        return False
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(f"/tmp/.X11-unix/X{number.split('.')[0]}")
        return True
    except OSError:
        return False
    finally:
        sock.close()


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if this process dies (Linux).

    A test run that crashes (Tk and Tkhtml are C code) never reaches the
    fixture that stops Xvfb; without this, Xvfb would outlive it.
    """
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    if not shutil.which("Xvfb"):
        raise RuntimeError("no X display and no Xvfb to start one: install xvfb: apt-get install xvfb")
    read_fd, write_fd = os.pipe()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - Xvfb writes to it for as long as it runs
    try:
        proc = subprocess.Popen(
            # -noreset: an X server resets when its last client leaves, and refuses
            # connections meanwhile; the probes below connect and leave (openbox then
            # failed to open the display, at random).
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", _XVFB_SCREEN, "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            # PR_SET_PDEATHSIG has no Popen option; _die_with_parent only calls prctl.
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
        )
    finally:
        os.close(write_fd)
    number = b""
    deadline = time.monotonic() + _START_TIMEOUT
    try:
        # Xvfb writes the display number, then a newline, once it accepts clients.
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_fd], [], [], left)[0]:
                raise RuntimeError("Xvfb did not report a display within 20 s")
            chunk = os.read(read_fd, 16)
            if not chunk:
                proc.wait(timeout=5)
                log.seek(0)
                raise RuntimeError(f"Xvfb exited with {proc.returncode}: {log.read().decode(errors='replace')[-500:]}")
            number += chunk
    except BaseException:
        _stop(proc)
        raise
    finally:
        os.close(read_fd)
        log.close()
    return proc, f":{int(number.strip())}"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def open_display(*, window_manager: bool = False) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A usable display name, and the processes started for it (none if ``$DISPLAY`` works).

    Otherwise a private Xvfb is started, and with ``window_manager`` a window
    manager on it (openbox, when installed), so windows have the title bar
    and frame a user sees — for screenshots of whole windows. A display that
    already exists is used as it is: it has its own window manager, or none
    on purpose. Everything started dies with this process (PDEATHSIG).
    """
    current = os.environ.get("DISPLAY")
    if current and display_reachable(current):
        return current, []
    proc, display = _start_xvfb()
    started = [proc]
    if window_manager:
        try:
            wm = _start_window_manager(display)
        except BaseException:
            _stop(proc)
            raise
        if wm is not None:
            started.append(wm)
    return display, started


@contextlib.contextmanager
def ensure_display(*, window_manager: bool = False) -> Iterator[str]:
    """Yield a usable X display name, starting a private Xvfb when needed (:func:`open_display`).

    ``DISPLAY`` names it while the context lasts; on exit what was started is
    stopped (and waited for) and ``DISPLAY`` gets its previous value back.
    """
    current = os.environ.get("DISPLAY")
    display, started = open_display(window_manager=window_manager)
    if not started:
        yield display
        return
    os.environ["DISPLAY"] = display
    try:
        yield display
    finally:
        if current is None:
            os.environ.pop("DISPLAY", None)
        else:
            os.environ["DISPLAY"] = current
        for proc in reversed(started):
            _stop(proc)


#: The window manager a private display gets for whole-window screenshots.
WINDOW_MANAGER = ("openbox", "--sm-disable")


def _start_window_manager(display: str) -> subprocess.Popen[bytes] | None:
    """Start openbox on ``display`` and wait until it manages windows (None: not installed)."""
    if not shutil.which(WINDOW_MANAGER[0]):
        return None
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            WINDOW_MANAGER, env=dict(os.environ, DISPLAY=display),
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 - as above
        )
        # The window manager announces itself by owning the WM_S0 selection
        # (ICCCM 2.8); nothing else tells another client, so poll for it.
        deadline = time.monotonic() + _START_TIMEOUT
        while not window_manager_running(display):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                log.seek(0)
                said = log.read().decode(errors="replace").strip()[-500:]
                raise RuntimeError(
                    f"{WINDOW_MANAGER[0]} did not start on {display} (exit code {proc.returncode}): {said}"
                )
            time.sleep(0.02)
    return proc


def window_manager_running(display: str | None = None) -> bool:
    """True when a window manager runs on ``display`` (someone owns ``WM_S0``)."""
    with _connection(display or os.environ.get("DISPLAY", "")) as (lib, dpy):
        return bool(lib.XGetSelectionOwner(dpy, lib.XInternAtom(dpy, b"WM_S0", 0)))


def parent_window(window_id: int, display: str | None = None) -> int:
    """The X window that contains ``window_id`` (Tk's wrapper, a window manager's frame...)."""
    with _connection(display or os.environ.get("DISPLAY", "")) as (lib, dpy):
        root_ret, parent_ret = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        if not lib.XQueryTree(dpy, window_id, ctypes.byref(root_ret), ctypes.byref(parent_ret),
                              ctypes.byref(children), ctypes.byref(count)):
            raise RuntimeError(f"XQueryTree failed for window {window_id:#x}")
        if children:
            lib.XFree(children)
        return int(parent_ret.value)


def xdotool(*args: str | int) -> str:
    """Run ``xdotool ARGS`` on the current display and return its output."""
    if not shutil.which("xdotool"):
        raise RuntimeError("xdotool is not installed: apt-get install xdotool")
    display = os.environ.get("DISPLAY")
    if not display:
        raise RuntimeError("DISPLAY is not set: use ensure_display() first")
    done = subprocess.run(["xdotool", *map(str, args)], capture_output=True, timeout=30,
                          env=dict(os.environ, DISPLAY=display), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"xdotool {' '.join(map(str, args))} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode()


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def close_window(window_id: int, display: str | None = None) -> None:
    """Ask window ``window_id`` to close, as a window manager's close button does.

    Sends the ICCCM ``WM_PROTOCOLS``/``WM_DELETE_WINDOW`` client message; a Tk
    toplevel runs its ``WM_DELETE_WINDOW`` protocol handler when it arrives.
    """
    with _connection(display or os.environ.get("DISPLAY", "")) as (lib, dpy):
        event = _XEvent()
        event.xclient.type = 33  # ClientMessage
        event.xclient.window = window_id
        event.xclient.message_type = lib.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        event.xclient.format = 32
        event.xclient.data[0] = lib.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        event.xclient.data[1] = 0  # CurrentTime
        if not lib.XSendEvent(dpy, window_id, 0, 0, ctypes.byref(event)):
            raise RuntimeError(f"could not send WM_DELETE_WINDOW to window {window_id:#x}")
        lib.XSync(dpy, 0)


class _WindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
                ("root", ctypes.c_ulong), ("class_", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int),
                ("backing_planes", ctypes.c_ulong), ("backing_pixel", ctypes.c_ulong),
                ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
                ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p)]


_IS_VIEWABLE = 2


def top_level_windows(display: str | None = None, *, shown_only: bool = True) -> set[int]:
    """Ids of the X windows that are children of the root window.

    With ``shown_only`` (the default) only windows mapped on screen count: Tk
    keeps an unmapped helper window per connection until the interpreter is
    freed, which is not a window anyone can see.
    """
    with _connection(display or os.environ.get("DISPLAY", "")) as (lib, dpy):
        root_ret, parent_ret = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        if not lib.XQueryTree(dpy, lib.XDefaultRootWindow(dpy), ctypes.byref(root_ret),
                              ctypes.byref(parent_ret), ctypes.byref(children), ctypes.byref(count)):
            raise RuntimeError("XQueryTree failed")
        try:
            found = {children[i] for i in range(count.value)}
            if shown_only:
                attrs = _WindowAttributes()
                found = {w for w in found if lib.XGetWindowAttributes(dpy, w, ctypes.byref(attrs))
                         and attrs.map_state == _IS_VIEWABLE}
            return found
        finally:
            if children:
                lib.XFree(children)
