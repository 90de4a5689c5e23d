"""Applying a renderer's DOM commits to a tkinterweb html widget.

The renderer names elements by integer id; :class:`TkDocument` keeps the map
from those ids to Tkhtml node handles, refreshed for the subtree of every
inserted fragment. The costs measured here drive the design (see
``notes/tk.md``):

- new subtrees are parsed as *one* Tkhtml fragment (``$html fragment``) and
  inserted with one ``insert`` call, never node by node;
- repeated ``SetText`` on one node within a commit collapses to the last one,
  and a ``SetText`` on an element whose only child is text replaces that text
  node by a new one (one Tcl call): Tkhtml then re-lays out what changed,
  where ``text set`` is drawn only after a whole-document relayout (796 ms on
  a 10,000-row page);
- an insert is one Tcl call that parses, inserts and indexes the fragment
  (``::tke::insert``: one search of the parent when the new nodes are most of
  its children, as when a list is refilled), and removing nodes or an
  element's whole content is one call per batch (``::tke::discard``,
  ``::tke::clear``), not several per node; an insert's id/handle pairs come
  back as one flat string, and a removal returns only the handles it took
  out, whose ids the reverse map (``TkDocument.ids``) knows, so no id is read
  from Tkhtml for them;
- a fragment without form controls is indexed after the redraw that shows
  it, unless an op needs the id map first (see ``TkDocument.nodes``), and a
  long list given new content (``SetHTML``, as the commit rules hand over a
  list emptied and refilled) gets it parsed inside the copy that replaces
  it (``::tke::clear``/``::tke::swap``), one fragment for both;
- no Python loop walks inserted HTML or text character by character: the
  characters Tk cannot draw (outside the Basic Multilingual Plane) are found
  and replaced by a regular expression, and only when there are any;
- ``SetAttr`` sets the attribute on the node, which Tkhtml re-styles
  incrementally;
- nothing here calls ``update()``: applying a commit never runs a nested event
  loop (tkinterweb's own ``innerHTML``/``textContent`` setters do, so they are
  not used).

Tkhtml crashes when a node holding an embedded widget is destroyed, so every
removal first hands such widgets back (``$node replace $node``) and destroys
them itself. Tkhtml cannot remove an attribute either: ``RemoveAttr`` rebuilds
the element from its remaining attributes and moves its children across, so
CSS such as ``[hidden]`` or ``[disabled]`` stops matching.
"""

from __future__ import annotations

import logging
import re
import tkinter
from typing import Any

from ...common._html import VOID_ELEMENTS, escape_attr, escape_text
from ...common._messages import (
    Focus,
    Insert,
    Op,
    Remove,
    RemoveAttr,
    ReplaceDocument,
    SetAttr,
    SetChecked,
    SetHTML,
    SetText,
    SetTitle,
    SetValue,
)
from ._tk_dom import TEXTAREA, WIDGET_ATTR, TkDom, name
from ._tk_input import TkInput
from ._tk_tags import tag_names, tkhtml_safe

__all__ = ["TkDocument", "coalesce"]

log = logging.getLogger(__name__)

# Ops that cannot change which children an element has, so they never make an
# earlier SetText on another node observable.
_TEXT_NEUTRAL = (SetText, SetAttr, RemoveAttr, SetTitle)


def coalesce(ops: list[Op]) -> list[Op]:
    """Drop every ``SetText`` that a later ``SetText`` on the same node overrides.

    Only ops that cannot observe or restructure the node's children may stand
    between the two; anything else (an insert, a removal, focus...) keeps both.
    """
    keep: list[Op] = []
    overridden: set[int] = set()
    for op in reversed(ops):
        if isinstance(op, SetText):
            if op.node in overridden:
                continue
            overridden.add(op.node)
        elif not isinstance(op, _TEXT_NEUTRAL):
            overridden.clear()
        keep.append(op)
    keep.reverse()
    return keep


# Tk 8.6 crashes drawing characters outside the Basic Multilingual Plane.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# The tags tkinterweb makes a widget for (main's rebuilt HTML names tags in
# lower case, as ``tag_names`` reads them).
_CONTROL_TAGS = frozenset({"input", "textarea", "select"})


def _bmp(text: str) -> str:
    """``text`` with every character Tk cannot draw replaced by U+FFFD."""
    if text.isascii() or not _ASTRAL.search(text):
        return text
    return _ASTRAL.sub("\ufffd", text)


def _no_noto_emoji(match: re.Match[str]) -> str:
    return match.group().lower().replace("noto color emoji", "arial")


# tkinterweb's Tkhtml 3.0 workarounds (bindings.TkinterWeb._crash_prevention),
# each with the text it needs to find (case folded) before it is worth running.
_TKHTML30_FIXES: tuple[tuple[str, re.Pattern[str], Any], ...] = (
    ("font-family:", re.compile("font-family:[^;']*(;)?", re.IGNORECASE), _no_noto_emoji),
    ("rgb(", re.compile(r"rgb\([^0-9](.*?)\)", re.IGNORECASE), "inherit"),
    ("style=", re.compile(r'style=(["\'])\s+', re.IGNORECASE), r"style=\1"),
)


class TkDocument:
    """The displayed document of one surface, addressed by renderer node id."""

    def __init__(self, frame: Any, dom: TkDom, inputs: TkInput) -> None:
        self.frame = frame
        self.html = frame.html
        self.tk = frame.html.tk
        self.dom = dom
        self.inputs = inputs
        self._nodes: dict[int, str] = {}
        self._ids: dict[str, int] = {}
        #: Whether Tcl holds an insertion's index for later (``TkDom.later``).
        self._later = False
        self._catch_up_due = False
        #: Live values of value-carrying elements that have no widget (hidden inputs).
        self.values: dict[int, str] = {}
        self.title = ""
        self._pending: set[str] = set()  # `after` ids of deferred destroys

    # -- the id map -------------------------------------------------------------------
    #
    # A fragment without form controls is inserted at once and indexed later
    # (``TkDom.insert_later``): reading a thousand rows' ids from Tkhtml and
    # mapping them (~0.5 ms) waits until after the redraw that shows them,
    # or until something needs the map first. What needs it: a lookup that
    # misses (a hit is right as it is: a pending index only adds ids the map
    # does not hold, since a removal catches up first), a removal (whose
    # handles must be known before they are forgotten), anything indexed at
    # once, and whoever reads the whole map.

    @property
    def nodes(self) -> dict[int, str]:
        """Renderer node id -> Tkhtml handle of every element displayed."""
        if self._later:
            self._catch_up()
        return self._nodes

    @property
    def ids(self) -> dict[str, int]:
        """The reverse of ``nodes`` for every handle indexed and not yet
        discarded (a rebuilt element's old handle too, until it goes), so a
        removal reads no ids from Tkhtml."""
        if self._later:
            self._catch_up()
        return self._ids

    def _node(self, node: int) -> str | None:
        """The handle of ``node``, catching up with a pending index only when it is not mapped yet."""
        handle = self._nodes.get(node)
        if handle is None and self._later:
            self._catch_up()
            handle = self._nodes.get(node)
        return handle

    def _catch_up(self) -> None:
        """Map what was inserted without its index (``TkDom.later``)."""
        self._later = False
        ids = self.dom.later()
        self._nodes.update(ids)
        self._ids.update(zip(ids.values(), ids.keys(), strict=True))

    def _catch_up_after_redraw(self) -> None:
        self._catch_up_due = False
        if self._later:
            self._catch_up()

    # -- commits --------------------------------------------------------------------

    def apply(self, ops: list[Op]) -> None:
        """Apply one commit in order; a bad op is logged and skipped."""
        with self.inputs.suppressed():
            for op in coalesce(ops):
                try:
                    self._apply_one(op)
                except (tkinter.TclError, KeyError, RuntimeError) as exc:
                    # The op's type and node, not its repr: a renderer chose its text.
                    log.warning("could not apply %s to node %s: %s", type(op).__name__,
                                getattr(op, "node", getattr(op, "parent", "-")), str(exc)[:200])

    def _apply_one(self, op: Op) -> None:
        if isinstance(op, ReplaceDocument):
            self.replace_document(op.html)
        elif isinstance(op, SetTitle):
            self.title = op.title
        elif isinstance(op, Insert):
            self._insert(op)
        else:
            handle = self._node(op.node)
            if handle is None:
                log.debug("op %r names a node that is not displayed", op)
                return
            if isinstance(op, Remove):
                self._discard([handle])
            elif isinstance(op, SetText):
                self._set_text(op.node, handle, op.text)
            elif isinstance(op, SetHTML):
                self._set_html(op.node, handle, op.html)
            elif isinstance(op, SetAttr):
                self.tk.call(handle, "attribute", op.name, _bmp(op.value))
                self.dom.mark_gone(handle, op.name, False)
                if op.name == "disabled":
                    self.inputs.set_disabled(op.node, True)
            elif isinstance(op, RemoveAttr):
                self._remove_attr(op.node, handle, op.name)
            elif isinstance(op, SetValue):
                if not self.inputs.set_value(op.node, op.value):
                    self.values[op.node] = op.value
            elif isinstance(op, SetChecked):
                self.inputs.set_checked(op.node, op.checked)
            elif isinstance(op, Focus):
                if not self.inputs.focus(op.node):
                    self.inputs.take_focus(self.html)

    def replace_document(self, html: str) -> None:
        self.inputs.forget_all()
        self._nodes.clear()
        self._ids.clear()
        self._later = False
        self.dom.drop_later()
        self.values.clear()
        self.tk.call("array", "unset", "::tke::gone")
        self.html.hovered_nodes = []
        self.html.current_hovered_node = None
        self.frame.load_html(html)
        self.dom.removed()  # the old document's nodes are gone; its layout is not redone yet
        root = self.dom.root()
        if root:
            self._index([root])

    # -- helpers ----------------------------------------------------------------------

    def _fragment(self, html: str) -> tuple[str, ...]:
        """Parse ``html`` into orphan nodes with one Tkhtml fragment parse."""
        safe = self._crash_prevention(tkhtml_safe(html))
        if "<textarea" not in safe.lower():
            return self._parse(safe)
        # Tkhtml drops a <textarea> at the top level of a fragment, but keeps
        # one inside an element: parse inside a wrapper and lift the nodes out.
        wrapper = self._parse(f"<div>{safe}</div>")[0]
        nodes = tuple(self.dom.children(wrapper))
        if nodes:
            self.tk.call(wrapper, "remove", nodes)
        self.tk.call(wrapper, "destroy")
        return nodes

    def _crash_prevention(self, html: str) -> str:
        """tkinterweb's ``_crash_prevention``, without its per-character Python scan.

        It drops the characters outside the Basic Multilingual Plane (a
        regular expression finds them, when there are any) and, with Tkhtml
        3.0, rewrites the CSS that crashes it, with the same expressions.
        """
        if not self.html.crash_prevention_enabled:
            return html
        if not html.isascii() and _ASTRAL.search(html):
            html = _ASTRAL.sub("", html)
        if self.html.using_tkhtml30:
            # Scanning for a word is much cheaper than a case-blind expression
            # (1000 rows: 0.1 ms against 1.4 ms); casefold() folds whatever
            # the expressions' IGNORECASE would match.
            folded = html.lower() if html.isascii() else html.casefold()
            for needle, pattern, replacement in _TKHTML30_FIXES:
                if needle in folded:
                    html = pattern.sub(replacement, html)
        return html

    def _parse(self, html: str) -> tuple[str, ...]:
        return tuple(name(h) for h in self.tk.splitlist(self.tk.call(self.html._w, "fragment", html)))

    def _insert(self, op: Insert) -> None:
        parent = self._node(op.parent)
        if parent is None:
            log.debug("insert into node %s, which is not displayed", op.parent)
            return
        before = self._node(op.before) if op.before is not None else None
        self._insert_html(parent, op.html, before)

    def _set_html(self, node: int, handle: str, html: str) -> None:
        """Replace the content of element ``handle`` by ``html``.

        New content without form controls goes in with the clear when the
        element is replaced by a copy of itself (``::tke::swap``: a list
        refilled), parsed inside the copy in the same fragment; else the
        element is cleared and the content inserted.
        """
        names = tag_names(html)
        if html and names.isdisjoint(_CONTROL_TAGS):
            safe = self._crash_prevention(tkhtml_safe(html, names))
            handle, filled = self._clear(handle, safe)
            if filled:
                self._index_later()
                return
            self._insert_safe(handle, html, safe, names, None)
        else:
            handle, _ = self._clear(handle)
            self._insert_html(handle, html, None)
        if self.dom.tag(handle) == "select":
            self._rebuild(node, handle, None)  # its widget lists the old options

    def _index_later(self) -> None:
        """Note that Tcl holds an index for later (see nodes), caught up after the redraw at the latest."""
        self._later = True
        if not self._catch_up_due:
            self._catch_up_due = True
            self._after_redraw(self._catch_up_after_redraw, then_timer=True)

    def _insert_html(self, parent: str, html: str, before: str | None) -> None:
        # One pass over the HTML names its tags for the three questions below
        # (1000 rows: ~0.15 ms less than a pass for each).
        names = tag_names(html)
        self._insert_safe(parent, html, self._crash_prevention(tkhtml_safe(html, names)), names, before)

    def _insert_safe(self, parent: str, html: str, safe: str, names: set[str], before: str | None) -> None:
        """Insert ``html`` (``safe``: as Tkhtml may parse it; ``names``: its tags)."""
        controls = not names.isdisjoint(_CONTROL_TAGS)
        if "textarea" not in names:
            if not controls:
                # Parsed and inserted in one Tcl call, indexed later (see nodes).
                self.dom.insert_later(parent, before, safe)
                self._index_later()
                return
            # Parsed, inserted and indexed in one Tcl call.
            ids, found = self.dom.insert(parent, before, safe, controls)
            self._indexed(ids, found)
            return
        fragment = self._fragment(html)
        if fragment:
            if before:
                self.tk.call(parent, "insert", "-before", before, fragment)
            else:
                self.tk.call(parent, "insert", fragment)
            self._index(list(fragment), controls=controls)

    def _index(self, handles: list[str], controls: bool = True) -> None:
        """Map the ids in these new subtrees and start watching their controls
        (``controls=False``: the caller knows they hold none)."""
        self._indexed(*self.dom.index(handles, controls))

    def _indexed(self, ids: dict[int, str], controls: list[tuple[int, str]]) -> None:
        self.nodes.update(ids)
        self.ids.update(zip(ids.values(), ids.keys(), strict=True))
        for node, handle in controls:
            self.inputs.attach(node, handle)

    def _discard(self, handles: list[str]) -> None:
        """Remove and destroy these nodes with their subtrees, widgets first.

        A subtree that held an embedded widget is taken out of the tree at
        once, but destroyed only after Tkhtml's next layout and redraw: Tkhtml
        segfaults (measured here) when such a node is destroyed while a
        relayout that still refers to it is pending.
        """
        if handles:
            if self._later:
                self._catch_up()  # before anything leaves the tree (see nodes)
            # Everything that holds no widget goes in one Tcl call.
            self._discarded(*self.dom.discard(handles))

    def _clear(self, handle: str, content: str = "") -> tuple[str, bool]:
        """Discard all the children of ``handle`` (one Tcl call when none holds a widget).

        Returns the element's handle from now on: with many children it is
        replaced by a copy of itself (``::tke::swap``), and the maps follow,
        so its id names the copy; and whether that copy holds ``content``
        (safe HTML without form controls, its index left for later), which
        the caller inserts otherwise.
        """
        if self._later:
            self._catch_up()  # before anything leaves the tree (see nodes)
        gone, left, fresh = self.dom.clear(handle, content)
        if fresh:
            node = self._ids.pop(handle, None)
            if node is not None:
                self._nodes[node] = fresh
                self._ids[fresh] = node
            self._forget_hover()  # tkinterweb's hover chain may hold the old handle
        self._discarded(gone, left)
        return fresh or handle, bool(fresh and content)

    def _discarded(self, gone: list[str], handles: list[str]) -> None:
        """Forget what ``::tke::discard`` took out (``gone``: handles); discard
        ``handles`` (which hold widgets) the careful way."""
        later_nodes: list[str] = []
        later_widgets: list[Any] = []
        if not gone and not handles:
            return
        nodes, values, ids = self.nodes, self.values, self.ids
        for h in gone:
            node = ids.pop(h, None)
            if node is not None and nodes.get(node) == h:
                del nodes[node]
                if values:
                    values.pop(node, None)
        for handle in handles:
            holders: list[str] = []
            if self.dom.tag(handle):
                for node, h in self.dom.ids(handle).items():
                    ids.pop(h, None)
                    if self.nodes.get(node) == h:
                        del self.nodes[node]
                        self.values.pop(node, None)
                    self.dom.mark_gone(h, "", False)
                holders = self.dom.search(f"[{WIDGET_ATTR}]", root=handle)
                if self.dom.attr(handle, WIDGET_ATTR):
                    holders.append(handle)
                for holder in holders:
                    widget = self.inputs.forget(holder) or self.html.widget_manager.get_node_widget(holder)
                    self.html.form_manager.form_widgets.pop(holder, None)
                    self.tk.call(holder, "replace", holder)  # unmaps the widget now
                    if widget is not None:
                        later_widgets.append(widget)
            parent = self.dom.parent(handle)
            if parent:
                self.tk.call(parent, "remove", handle)
                self.dom.removed()
            if holders:
                later_nodes.append(handle)
            else:
                self.dom.doom([handle])
        # tkinterweb remembers hovered nodes and would touch destroyed ones.
        self._forget_hover()
        if later_nodes or later_widgets:
            self._after_redraw(lambda: self._destroy(later_nodes, later_widgets))

    def _forget_hover(self, only: str | None = None) -> None:
        """Drop tkinterweb's hover state (all of it, or only when it holds ``only``)."""
        if only is not None and only != str(self.html.current_hovered_node) \
                and only not in (str(n) for n in self.html.hovered_nodes):
            return
        self.html.hovered_nodes = []
        self.html.current_hovered_node = None

    def _after_redraw(self, fn: Any, *, then_timer: bool = False) -> None:
        """Run ``fn`` after two idle rounds: Tkhtml lays out in the first and
        redraws (scheduled by the layout) in the second. ``then_timer``: on a
        timer after the second, so that nothing else of that round (whoever
        waits for the redraw) waits for ``fn`` too."""
        current: list[str] = []

        def third() -> None:
            self._pending.discard(current[0])
            fn()

        def second() -> None:
            self._pending.discard(current[0])
            if then_timer:
                current[0] = self.html.after(0, third)
                self._pending.add(current[0])
                return
            fn()

        def first() -> None:
            self._pending.discard(current[0])
            current[0] = self.html.after_idle(second)
            self._pending.add(current[0])

        current.append(self.html.after_idle(first))
        self._pending.add(current[0])

    def close(self) -> None:
        """Cancel deferred work; the Tcl event loop is shared by every
        interpreter in the thread, so it would otherwise run after this
        document's widget is gone."""
        for after_id in list(self._pending):
            try:
                self.html.after_cancel(after_id)
            except tkinter.TclError:
                pass
        self._pending.clear()

    def _destroy(self, handles: list[str], widgets: list[Any]) -> None:
        for handle in handles:
            try:
                self.tk.call(handle, "destroy")
            except tkinter.TclError:
                pass  # the whole document was reset or destroyed meanwhile
        for widget in widgets:
            try:
                widget.destroy()
            except tkinter.TclError:
                pass

    def _set_text(self, node: int, handle: str, text: str) -> None:
        text = _bmp(text)
        replaced = self.dom.set_text(handle, escape_text(text))
        if replaced == TEXTAREA:
            # Its widget shows the text; its own text node is only kept in step
            # (rare enough that the whole-document relayout does not matter).
            self.inputs.set_value(node, text)
            kids = self.dom.children(handle)
            if len(kids) == 1 and not self.dom.tag(kids[0]):
                self.tk.call(kids[0], "text", "set", text)
                self.html.relayout()
            return
        if replaced is not None:
            if replaced:
                self._forget_hover(replaced)
            return
        handle, _ = self._clear(handle)
        if text:
            self._insert_html(handle, escape_text(text), None)

    def _remove_attr(self, node: int, handle: str, name: str) -> None:
        if name not in self.dom.attrs(handle):
            return
        if name == "disabled":
            self.inputs.set_disabled(node, False)
        if not self.dom.parent(handle) or self.dom.tag(handle) in ("html", "head", "body"):
            # These cannot be replaced safely: blank the value and hide it.
            self.tk.call(handle, "attribute", name, "")
            self.dom.mark_gone(handle, name, True)
            return
        self._rebuild(node, handle, name)

    def _rebuild(self, node: int, handle: str, drop: str | None) -> None:
        """Replace element ``handle`` by a copy without attribute ``drop``.

        Ordinary children are moved across (their handles and widgets survive);
        a control is re-parsed whole so tkinterweb builds a fresh widget, and its
        live value and checked state are carried over.
        """
        tag = self.dom.tag(handle)
        attrs = self.dom.attrs(handle)
        attrs.pop(drop or "", None)
        open_tag = f"<{tag}" + "".join(f' {k}="{escape_attr(v)}"' for k, v in attrs.items()) + ">"
        control = self.inputs.control(node)
        value = self.inputs.value(node) if control else None
        checked = self.inputs.checked(node) if control else None
        kids = self.dom.children(handle)
        whole = control is not None or tag in ("textarea", "select")
        if tag in VOID_ELEMENTS:
            source = open_tag
        elif whole:
            inner = "".join(self.dom.outer_html(k) for k in kids)
            source = f"{open_tag}{inner}</{tag}>"
        else:
            source = f"{open_tag}</{tag}>"
        fresh = self._fragment(source)[0]
        if kids and not whole and tag not in VOID_ELEMENTS:
            self.tk.call(handle, "remove", kids)
            self.tk.call(fresh, "insert", kids)
        self.tk.call(self.dom.parent(handle), "insert", "-before", handle, fresh)
        self._discard([handle])
        self._index([fresh])
        if value is not None and (tag != "select" or drop is not None):
            self.inputs.set_value(node, value)
        if checked is not None:
            self.inputs.set_checked(node, checked)
