"""Another application for drag-and-drop tests: its own process, its own Tk, tkdnd through tkinterdnd2.

    python _other_client.py source X Y PATH...   a window at (X, Y) whose label drags PATHs as files (XDND source)
    python _other_client.py target X Y           a window at (X, Y) that accepts dropped files and text

It speaks on stdout, one JSON object a line: ``{"ready": [x, y, width, height]}``
once the window is mapped (where to point), then for a source ``{"end": action}``
when its drag ended, for a target ``{"position": true}`` the first time a drag
is over it and ``{"drop": [paths...], "types": [...]}`` on a drop. It ends when
stdin closes.
"""

from __future__ import annotations

import json
import sys
import threading
import tkinter
from typing import Any
from urllib.parse import quote

from tkinterdnd2 import COPY, DND_FILES, DND_TEXT, TkinterDnD

#: tkdnd 2.10 serves text/uri-list with Tk's "-format text/uri-list", which Tk 8.6 sends as
#: 32-bit numbers ("0x0 0x0"): the receiver gets no file. Serve it as 8-bit text, as GTK and Qt do.
FIX_SOURCE = r"""
rename ::tkdnd::xdnd::getFormatForType ::tkdnd::xdnd::_getFormatForType_tkdnd
proc ::tkdnd::xdnd::getFormatForType {type} {
  if {[string match -nocase text/uri-list* $type]} {return UTF8_STRING}
  return [::tkdnd::xdnd::_getFormatForType_tkdnd $type]
}
"""


def say(**what: object) -> None:
    print(json.dumps(what), flush=True)


def selection_type(target: str) -> str:
    """Ask XdndSelection's owner for ``target`` as GTK does, and name the type of its answer."""
    import select

    from Xlib import X, display

    d = display.Display()
    try:
        window = d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
        prop = d.intern_atom("TKE_TEST_DROP")
        window.convert_selection(d.intern_atom("XdndSelection"), d.intern_atom(target), prop, X.CurrentTime)
        d.flush()
        while True:
            while d.pending_events():
                ev = d.next_event()
                if ev.type == X.SelectionNotify:
                    if ev.property == X.NONE:
                        return "(refused)"
                    got = window.get_full_property(prop, X.AnyPropertyType)
                    return f"{d.get_atom_name(got.property_type)}/{got.format}" if got else "(empty)"
            if not select.select([d], [], [], 5)[0]:
                return "(no answer)"
    finally:
        d.close()


def main(argv: list[str]) -> None:
    mode, x, y, *paths = argv
    root = TkinterDnD.Tk()
    root.title(f"other client ({mode})")
    root.geometry(f"220x140+{x}+{y}")
    label: Any = tkinter.Label(root, text=f"{mode}: " + (" ".join(paths) or "drop here"), bg="#fff4d6")
    label.pack(fill="both", expand=True)
    if mode == "source":
        root.tk.eval(FIX_SOURCE)
        label.drag_source_register(1, DND_FILES)
        uris = tuple(f"file://{quote(p)}" for p in paths)  # tkdnd sends paths unquoted: a space would split one
        label.dnd_bind("<<DragInitCmd>>", lambda event: (COPY, DND_FILES, uris))
        label.dnd_bind("<<DragEndCmd>>", lambda event: say(end=event.action))
    else:
        seen: list[bool] = []

        def position(event: object) -> str:
            if not seen:
                seen.append(True)
                say(position=True)
            return str(COPY)

        def drop(event: object) -> str:
            data = getattr(event, "data", "")
            say(drop=list(root.tk.splitlist(data)), types=list(getattr(event, "types", ())),
                property_type=selection_type("text/uri-list"))
            return str(COPY)

        label.drop_target_register(DND_FILES, DND_TEXT)
        label.dnd_bind("<<DropPosition>>", position)
        label.dnd_bind("<<Drop>>", drop)

    def ready() -> None:
        root.update_idletasks()
        say(ready=[label.winfo_rootx(), label.winfo_rooty(), label.winfo_width(), label.winfo_height()])

    label.bind("<Map>", lambda _e: root.after_idle(ready), add="+")
    # The test closes our stdin to end us (no signal needed, nothing left behind).
    threading.Thread(target=lambda: (sys.stdin.read(), root.after(0, root.destroy)), daemon=True).start()
    root.mainloop()


if __name__ == "__main__":
    main(sys.argv[1:])
