"""Another X application for the global-shortcut tests: a window that holds
the keyboard focus and reports every key it receives on stdout.

Prints ``ready <window id>`` once mapped and focused, then ``key <keysym>``
per key press. A line ``grab <keysym> <mask>`` on stdin makes it grab that
key on the root window (it answers ``grabbed``, or ``refused`` when
another client holds it), as another application's
global shortcut would; it exits when stdin closes.
"""

from __future__ import annotations

import select
import sys

from Xlib import XK, X, display, error


def main() -> None:
    d = display.Display()
    screen = d.screen()
    window = screen.root.create_window(
        300, 300, 200, 100, 0, screen.root_depth, X.InputOutput, X.CopyFromParent,
        event_mask=X.KeyPressMask | X.StructureNotifyMask | X.FocusChangeMask,
    )
    window.set_wm_name("focus client")
    window.map()
    d.flush()
    ready = False
    while True:
        while d.pending_events():
            event = d.next_event()
            if event.type == X.MapNotify and not ready:
                window.set_input_focus(X.RevertToParent, X.CurrentTime)
                d.sync()
                ready = True
                print(f"ready {window.id}", flush=True)
            elif event.type == X.KeyPress:
                keysym = d.keycode_to_keysym(event.detail, 0)
                print(f"key {XK.keysym_to_string(keysym)}", flush=True)
        readable, _, _ = select.select([d.fileno(), sys.stdin], [], [])
        if sys.stdin in readable:
            line = sys.stdin.readline()
            if not line:
                return
            command, keysym, mask = line.split()
            if command == "grab":
                keycode = d.keysym_to_keycode(XK.string_to_keysym(keysym))
                catch = error.CatchError(error.BadAccess)
                screen.root.grab_key(keycode, int(mask), False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
                d.sync()
                print("refused" if catch.get_error() else "grabbed", flush=True)


if __name__ == "__main__":
    main()
