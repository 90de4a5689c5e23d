"""The wire protocol between the main process and a renderer.

Every frame on a renderer's socket carries exactly one message: a tagged
``msgspec.Struct`` encoded as msgpack. Each direction has its own union
(:data:`MainToRenderer`, :data:`RendererToMain`) and its own typed decoder, so a
renderer can never make the main process decode a message that only main may
send, and vice versa. The tag is the class name, so it reads well in logs.

DOM commits carry a list of *ops* (another tagged union, :data:`Op`). They are
applied in order by the compositor; nodes are named by the integer id the
renderer gave them, which also appears in serialized HTML as the
``data-tke-id`` attribute.

Values that cross (``args``, results, messages) are *cloned* first
(:mod:`tkelectron.common._clone`): the fields here hold the clone's wire form
(``Any``), and msgpack extension types carry what msgpack has no native form
for.

Rules for evolving these messages
---------------------------------
Renderers are always started from the same installed framework as the main
process, so both ends run the same schema; the rules still matter for anyone
reading frames in tools, and they keep the door open to mixed versions:

1. Structs are ``array_like``: fields travel by position. Add a new field only
   at the *end* of a struct, and always with a default, so an older sender's
   shorter array still decodes.
2. Never remove, reorder or change the type of an existing field. Retire a
   field by leaving it in place and ignoring it.
3. Never reuse a tag. A message with a new meaning is a new class (new tag).
4. A decoder that meets an unknown tag rejects the frame; main treats that from
   a renderer as an ``ipc-violation``.
5. A batch of an existing message is a new message holding a bounded list of
   that message, unchanged (``Sends`` holds ``Send`` items, tags included);
   the receiver handles each item exactly as it handles the message alone,
   with every check, and a batch is only an encoding: it never carries
   anything its items could not. Evolve the item, never the batch's copy of
   it. A field the connection reads on every message (``ports``, the fds a
   frame carries) is repeated on the batch as the sum of its items'.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from ._drag_data import DragData
from ._sandbox_report import SandboxReport

__all__ = [
    "MainToRenderer",
    "RendererToMain",
    "Op",
    "ErrorInfo",
    "INTERNAL_PREFIX",
    "MODIFIER_BITS",
    "SENDS_MAX_ITEMS",
]

#: Channels starting with this prefix are reserved for the framework. User
#: code can neither send nor listen on them (Electron keeps its own channels
#: apart in the same way).
INTERNAL_PREFIX = "tke:"


class _Msg(msgspec.Struct, tag=True, tag_field="msg", array_like=True, omit_defaults=True, frozen=True):
    """Every message's options. Subclasses repeat ``frozen=True``: msgspec
    inherits it, but type checkers read each class's own ``dataclass_transform``
    keywords (PEP 681)."""


# ---------------------------------------------------------------------------
# Shared pieces


class ErrorInfo(msgspec.Struct, array_like=True, frozen=True):
    """An exception, described so that it can be rebuilt on the other side."""

    type: str
    message: str
    module: str = "builtins"
    traceback: str | None = None


# ---------------------------------------------------------------------------
# DOM ops (renderer -> main, inside Commit)


class ReplaceDocument(_Msg, frozen=True):
    """Replace the whole displayed document with ``html`` (a full page)."""

    html: str


class Insert(_Msg, frozen=True):
    """Insert ``html`` (one or more serialized nodes) into ``parent``.

    The nodes go before the child element ``before``, or at the end when
    ``before`` is None.
    """

    parent: int
    html: str
    before: int | None = None


class Remove(_Msg, frozen=True):
    node: int


class SetAttr(_Msg, frozen=True):
    node: int
    name: str
    value: str


class RemoveAttr(_Msg, frozen=True):
    node: int
    name: str


class SetText(_Msg, frozen=True):
    """The element's children were replaced by a single text node."""

    node: int
    text: str


class SetHTML(_Msg, frozen=True):
    """The element's children were replaced by ``html``."""

    node: int
    html: str


class SetValue(_Msg, frozen=True):
    """The live value of a form control (not its ``value`` attribute)."""

    node: int
    value: str


class SetChecked(_Msg, frozen=True):
    node: int
    checked: bool


class SetTitle(_Msg, frozen=True):
    title: str


class Focus(_Msg, frozen=True):
    node: int


Op = (
    ReplaceDocument
    | Insert
    | Remove
    | SetAttr
    | RemoveAttr
    | SetText
    | SetHTML
    | SetValue
    | SetChecked
    | SetTitle
    | Focus
)


# ---------------------------------------------------------------------------
# Messages that travel both ways (each direction's union lists them)


class Invoke(_Msg, frozen=True):
    """Call the handler of ``channel``; answered by Result or Failure with ``id``.

    With ``stream`` the caller iterates: the handler (an async generator)
    answers with StreamItem messages, as many as the caller's StreamCredit
    allows, then Result (the end) or Failure.
    """

    id: int
    channel: str
    args: list[Any]
    stream: bool = False


class Result(_Msg, frozen=True):
    id: int
    value: Any = None


class Failure(_Msg, frozen=True):
    id: int
    error: ErrorInfo
    channel: str = ""


class Cancel(_Msg, frozen=True):
    """The caller stopped waiting for invoke ``id``: cancel its handler."""

    id: int


class StreamItem(_Msg, frozen=True):
    """One value of stream ``id``, in order."""

    id: int
    value: Any = None


class StreamCredit(_Msg, frozen=True):
    """The consumer of stream ``id`` can take ``count`` more items (backpressure)."""

    id: int
    count: int


# ---------------------------------------------------------------------------
# Main -> renderer


class Init(_Msg, frozen=True):
    """First message to a new renderer: who it is and what to load."""

    window_id: int
    app_root: str
    page: str | None
    preload: str | None
    sandbox: bool | Literal["required"] = True
    development: bool = True
    readable: list[str] = []
    max_frame: int = 64 * 1024 * 1024
    #: The window's channel allowlist (None: all), so refusals fail at the call.
    channels: dict[str, list[str]] | None = None
    #: The renderer's outgoing buffer limits (see common._connection).
    send_high_water: int = 8 * 1024 * 1024
    send_limit: int = 64 * 1024 * 1024

    #: The renderer's resource limits (``max_memory``, ``max_threads``; see
    #: renderer._sandbox.lock_down); None: the defaults.
    limits: dict[str, int | None] | None = None
    #: ``prefers-color-scheme`` for the page (``native_theme`` then; later
    #: changes come on the framework channel ``tke:color-scheme``).
    color_scheme: Literal["light", "dark"] = "light"
    #: What the renderer's ``versions`` says (python, tk, tkhtml, tkelectron; main/_versions).
    versions: dict[str, str] = {}


class Message(_Msg, frozen=True):
    """``web_contents.send`` / ``event.reply``: a one-way message on ``channel``."""

    channel: str
    args: list[Any]
    sender_id: int = 0
    #: How many MessagePorts travel with it (their sockets, by SCM_RIGHTS).
    ports: int = 0


class SyncReply(_Msg, frozen=True):
    """The answer to a ``send_sync`` (SendSync ``id``)."""

    id: int
    value: Any = None
    error: ErrorInfo | None = None


class DomEvent(_Msg, frozen=True):
    """User input on element ``target``, seen by the compositor.

    ``value``/``checked`` carry the control's state at the moment of the event
    so the renderer's DOM mirrors what the user sees before listeners run.
    ``x``/``y`` are the pointer's viewport (client) coordinates. The fields
    after ``drag`` were added later (hence at the end): ``code`` is the DOM
    ``KeyboardEvent.code``; ``modifiers`` the held modifier keys (bits of
    :data:`MODIFIER_BITS`); ``repeat`` a key held down; ``button``/``buttons``
    the DOM ``MouseEvent`` fields; ``delta_x``/``delta_y`` a wheel's pixels;
    ``related`` the other element of a hover or focus change (0: none);
    ``detail`` the click count.
    """

    seq: int
    type: str
    target: int
    value: str | None = None
    checked: bool | None = None
    key: str | None = None
    x: int = 0
    y: int = 0
    #: A drag's part (``_drag_data``): files from another application, or an in-page drag.
    drag: DragData | None = None
    code: str | None = None
    modifiers: int = 0
    repeat: bool = False
    button: int = 0
    buttons: int = 0
    delta_x: float = 0.0
    delta_y: float = 0.0
    related: int = 0
    detail: int = 0


#: DomEvent.modifiers: the bit of each modifier key (DOM names).
MODIFIER_BITS = {"Shift": 1, "Control": 2, "Alt": 4, "Meta": 8}


class Refused(_Msg, frozen=True):
    """Main refused a one-way message on ``channel`` (allowlist or a plugin)."""

    channel: str
    reason: str


class Shutdown(_Msg, frozen=True):
    """Exit cleanly (the window is closing)."""


MainToRenderer = (
    Init
    | Message
    | Invoke
    | Result
    | Failure
    | Cancel
    | StreamItem
    | StreamCredit
    | SyncReply
    | DomEvent
    | Refused
    | Shutdown
)


# ---------------------------------------------------------------------------
# Renderer -> main


class Ready(_Msg, frozen=True):
    """The renderer is locked down and about to run app code.

    ``sandbox`` was a plain dict; a Struct encodes as the same msgpack map, and
    main now decodes it typed (a malformed report is an undecodable frame).
    """

    pid: int
    sandbox: SandboxReport = msgspec.field(default_factory=SandboxReport)


class Commit(_Msg, frozen=True):
    """A batch of DOM ops, flushed once per turn of the renderer's loop."""

    ops: list[Op]


class Settled(_Msg, frozen=True):
    """Every DomEvent up to ``seq`` has been handled and its commits flushed."""

    seq: int


#: A console message's level (the page's console.debug/info/log/warn/error).
ConsoleLevel = Literal["debug", "info", "log", "warning", "error"]


class Console(_Msg, frozen=True):
    level: ConsoleLevel
    message: str
    source: str = ""
    line: int = 0


class PreloadError(_Msg, frozen=True):
    path: str
    error: ErrorInfo


class LoadFailed(_Msg, frozen=True):
    path: str
    error: ErrorInfo


class DidFinishLoad(_Msg, frozen=True):
    title: str = ""


class Send(_Msg, frozen=True, gc=False):
    """``ipc_renderer.send`` / ``post_message``: one-way to main on ``channel``.

    Untracked by the garbage collector (``gc=False``): main decodes a burst
    of sends a read at a time, and thousands of them waiting for their fair
    slice were young objects that outlived collections, each tracked one
    pushing the collector towards a full collection (a burst of 2,000 made
    ~4.6 young collections, ~1.8 untracked). It is safe because a Send is in
    no reference cycle: it holds a str, a list of decoded (or cloned) values
    and an int, and nothing but its reader holds it (listeners get its
    ``args``, never the Send).
    """

    channel: str
    args: list[Any]
    #: How many MessagePorts travel with it (their sockets, by SCM_RIGHTS).
    ports: int = 0


#: The most items one Sends batch may carry (more is an undecodable frame,
#: from a renderer an ``ipc-violation``). It is also where a renderer cuts its
#: batches, so main handles at most this many sends before its fair-reading
#: check (``main/_renderer_messages``) runs again.
SENDS_MAX_ITEMS = 64


class Sends(_Msg, frozen=True):
    """A burst of ``ipc_renderer.send``/``post_message`` calls in one frame.

    A renderer that has more than one send waiting in the same turn of its
    loop sends them as one batch (one frame, one write) instead of one frame
    each; main handles each item exactly as the Send it is, in order, and a
    batch keeps its place among the renderer's other messages (invokes,
    commits, ...). ``ports`` is the sum of the items' ``ports``: every fd the
    frame carries, in the items' order (the connection's fd accounting reads
    this field; main checks that the items add up to it).
    """

    items: Annotated[list[Send], msgspec.Meta(min_length=1, max_length=SENDS_MAX_ITEMS)]
    #: How many MessagePorts travel with the whole batch (their sockets, by SCM_RIGHTS).
    ports: int = 0


class SendSync(_Msg, frozen=True):
    """``ipc_renderer.send_sync``: the renderer blocks until SyncReply ``id``."""

    id: int
    channel: str
    args: list[Any]


class Navigate(_Msg, frozen=True):
    """The user followed a link to ``url`` (a ``file:`` URI for a local page).

    Main decides: ``will-navigate`` first (preventable), then it loads only a
    local ``.html`` page inside the app; anything else goes nowhere.
    """

    url: str


RendererToMain = (
    Ready
    | Commit
    | Settled
    | Console
    | PreloadError
    | LoadFailed
    | DidFinishLoad
    | Send
    | Sends
    | SendSync
    | Invoke
    | Result
    | Failure
    | Cancel
    | StreamItem
    | StreamCredit
    | Navigate
)
