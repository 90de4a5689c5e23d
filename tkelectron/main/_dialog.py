"""Native dialogs: Electron's ``dialog`` module with Python keywords.

Every dialog is first offered to plugins through the firstresult hook
``tkelectron_dialog(kind, window, options)``: a plugin (or a test) that
answers - with a result object, a dict using Electron's or Python's key
names, or an awaitable of either - decides the dialog and nothing is shown.
Otherwise the app's compositor runs it (``run_dialog(kind, surface,
options)``): the Tk compositor shows a real dialog from the host loop, the
headless one answers as configured.

``kind`` is ``open``, ``save``, ``message`` or ``error``; ``options`` is a
dict with the snake_case keyword names of the call below.
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from ._context import current_session

__all__ = [
    "DialogAnswer", "DialogKind", "DialogResult", "Dialog", "MessageBoxResult", "OpenDialogResult",
    "SaveDialogResult", "dialog",
]

log = logging.getLogger("tkelectron.dialog")

OPEN_PROPERTIES = frozenset({"openFile", "openDirectory", "multiSelections", "showHiddenFiles"})
MESSAGE_TYPES = ("none", "info", "error", "question", "warning")


@dataclass(slots=True)
class OpenDialogResult:
    """``canceled`` is True when the user dismissed the dialog."""

    canceled: bool
    file_paths: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SaveDialogResult:
    """``file_path`` is None when canceled."""

    canceled: bool
    file_path: str | None = None


@dataclass(slots=True)
class MessageBoxResult:
    """``response`` is the index of the button clicked (``cancel_id`` on Escape)."""

    response: int
    checkbox_checked: bool = False


#: The dialogs there are (the ``kind`` of the hook and of ``Compositor.run_dialog``).
DialogKind = Literal["open", "save", "message", "error"]
#: What a dialog call returns (``show_error_box`` returns None).
DialogResult = OpenDialogResult | SaveDialogResult | MessageBoxResult
#: What may answer a dialog, from a ``tkelectron_dialog`` plugin or a
#: compositor: the result object itself; a dict with Electron's keys
#: (``canceled``, ``filePaths``, ``filePath``, ``response``,
#: ``checkboxChecked``) or their snake_case names; for ``open`` a path or a
#: list of paths; for ``save`` a path; for ``message`` a button index; None
#: for canceled. :func:`normalize_result` turns it into the result of its kind.
DialogAnswer = DialogResult | Mapping[str, Any] | str | Sequence[str] | int | None


def _get(raw: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    for key in keys:
        if key in raw:
            return raw[key]
    return default


@overload
def normalize_result(kind: Literal["open"], raw: object, options: Mapping[str, Any]) -> OpenDialogResult: ...
@overload
def normalize_result(kind: Literal["save"], raw: object, options: Mapping[str, Any]) -> SaveDialogResult: ...
@overload
def normalize_result(kind: Literal["message"], raw: object, options: Mapping[str, Any]) -> MessageBoxResult: ...
@overload
def normalize_result(kind: Literal["error"], raw: object, options: Mapping[str, Any]) -> None: ...
@overload
def normalize_result(kind: str, raw: object, options: Mapping[str, Any]) -> DialogResult | None: ...
def normalize_result(kind: str, raw: object, options: Mapping[str, Any]) -> DialogResult | None:
    """Turn a plugin's or compositor's answer (a :data:`DialogAnswer`) into the
    result type of ``kind``; TypeError for anything else."""
    if kind == "error":
        return None
    if kind == "open":
        if isinstance(raw, OpenDialogResult):
            return raw
        if raw is None:
            return OpenDialogResult(True, [])
        if isinstance(raw, str):
            return OpenDialogResult(False, [raw])
        if isinstance(raw, Mapping):
            paths = [str(p) for p in _get(raw, "file_paths", "filePaths", default=[])]
            return OpenDialogResult(bool(_get(raw, "canceled", default=not paths)), paths)
        if isinstance(raw, Sequence):
            return OpenDialogResult(not raw, [str(p) for p in raw])
    elif kind == "save":
        if isinstance(raw, SaveDialogResult):
            return raw
        if raw is None or isinstance(raw, str):
            return SaveDialogResult(not raw, raw or None)
        if isinstance(raw, Mapping):
            path = _get(raw, "file_path", "filePath") or None
            return SaveDialogResult(bool(_get(raw, "canceled", default=path is None)), path)
    elif kind == "message":
        checked = bool(options.get("checkbox_checked", False))
        if isinstance(raw, MessageBoxResult):
            return raw
        if raw is None:
            return MessageBoxResult(_cancel_index(options), checked)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return MessageBoxResult(raw, checked)
        if isinstance(raw, Mapping):
            return MessageBoxResult(int(_get(raw, "response", default=_cancel_index(options))),
                                    bool(_get(raw, "checkbox_checked", "checkboxChecked", default=checked)))
    raise TypeError(f"cannot use {raw!r} as the answer of a {kind!r} dialog")


def _cancel_index(options: Mapping[str, Any]) -> int:
    """Electron's default cancelId: the first 'Cancel'/'No' button, else 0."""
    if options.get("cancel_id") is not None:
        return int(options["cancel_id"])
    for index, label in enumerate(options.get("buttons") or []):
        if str(label).replace("&", "").strip().lower() in ("cancel", "no"):
            return index
    return 0


def _check_filters(filters: Any) -> list[dict[str, Any]] | None:
    if filters is None:
        return None
    out = []
    for f in filters:
        if not isinstance(f, Mapping) or not isinstance(f.get("name"), str) or not isinstance(f.get("extensions"), list):
            raise ValueError(f"dialog filter {f!r} must be a dict with 'name' and a list of 'extensions'")
        out.append({"name": f["name"], "extensions": [str(e).lstrip(".") for e in f["extensions"]]})
    return out


class Dialog:
    """The ``dialog`` module object (one per process: :data:`dialog`)."""

    async def _answer(self, kind: DialogKind, window: Any, options: dict[str, Any]) -> object:
        """The raw answer (a :data:`DialogAnswer`): a plugin's, else the compositor's dialog's."""
        session = current_session()
        plugin_manager = session.plugin_manager
        if plugin_manager is not None:
            answer = plugin_manager.hook.tkelectron_dialog(kind=kind, window=window, options=options)
            if inspect.isawaitable(answer):
                answer = await answer
            if answer is not None:
                return answer
        compositor = session.compositor
        if compositor is None:
            raise RuntimeError(f"cannot show a {kind!r} dialog: the app has no compositor (is it running?)")
        surface = getattr(window, "_surface", None) if window is not None else None
        return await compositor.run_dialog(kind, surface, options)

    async def show_open_dialog(
        self, window: Any = None, *, title: str | None = None, default_path: str | None = None,
        filters: list[dict[str, Any]] | None = None, properties: list[str] | None = None,
        button_label: str | None = None,
    ) -> OpenDialogResult:
        """Ask for files or a folder. ``properties``: ``openFile`` (default),
        ``openDirectory``, ``multiSelections``, ``showHiddenFiles``."""
        props = list(properties) if properties is not None else ["openFile"]
        unknown = sorted(set(props) - OPEN_PROPERTIES)
        if unknown:
            raise ValueError(f"unknown open dialog properties: {', '.join(unknown)}")
        options = {"title": title, "default_path": default_path, "filters": _check_filters(filters),
                   "properties": props, "button_label": button_label}
        return normalize_result("open", await self._answer("open", window, options), options)

    async def show_save_dialog(
        self, window: Any = None, *, title: str | None = None, default_path: str | None = None,
        filters: list[dict[str, Any]] | None = None, button_label: str | None = None,
    ) -> SaveDialogResult:
        """Ask for a file name to save to (the dialog confirms overwriting)."""
        options = {"title": title, "default_path": default_path, "filters": _check_filters(filters),
                   "button_label": button_label}
        return normalize_result("save", await self._answer("save", window, options), options)

    async def show_message_box(
        self, window: Any = None, *, message: str, type: str = "none", buttons: Sequence[str] = ("OK",),
        default_id: int = 0, cancel_id: int | None = None, title: str | None = None,
        detail: str | None = None, checkbox_label: str | None = None, checkbox_checked: bool = False,
    ) -> MessageBoxResult:
        """Show a message with buttons; ``.response`` is the clicked button's
        index. Escape or closing the box answers ``cancel_id`` (by default
        the first button labelled Cancel or No, else 0)."""
        if type not in MESSAGE_TYPES:
            raise ValueError(f"unknown message box type {type!r} (expected one of {', '.join(MESSAGE_TYPES)})")
        labels = [str(b) for b in buttons] or ["OK"]
        if not 0 <= default_id < len(labels):
            raise ValueError(f"default_id {default_id} is not a button index (0..{len(labels) - 1})")
        options: dict[str, Any] = {
            "message": message, "type": type, "buttons": labels, "default_id": default_id,
            "cancel_id": cancel_id, "title": title, "detail": detail,
            "checkbox_label": checkbox_label, "checkbox_checked": checkbox_checked,
        }
        options["cancel_id"] = _cancel_index(options)
        return normalize_result("message", await self._answer("message", window, options), options)

    async def show_error_box_async(self, title: str, content: str) -> None:
        """Show an error message and wait until it is dismissed."""
        options = {"title": title, "content": content}
        normalize_result("error", await self._answer("error", None, options), options)

    def show_error_box(self, title: str, content: str) -> None:
        """Show an error message without waiting (Electron's is synchronous).

        Starts the dialog as a task; outside a running app it writes the
        message to stderr instead, as Electron does before ``ready`` on Linux.
        """
        session = current_session()
        if session.compositor is None:
            print(f"{title}\n{content}", file=sys.stderr)
            return
        session.start_soon(self.show_error_box_async, title, content)


#: The process-wide dialog module object.
dialog = Dialog()
