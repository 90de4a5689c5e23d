"""Native Tk dialogs for the Tk compositor, run from the host loop.

trio runs as a guest of Tk, so a trio task must never run a nested Tk loop
(``tk_getOpenFile``, ``vwait``, ``update``): trio would be re-entered while
it is mid-task. :func:`run_tk_dialog` therefore schedules the dialog with
``root.after(0, ...)``; the nested loop of Tk's file dialog then runs from the
host loop, where trio's guest callbacks keep being served. The answer goes
back with ``run_sync_soon`` on the trio token captured before scheduling, and
the task awaits it. Cancelling the task closes the dialog.

Message boxes are a small Toplevel of our own (tkinter's messagebox only
knows fixed button sets): any button labels, a default button (Return), a
cancel answer (Escape or closing the window), an optional checkbox, a local
grab while it is shown. It needs no nested loop at all.

Answers are dicts with the snake_case keys of the result types in
``_dialog``: ``{"canceled", "file_paths"}``, ``{"canceled", "file_path"}``,
``{"response", "checkbox_checked"}``; ``error`` answers None.
"""

from __future__ import annotations

import functools
import itertools
import os
import tkinter as tk
from collections.abc import Callable, Mapping
from tkinter import ttk
from typing import Any

import outcome
import trio

from .._native_theme import native_theme
from .._tk_theme import theme_message_box

__all__ = ["run_tk_dialog", "MESSAGE_BOX_PREFIX"]

#: Message box toplevels are named ``<MESSAGE_BOX_PREFIX><n>`` under the root.
MESSAGE_BOX_PREFIX = "__tkelectron_msgbox"
_BITMAPS = {"info": "info", "error": "error", "question": "question", "warning": "warning"}
_counter = itertools.count(1)
# Tk's file dialog keeps its state in globals (::tk::Priv): one at a time.
_file_dialog_lock: trio.lowlevel.RunVar[trio.Lock] = trio.lowlevel.RunVar("tk_file_dialog_lock")

Resolve = Callable[[outcome.Outcome[Any]], None]
#: What a dialog is shown over: the root or a window's toplevel.
Owner = tk.Tk | tk.Toplevel


async def _from_host(root: tk.Misc, start: Callable[[Resolve], None], cancel: Callable[[], None]) -> Any:
    """Run ``start(resolve)`` in an ``after(0)`` callback and await what it
    (or a later host callback) passes to ``resolve``. On cancellation, drop
    the callback if it has not run yet, else call ``cancel()``."""
    token = trio.lowlevel.current_trio_token()
    done = trio.Event()
    box: list[outcome.Outcome[Any]] = []
    started = False

    def deliver(result: outcome.Outcome[Any]) -> None:  # runs in trio
        if not box:
            box.append(result)
            done.set()

    def resolve(result: outcome.Outcome[Any]) -> None:  # runs in the host loop
        try:
            token.run_sync_soon(deliver, result)
        except trio.RunFinishedError:
            pass

    def host_side() -> None:
        nonlocal started
        started = True
        try:
            start(resolve)
        except Exception as exc:  # noqa: BLE001 - the dialog's failure is its result (resolve re-raises it in the caller)
            resolve(outcome.Error(exc))

    after_id = root.after(0, host_side)
    try:
        await done.wait()
    except BaseException:
        if not box:
            try:
                cancel() if started else root.after_cancel(after_id)
            except tk.TclError:
                pass
        raise
    return box[0].unwrap()


async def run_tk_dialog(root: tk.Tk, kind: str, parent: tk.Toplevel | None, options: Mapping[str, Any]) -> Any:
    """Show a ``kind`` dialog (``open``, ``save``, ``message``, ``error``)
    over ``parent`` (or the root) and return its answer dict."""
    owner: Owner = parent if parent is not None else root
    if kind in ("open", "save"):
        try:
            lock = _file_dialog_lock.get()
        except LookupError:
            lock = trio.Lock()
            _file_dialog_lock.set(lock)
        async with lock:
            start = functools.partial(_file_dialog, root, kind, owner, options)
            return await _from_host(root, start, functools.partial(_cancel_file_dialog, root))
    if kind == "message":
        return await _message_box(root, owner, options)
    if kind == "error":
        await _message_box(root, owner, {
            "type": "error", "title": "Error", "message": options.get("title") or "Error",
            "detail": options.get("content"), "buttons": ["OK"], "default_id": 0, "cancel_id": 0,
        })
        return None
    raise ValueError(f"unknown dialog kind {kind!r}")


# -- file dialogs ------------------------------------------------------------------

def _filetypes(filters: Any) -> list[tuple[str, tuple[str, ...]]]:
    """Electron filters -> Tk ``-filetypes`` (``txt`` -> ``.txt``, ``*`` stays)."""
    out = []
    for f in filters or []:
        exts = tuple("*" if e == "*" else f".{e}" for e in f["extensions"])
        out.append((f["name"], exts))
    return out


def _file_dialog(root: tk.Misc, kind: str, owner: Owner, options: Mapping[str, Any], resolve: Resolve) -> None:
    props = set(options.get("properties") or ["openFile"])
    args: list[Any] = ["-parent", str(owner)]
    if options.get("title"):
        args += ["-title", options["title"]]
    default_path = options.get("default_path")
    directory = kind == "open" and "openDirectory" in props
    if default_path:
        path = os.path.abspath(os.path.expanduser(default_path))
        if os.path.isdir(path):
            args += ["-initialdir", path]
        elif directory:
            args += ["-initialdir", os.path.dirname(path)]
        else:
            args += ["-initialdir", os.path.dirname(path), "-initialfile", os.path.basename(path)]
    if directory:
        # As in Electron on Linux: openFile together with openDirectory gives
        # a folder chooser; Tk's chooser takes no filters and one folder.
        command = "tk_chooseDirectory"
        args += ["-mustexist", 1]
        multiple = False
    else:
        command = "tk_getOpenFile" if kind == "open" else "tk_getSaveFile"
        if options.get("filters"):
            args += ["-filetypes", _filetypes(options["filters"])]
        multiple = kind == "open" and "multiSelections" in props
        if multiple:
            args += ["-multiple", 1]
        if kind == "save":
            args += ["-confirmoverwrite", 1]
    _set_show_hidden(root, "showHiddenFiles" in props)
    raw = root.tk.call(command, *args)  # a nested Tk loop, from the host loop
    if multiple:
        paths = [str(p) for p in root.tk.splitlist(raw)]
    else:
        paths = [str(raw)] if str(raw) else []
    if kind == "save":
        resolve(outcome.Value({"canceled": not paths, "file_path": paths[0] if paths else None}))
    else:
        resolve(outcome.Value({"canceled": not paths, "file_paths": paths}))


def _set_show_hidden(root: tk.Misc, show: bool) -> None:
    # Tk's Unix file dialog (tkfbox.tcl) shows dot files by default and only
    # offers a toggle when showHiddenBtn is set; load it, then set both.
    root.tk.call("catch", "::tk::dialog::file::")
    root.tk.call("set", "::tk::dialog::file::showHiddenBtn", 1)
    root.tk.call("set", "::tk::dialog::file::showHiddenVar", 1 if show else 0)


def _cancel_file_dialog(root: tk.Misc) -> None:
    # Both Tk file dialogs and the folder chooser vwait on this variable;
    # setting it to "" ends the dialog as if Cancel was pressed.
    root.tk.call("set", "::tk::Priv(selectFilePath)", "")


# -- message boxes ---------------------------------------------------------------------

async def _message_box(root: tk.Misc, owner: Owner, options: Mapping[str, Any]) -> dict[str, Any]:
    holder: list[tk.Toplevel] = []

    def start(resolve: Resolve) -> None:
        holder.append(_build_message_box(root, owner, options, resolve))

    def cancel() -> None:
        if holder and holder[0].winfo_exists():
            holder[0].destroy()

    answer: dict[str, Any] = await _from_host(root, start, cancel)  # what finish() resolved
    return answer


def _build_message_box(root: tk.Misc, owner: Owner, options: Mapping[str, Any], resolve: Resolve) -> tk.Toplevel:
    buttons = [str(b) for b in options.get("buttons") or ["OK"]]
    default_id = int(options.get("default_id") or 0)
    cancel_id = int(options["cancel_id"]) if options.get("cancel_id") is not None else 0
    top = tk.Toplevel(root, name=f"{MESSAGE_BOX_PREFIX}{next(_counter)}")
    top.withdraw()
    top.title(options.get("title") or "")
    top.resizable(False, False)
    if owner.winfo_viewable():
        top.transient(owner)
    checked = tk.BooleanVar(top, value=bool(options.get("checkbox_checked")))

    def finish(index: int) -> None:
        if not top.winfo_exists():
            return
        value = {"response": index, "checkbox_checked": bool(checked.get())}
        top.grab_release()
        top.destroy()
        resolve(outcome.Value(value))

    body = ttk.Frame(top, padding=12, name="body")
    body.pack(fill="both", expand=True)
    bitmap = _BITMAPS.get(str(options.get("type") or "none"))
    if bitmap:
        tk.Label(body, bitmap=bitmap, name="icon").grid(row=0, column=0, rowspan=2, sticky="n", padx=(0, 12))
    ttk.Label(body, text=str(options.get("message") or ""), name="message", wraplength=420,
              font="TkHeadingFont").grid(row=0, column=1, sticky="w")
    if options.get("detail"):
        ttk.Label(body, text=str(options["detail"]), name="detail", wraplength=420).grid(
            row=1, column=1, sticky="w", pady=(6, 0))
    if options.get("checkbox_label"):
        ttk.Checkbutton(body, text=str(options["checkbox_label"]), variable=checked, name="checkbox").grid(
            row=2, column=1, sticky="w", pady=(8, 0))
    row = ttk.Frame(top, padding=(12, 0, 12, 12), name="buttons")
    row.pack(fill="x")
    widgets: list[ttk.Button] = []
    for index in reversed(range(len(buttons))):  # packed from the right: first button leftmost
        w = ttk.Button(row, text=buttons[index].replace("&", ""), name=f"button{index}",
                       command=functools.partial(finish, index))
        w.pack(side="right", padx=(6, 0))
        widgets.insert(0, w)
    top.bind("<Escape>", lambda e: finish(cancel_id))
    top.bind("<Return>", lambda e: finish(widgets.index(e.widget) if e.widget in widgets else default_id))
    top.protocol("WM_DELETE_WINDOW", lambda: finish(cancel_id))

    def on_map(event: tk.Event) -> None:
        if str(event.widget) != str(top):
            return
        try:
            top.grab_set()
        except tk.TclError:
            pass  # another grab is active; the box still works
        widgets[min(default_id, len(widgets) - 1)].focus_force()

    top.bind("<Map>", on_map)
    theme_message_box(top, native_theme._dark)  # dark while native_theme says dark (_tk_theme)
    # Centre over the owner (or the screen when the owner is hidden). This is
    # a host-loop callback, so update_idletasks cannot re-enter trio mid-task.
    top.update_idletasks()
    width, height = top.winfo_reqwidth(), top.winfo_reqheight()
    if owner.winfo_viewable():
        x = owner.winfo_rootx() + (owner.winfo_width() - width) // 2
        y = owner.winfo_rooty() + (owner.winfo_height() - height) // 2
    else:
        x, y = (top.winfo_screenwidth() - width) // 2, (top.winfo_screenheight() - height) // 2
    top.geometry(f"+{max(x, 0)}+{max(y, 0)}")
    top.deiconify()
    return top
