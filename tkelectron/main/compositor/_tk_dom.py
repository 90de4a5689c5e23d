"""Reading and walking Tkhtml's document tree, in Tcl where it is hot.

Tkhtml names every node with a Tcl command (``::tkhtml::node12``); the
renderer names every element with an integer it writes into the
``data-tke-id`` attribute. The procedures below, defined once per Tcl
interpreter in the ``::tke`` namespace, do the walks that would otherwise cost
one Python-to-Tcl round trip per node: collecting ids of a subtree, hit-testing
a point up to the nearest element with an id, text content and serialization.

Tkhtml cannot remove an attribute (its ``attribute`` command only sets), so the
few places where the compositor has to fake a removal record the names in the
Tcl array ``::tke::gone`` and the serializer leaves them out.
"""

from __future__ import annotations

import tkinter
from typing import Any

__all__ = ["WIDGET_ATTR", "ID_ATTR", "TAG_ATTR", "TEXTAREA", "install_procs", "TkDom", "name"]

#: The attribute tkinterweb writes on a node that holds an embedded Tk widget.
WIDGET_ATTR = "-tkinterweb-widget-container"
#: The attribute that carries the renderer's node id.
ID_ATTR = "data-tke-id"
#: The page's own tag of an element Tkhtml got under another name (see _tk_tags).
TAG_ATTR = "data-tke-tag"
#: What :meth:`TkDom.set_text` returns for a ``<textarea>``, whose text it leaves alone.
TEXTAREA = "=textarea"

_VOID = "area base br col embed hr img input keygen link meta param source track wbr"

_PROCS = r"""
namespace eval ::tke {
    variable gone
    array set gone {}
    variable doomed
    array set doomed {}
    variable later
    array set later {}
}
# Destroy these nodes (already out of the tree) once Tkhtml has laid out
# again. Until its next layout, Tkhtml's canvas still points at the nodes it
# last drew: destroying one frees memory that `$html node x y` (tkinterweb's
# click and hover handlers) then reads, and main segfaults. Two idle rounds
# and a timer: the layout Tkhtml scheduled when they were removed runs in the
# first round, the redraw in the second, the destroys after both.
proc ::tke::doom {html nodes} {
    variable doomed
    if {![llength $nodes]} return
    ::tke::removed $html
    lappend doomed($html) {*}$nodes
}
# Record that nodes left $html's tree: until the reap after two idle rounds
# (after the layout Tkhtml scheduled for the removal), ::tke::settle lays the
# document out before a read of it.
proc ::tke::removed {html} {
    variable doomed
    if {![info exists doomed($html)]} {
        # A fresh empty list, not the literal {}: Tcl shares literals, and the
        # reap's foreach would give the interpreter's "" a list form, which
        # tkinter then hands over as () wherever a proc returns "".
        set doomed($html) [list]
        # The destroys wait for a timer after the second idle round, where
        # Tkhtml redraws: 1000 rows destroyed there (~0.8 ms) delayed the
        # refilled list's pixels; after it, they cost the user nothing.
        after idle [list after idle [list after 0 [list ::tke::reap $html]]]
    }
}
# Lay $html's document out now when nodes left it since its last layout: a
# read of that stale layout (`node x y`, `tag add`) meets nodes no longer in
# the tree, and main crashes. A layout pending for anything else (a restyle:
# the :active look a press gives a button, an attribute, an insert) is left
# to its idle round; forced, it cost a whole-document layout on each click's
# release (10,000 rows: ~20 ms), and a second one when the click's change came.
proc ::tke::settle {html} {
    variable doomed
    if {[info exists doomed($html)]} {$html _force}
}
# Destroy the nodes doomed so far now, not after the idle rounds; 1 when
# there were any. What is pending is laid out first, so that no layout or
# canvas still points at them (a sliced commit calls it before main's loop
# runs between its slices: after a list's clear the layout is cheap).
proc ::tke::free {html} {
    variable doomed
    if {![info exists doomed($html)]} {return 0}
    $html _force
    ::tke::reap $html
    return 1
}
proc ::tke::reap {html} {
    variable doomed
    if {![info exists doomed($html)]} return
    set nodes $doomed($html)
    unset doomed($html)
    # A node is gone already when its document was reset or its widget destroyed.
    foreach n $nodes {catch {$n destroy}}
}
# id/handle pairs for $node (when it is an element) and its descendants.
# A node whose children are all text (a list row) has no descendant to
# search for: its children's tags are read instead of a search each (the
# rows of a 10,000-row refill's later slices, indexed one by one: ~1.9 ms ->
# ~1.3 ms a thousand).
proc ::tke::ids {html node} {
    set out {}
    if {[$node tag] eq ""} {return $out}
    set id [$node attribute -default "" data-tke-id]
    if {$id ne ""} {lappend out $id $node}
    foreach c [$node children] {
        if {[$c tag] ne ""} {
            foreach n [$html search {[data-tke-id]} -root $node] {
                lappend out [$n attribute data-tke-id] $n
            }
            break
        }
    }
    return $out
}
# For new subtrees: {id/handle pairs} {id/handle pairs of their form controls
# (when $want)}, each a flat string, in one call however many handles.
proc ::tke::index {html handles want} {
    set ids {}
    set controls {}
    foreach h $handles {
        set tag [$h tag]
        if {$tag eq ""} continue
        lappend ids {*}[::tke::ids $html $h]
        if {$want} {lappend controls {*}[::tke::controls $html $h $tag]}
    }
    return [list [join $ids] [join $controls]]
}
proc ::tke::controls {html h tag} {
    set out {}
    set found [$html search {input, textarea, select} -root $h]
    if {$tag in {input textarea select}} {set found [linsert $found 0 $h]}
    foreach c $found {
        set id [$c attribute -default "" data-tke-id]
        if {$id ne ""} {lappend out $id $c}
    }
    return $out
}
# Parse $source as a fragment, insert it into $parent (before $before, unless
# ""), and index it as ::tke::index does. When the new nodes are most of the
# parent's children (a list refilled), one search of the parent finds their
# ids (the other children's come along unchanged), not one search each.
# With $defer (and no controls wanted) the index is left for ::tke::later:
# nothing is returned, and what to index is kept here.
proc ::tke::insert {html parent before source want {defer 0}} {
    set new [$html fragment $source]
    if {![llength $new]} {return [list {} {}]}
    if {$before ne ""} {$parent insert -before $before $new} else {$parent insert $new}
    set few [expr {[llength $new] < 16 || 2 * [llength $new] < [llength [$parent children]]}]
    if {$defer && !$want} {
        variable later
        if {$few} {lappend later($html) new $new} else {lappend later($html) under $parent}
        return [list {} {}]
    }
    if {$few} {
        return [::tke::index $html $new $want]
    }
    set ids {}
    foreach n [$html search {[data-tke-id]} -root $parent] {lappend ids [$n attribute data-tke-id] $n}
    set controls {}
    if {$want} {
        foreach h $new {
            set tag [$h tag]
            if {$tag ne ""} {lappend controls {*}[::tke::controls $html $h $tag]}
        }
    }
    return [list [join $ids] [join $controls]]
}
# The id/handle pairs (a flat string) of what ::tke::insert left to index,
# in the order it was inserted; nothing is left afterwards. Each new subtree
# is still in the tree: the compositor asks for them before it removes
# anything (and a document reset drops them: ::tke::drop_later).
proc ::tke::later {html} {
    variable later
    if {![info exists later($html)]} {return ""}
    set todo $later($html)
    unset later($html)
    set ids {}
    # (A node gone meanwhile, which the compositor's order rules out, is
    # passed over rather than failing the rest.)
    foreach {kind handles} $todo {
        if {$kind eq "under"} {
            if {[catch {$html search {[data-tke-id]} -root $handles} found]} continue
            foreach n $found {lappend ids [$n attribute data-tke-id] $n}
        } else {
            foreach h $handles {
                if {![catch {$h tag} tag] && $tag ne ""} {lappend ids {*}[::tke::ids $html $h]}
            }
        }
    }
    return [join $ids]
}
proc ::tke::drop_later {html} {
    variable later
    unset -nocomplain later($html)
}
# Take these nodes out of the tree (destroyed after the next layout: ::tke::doom),
# all but those holding an embedded widget (left in place for the caller's
# careful path), in one call.
# Returns {handles of the elements with an id taken out, joined in one
# string} {handles left}: the caller knows each handle's id (it indexed
# them), so none is read here (1000 rows: ~0.4 ms of attribute reads).
proc ::tke::discard {html handles} {
    variable gone
    set ids {}
    set left {}
    set p [[lindex $handles 0] parent]
    if {$p ne "" && [$p children] eq $handles
        && ![llength [$html search {[-tkinterweb-widget-container]} -root $p]]} {
        return [::tke::discard_all $html $p $handles]
    }
    foreach h $handles {
        if {[$h tag] ne ""} {
            if {[$h attribute -default "" -tkinterweb-widget-container] ne ""
                || [llength [$html search {[-tkinterweb-widget-container]} -root $h]]} {
                lappend left $h
                continue
            }
            foreach {id n} [::tke::ids $html $h] {
                lappend ids $n
                unset -nocomplain gone($n)
            }
        }
        set p [$h parent]
        if {$p ne ""} {$p remove $h}
        ::tke::doom $html [list $h]
    }
    return [list [join $ids] $left]
}
# All of $p's children ($handles) when no widget is among them (SetText,
# SetHTML, a list cleared): two searches and one remove for all.
proc ::tke::discard_all {html p handles} {
    variable gone
    set taken [$html search {[data-tke-id]} -root $p]
    if {[array size gone]} {
        foreach n $taken {unset -nocomplain gone($n)}
    }
    $p remove $handles
    ::tke::doom $html $handles
    return [list [join $taken] {}]
}
# ::tke::discard of all the children of $node (nothing: two empty lists),
# plus "" or the empty copy of $node that took its place (::tke::swap).
# They are its children by construction: no comparison of the two lists
# (1000 rows: ~0.2 ms of string forms) before the shortcut.
# With $content (safe HTML without form controls), a copy that took $node's
# place holds it already, parsed with it, its index left for ::tke::later;
# when none did, the caller inserts it.
proc ::tke::clear {html node {content ""}} {
    variable gone
    set kids [$node children]
    if {![llength $kids]} {return [list {} {} {}]}
    set new [::tke::swap $html $node [llength $kids] $content]
    if {$new ne ""} {
        set taken [$html search {[data-tke-id]} -root $node]
        if {[array size gone]} {
            foreach n $taken {unset -nocomplain gone($n)}
        }
        set p [$node parent]
        $p insert -before $node $new
        $p remove $node
        ::tke::doom $html [list $node]
        if {$content ne ""} {
            variable later
            lappend later($html) under $new
        }
        return [list [join $taken] {} $new]
    }
    if {![llength [$html search {[-tkinterweb-widget-container]} -root $node]]} {
        return [list {*}[::tke::discard_all $html $node $kids] {}]
    }
    return [list {*}[::tke::discard $html $kids] {}]
}
# An empty copy of $node (same tag and attributes, parsed afresh, not yet in
# the tree) to put in its place when its $count children are cleared, or ""
# when the old path is the right one. Tkhtml removes children one by one,
# each removal a walk of the sibling list: 10,000 rows took ~32 ms to remove
# and ~18 ms to destroy, against ~6 ms to swap the parent and ~8 ms to destroy
# it whole. Only for many children (a handful cost less than the parse), and
# only for the plain containers of a list: Tkhtml's fragment parser crashes
# the process on a tag it has no entry for (a <section> or <my-list> of the
# first document load keeps its name: see _tk_tags), tkinterweb's handlers
# watch others (forms, tables, links...), and the document's frame (html,
# head, body) is not to be swapped. Never for one whose subtree holds an
# embedded widget or a form control (their widgets and state hang on the
# handles), one with an attribute faked removed (::tke::gone), or one that
# scrolls itself (its scroll offset would reset).
# With $content, the copy holds it (a list refilled: its new rows parsed in
# their list, in one fragment with it, cost less than the rows parsed alone
# and then inserted: 1000 rows, ~0.8 against ~1.6 ms with the clear); not
# for a tbody, whose rows Tkhtml's fragment parser takes only at the top
# level.
proc ::tke::swap {html node count {content ""}} {
    variable gone
    if {$count <= 64} {return ""}
    set tag [$node tag]
    if {$tag ni {ul ol dl div tbody menu} || ($content ne "" && $tag eq "tbody")} {return ""}
    if {[$node parent] eq "" || [info exists gone($node)]} {return ""}
    if {[$node attribute -default "" -tkinterweb-widget-container] ne ""} {return ""}
    if {[catch {$node property overflow} overflow] || $overflow ne "visible"} {return ""}
    if {[llength [$html search {[-tkinterweb-widget-container], input, textarea, select} -root $node]]} {
        return ""
    }
    set source "<$tag"
    foreach {k v} [$node attribute] {
        append source " $k=\"[string map {& &amp; \" &quot; < &lt; > &gt;} $v]\""
    }
    append source ">$content</$tag>"
    set new [$html fragment $source]
    if {[llength $new] != 1 || [$new tag] ne $tag
        || [$new attribute] ne [$node attribute]} {
        foreach n $new {catch {$n destroy}}
        return ""
    }
    return $new
}
# Set the text of $node when its content is at most one text node: the old
# text node is replaced by the one parsed from $source (escaped text), so
# Tkhtml re-lays out what changed (`text set` is drawn only after a
# whole-document relayout). Returns the replaced text node, "" when there was
# none, "-" when the content is more than that (the caller's general path), or
# =textarea for a <textarea> (as the page named it), left alone for the caller.
# The old node is doomed, not destroyed: freed now, its memory goes to the
# next new text node and Tkhtml's redraw finds nothing to paint when the text
# keeps its width (a label's "2" after "1" stayed on screen as 1).
proc ::tke::set_text {html node source} {
    if {[$node attribute -default [$node tag] data-tke-tag] eq "textarea"} {return =textarea}
    set kids [$node children]
    if {[llength $kids] > 1} {return -}
    set old [lindex $kids 0]
    if {$old ne "" && [$old tag] ne ""} {return -}
    if {$source ne ""} {
        set new [$html fragment $source]
        if {[llength $new]} {
            if {$old ne ""} {$node insert -before $old $new} else {$node insert $new}
        }
    }
    if {$old ne ""} {
        $node remove $old
        ::tke::doom $html [list $old]
    }
    return $old
}
# The id of the innermost element with an id under point (x, y), or "".
# Laid out first when a removal left that pending (see _tk_stale_layout).
proc ::tke::hit {html x y} {
    ::tke::settle $html
    set n [lindex [lindex [$html node $x $y] end] end]
    while {$n ne ""} {
        if {[$n tag] ne ""} {
            set id [$n attribute -default "" data-tke-id]
            if {$id ne ""} {return $id}
        }
        set n [$n parent]
    }
    return ""
}
proc ::tke::text {node} {
    if {[$node tag] eq ""} {return [$node text -pre]}
    set t ""
    foreach c [$node children] {append t [::tke::text $c]}
    return $t
}
proc ::tke::html {node} {
    variable gone
    set tag [$node tag]
    if {$tag eq ""} {
        return [string map {& &amp; < &lt; > &gt;} [$node text -pre]]
    }
    set tag [$node attribute -default $tag data-tke-tag]
    set skip [list -tkinterweb-widget-container data-tke-tag]
    if {[info exists gone($node)]} {lappend skip {*}$gone($node)}
    set out "<$tag"
    foreach {k v} [$node attribute] {
        if {$k in $skip} continue
        append out " $k=\"[string map {& &amp; \" &quot; < &lt; > &gt;} $v]\""
    }
    append out ">"
    if {$tag in {%s}} {return $out}
    foreach c [$node children] {append out [::tke::html $c]}
    append out "</$tag>"
    return $out
}
# True when $node or an ancestor is display:none or visibility:hidden.
proc ::tke::hidden {node} {
    if {[$node property visibility] eq "hidden"} {return 1}
    for {set n $node} {$n ne ""} {set n [$n parent]} {
        if {[$n tag] ne "" && [$n property display] eq "none"} {return 1}
    }
    return 0
}
""" % _VOID  # noqa: UP031 - Tcl source: its braces rule out str.format


def name(obj: Any) -> str:
    """A node handle as a plain string.

    A handle that went through a Tcl list (moved with ``insert``) can come back
    from Tkhtml as a Tcl object with a nested-list internal form, which tkinter
    turns into ``(('::tkhtml::node13',),)``; its string is still the name.
    """
    while isinstance(obj, tuple) and len(obj) == 1:
        obj = obj[0]
    return str(obj)


def _pairs(flat: tuple[Any, ...]) -> dict[int, str]:
    return {int(name(flat[i])): name(flat[i + 1]) for i in range(0, len(flat), 2)}


def _words(joined: Any) -> list[str]:
    """The words of a flat string of ids and handles (ids are digits, handles
    ``::tkhtml::nodeN``: neither holds a space), split in one C-level pass,
    not a ``name`` call each (a thousand rows' handles: ~0.1 ms)."""
    return (" ".join(map(name, joined)) if isinstance(joined, tuple) else str(joined)).split()


def _joined_pairs(joined: Any) -> dict[int, str]:
    """Id/handle pairs from a flat string of them (see :func:`_words`)."""
    flat = _words(joined)
    return dict(zip(map(int, flat[::2]), flat[1::2], strict=True))


def install_procs(interp: tkinter.Misc) -> None:
    """Define the ``::tke`` procedures in ``interp`` unless already there."""
    if not interp.tk.call("info", "commands", "::tke::ids"):
        interp.tk.eval(_PROCS)


class TkDom:
    """Read-only views of one html widget's document, by Tkhtml handle."""

    def __init__(self, html: Any) -> None:
        self.html = html
        self.tk = html.tk
        install_procs(html)

    def ids(self, handle: str) -> dict[int, str]:
        """The ids of ``handle``'s subtree (itself included) to their handles."""
        return _pairs(self.tk.splitlist(self.tk.call("::tke::ids", self.html._w, handle)))

    def index(self, handles: list[str], with_controls: bool = True) -> tuple[dict[int, str], list[tuple[int, str]]]:
        """The ids of these subtrees to their handles, and their controls' (id, handle).

        ``with_controls=False`` skips the search for controls (a caller that
        knows there are none: it costs most of the call).
        """
        return self._indexed(self.tk.call("::tke::index", self.html._w, tuple(handles), int(with_controls)))

    def insert(self, parent: str, before: str | None, source: str,
               with_controls: bool = True) -> tuple[dict[int, str], list[tuple[int, str]]]:
        """Parse ``source`` as one fragment, insert it into ``parent`` (before
        ``before``) and index it as :meth:`index` does, in one Tcl call."""
        return self._indexed(self.tk.call("::tke::insert", self.html._w, parent, before or "", source,
                                          int(with_controls)))

    def insert_later(self, parent: str, before: str | None, source: str) -> None:
        """Parse ``source`` as one fragment and insert it into ``parent`` (before
        ``before``), in one Tcl call, leaving its index to :meth:`later`. For a
        fragment without form controls."""
        self.tk.call("::tke::insert", self.html._w, parent, before or "", source, 0, 1)

    def later(self) -> dict[int, str]:
        """The ids of what :meth:`insert_later` inserted since the last call, to their handles."""
        return _joined_pairs(self.tk.call("::tke::later", self.html._w))

    def drop_later(self) -> None:
        """Forget what :meth:`insert_later` left to index (the document was reset)."""
        self.tk.call("::tke::drop_later", self.html._w)

    def _indexed(self, result: Any) -> tuple[dict[int, str], list[tuple[int, str]]]:
        ids, controls = self.tk.splitlist(result)
        return _joined_pairs(ids), list(_joined_pairs(controls).items())

    def doom(self, handles: list[str]) -> None:
        """Destroy these nodes (already out of the tree) after Tkhtml's next layout (see ``::tke::doom``)."""
        self.tk.call("::tke::doom", self.html._w, tuple(handles))

    def free(self) -> bool:
        """Destroy the nodes removed so far now, laying out first (``::tke::free``); True when there were any."""
        return bool(self.tk.call("::tke::free", self.html._w))

    def removed(self) -> None:
        """Record that nodes left the tree by another way than ``::tke::doom`` (see ``::tke::settle``)."""
        self.tk.call("::tke::removed", self.html._w)

    def discard(self, handles: list[str]) -> tuple[list[str], list[str]]:
        """Remove these nodes, to be destroyed after the next layout, unless they hold an embedded widget.

        Returns the handles of the elements with an id that were taken out
        (their subtrees included) and the handles left in place for the
        widget-aware path.
        """
        return self._taken(self.tk.call("::tke::discard", self.html._w, tuple(handles)))

    def clear(self, handle: str, content: str = "") -> tuple[list[str], list[str], str]:
        """:meth:`discard` of all of ``handle``'s children, in one Tcl call.

        The third item is "" or, when ``handle`` itself was replaced by an
        empty copy of itself (many children: see ``::tke::swap``), the
        copy's handle, now in ``handle``'s place; ``handle`` is doomed.
        With ``content`` (safe HTML without form controls) such a copy holds
        it already, its index left for :meth:`later`; without a copy, the
        caller inserts it.
        """
        taken, left, new = self.tk.splitlist(self.tk.call("::tke::clear", self.html._w, handle, content))
        gone, kept = self._taken((taken, left))
        return gone, kept, name(self._str(new))

    def _taken(self, result: Any) -> tuple[list[str], list[str]]:
        taken, left = self.tk.splitlist(result)
        return _words(taken), [name(h) for h in self.tk.splitlist(left)]

    def set_text(self, handle: str, source: str) -> str | None:
        """Replace ``handle``'s only text node (or none) by ``source``'s.

        ``source`` is escaped text. Returns the handle of the replaced text
        node ("" when there was none), or None when ``handle`` holds more
        than one text node and nothing was done, or :data:`TEXTAREA` when
        ``handle`` is a ``<textarea>`` and nothing was done (its widget shows
        its text: the caller's part). The tag is read in the same Tcl call,
        not in two more before it (a click's text change: ~5 µs warm).
        """
        result = name(self._str(self.tk.call("::tke::set_text", self.html._w, handle, source)))
        return None if result == "-" else result

    def hit(self, x: int, y: int) -> int | None:
        """The id of the nearest element with an id at viewport point (x, y)."""
        found = self._str(self.tk.call("::tke::hit", self.html._w, x, y))
        return int(found) if found else None

    def tag(self, handle: str) -> str:
        """The element's tag as the page named it ("" for a text node)."""
        tag = self._str(self.tk.call(handle, "tag"))
        return self.attr(handle, TAG_ATTR, tag) if tag else tag

    def parent(self, handle: str) -> str:
        return name(self.tk.call(handle, "parent"))

    def children(self, handle: str) -> list[str]:
        return [name(c) for c in self.tk.splitlist(self.tk.call(handle, "children"))]

    def attr(self, handle: str, name: str, default: str = "") -> str:
        return self._str(self.tk.call(handle, "attribute", "-default", default, name))

    def attrs(self, handle: str) -> dict[str, str]:
        """Attributes as the page sees them: internal and faked-removed ones left out."""
        flat = self.tk.splitlist(self.tk.call(handle, "attribute"))
        out = {str(flat[i]): str(flat[i + 1]) for i in range(0, len(flat), 2)}
        out.pop(WIDGET_ATTR, None)
        out.pop(TAG_ATTR, None)
        for name in self.gone(handle):
            out.pop(name, None)
        return out

    def gone(self, handle: str) -> list[str]:
        if self.tk.call("info", "exists", f"::tke::gone({handle})"):
            return [str(n) for n in self.tk.splitlist(self.tk.call("set", f"::tke::gone({handle})"))]
        return []

    def mark_gone(self, handle: str, name: str, gone: bool) -> None:
        """Record (or clear) that attribute ``name`` of ``handle`` was removed."""
        names = set(self.gone(handle))
        names.add(name) if gone else names.discard(name)
        if names:
            self.tk.call("set", f"::tke::gone({handle})", tuple(sorted(names)))
        elif self.tk.call("info", "exists", f"::tke::gone({handle})"):
            self.tk.call("unset", f"::tke::gone({handle})")

    def _str(self, value: Any) -> str:
        """A Tcl result as text. Tcl shares literals, so an empty string can come
        back with a list's internal form, which tkinter hands over as ``()``."""
        if isinstance(value, tuple):
            return str(self.tk.call("concat", *value)) if value else ""
        return str(value)

    def text(self, handle: str) -> str:
        return self._str(self.tk.call("::tke::text", handle))

    def outer_html(self, handle: str) -> str:
        return self._str(self.tk.call("::tke::html", handle))

    def hidden(self, handle: str) -> bool:
        return bool(int(self.tk.call("::tke::hidden", handle)))

    def search(self, selector: str, root: str | None = None) -> list[str]:
        args: tuple[str, ...] = ("-root", root) if root else ()
        found = self.tk.call(self.html._w, "search", selector, *args)
        return [name(h) for h in self.tk.splitlist(found)]

    def root(self) -> str | None:
        found = self.tk.splitlist(self.tk.call(self.html._w, "node"))
        return name(found[0]) if found else None
