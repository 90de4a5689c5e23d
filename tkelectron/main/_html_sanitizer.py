"""What main lets Tkhtml see of a renderer's HTML: allowlists and CSS cleaning.

Tkhtml (through tkinterweb) is a C library that fetches, embeds and recurses,
and it runs in the unsandboxed main process, so main hands it only markup the
compositor supports, rebuilt from main's own parse:

- elements: an allowlist of the HTML the compositor draws. ``iframe``,
  ``frame``, ``object``, ``embed``, ``applet``, ``base``, ``link``, media and
  foreign content (``svg``, ``math``), the legacy raw-text elements, and any
  name not on the list are dropped with their subtree. Custom elements
  (``my-widget``) are kept: Tkhtml draws them as plain inline boxes.
- attributes: an allowlist too; event handler attributes, ``srcdoc``,
  ``target``, ``formaction`` and every other URL-bearing attribute are dropped.
  ``href`` survives only as an in-page anchor (``#...``), ``src`` only as a
  ``data:image/...`` URL on an ``<img>`` or image input. ``<meta>`` is
  dropped whole (main needs none; no refresh).
- CSS (``style`` attributes and ``<style>`` text): comments are removed,
  escapes decoded where they would hide a rule, ``url()`` that is not a
  ``data:`` URL becomes ``none``, and ``@import`` rules are removed.

Dropping is not an ipc-violation: an honest page may carry an ``<iframe>``,
and it simply is not drawn (the renderer's DOM still has it).

Long text is cut into runs (:func:`split_runs`): Tkhtml lays out one text
node in time quadratic in its lines and words (measured here: one ``<pre>``
text of 10,000 lines took 1.2 s, of 50,000 lines 36 s; 1 MB of words in one
``<p>`` 21 s), while the same text in runs of 100 lines took 21 ms. A run
is a ``<span>`` without a node id, so the page's ids and ops are untouched.
"""

from __future__ import annotations

import math
import re

from ..common._html import RAW_TEXT_ELEMENTS, HtmlElement, Node

#: The most characters, and lines, one text node shows before it is cut into runs.
RUN_CHARS = 4096
RUN_LINES = 100
# Elements whose text is not laid out as page text (or is read whole by a widget).
_UNSPLIT = RAW_TEXT_ELEMENTS | frozenset({"textarea", "title", "option", "optgroup", "select", "datalist"})

__all__ = ["ALLOWED_TAGS", "DROPPED_TAGS", "LINK_KEY", "PLAIN_ATTRS", "attribute_allowed", "clean_attrs", "clean_css", "clean_tree", "clean_value", "element_allowed",
           "needs_runs", "split_runs"]

#: The elements the compositor draws (HTML5's, minus what embeds, fetches or navigates).
ALLOWED_TAGS: frozenset[str] = frozenset("""
a abbr address article aside b bdi bdo big blockquote body br button caption center cite code col
colgroup data datalist dd del details dfn dialog dir div dl dt em fieldset figcaption figure font
footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i img input ins kbd label legend li main
mark menu meter nav nobr ol optgroup option output p pre progress q rp rt ruby s samp script
section select small span strike strong style sub summary sup table tbody td template textarea
tfoot th thead time title tr tt u ul var wbr
""".split())
#: Never drawn, for the record (anything not in ALLOWED_TAGS is dropped the same way).
DROPPED_TAGS: frozenset[str] = frozenset("""
iframe frame frameset object embed applet param base link meta portal fencedframe audio video source track
picture map area canvas svg math noscript noembed noframes plaintext xmp listing image isindex keygen
""".split())
_CUSTOM = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+\Z")

# Attributes that carry no URL and make no request.
_ALLOWED_ATTRS: frozenset[str] = frozenset("""
id class style title lang dir hidden tabindex role accesskey draggable spellcheck translate
contenteditable inputmode enterkeyhint autocapitalize autofocus autocomplete
name value type checked disabled selected multiple placeholder readonly required maxlength minlength
size rows cols wrap min max step pattern for form list accept label open low high optimum
alt width height colspan rowspan headers scope abbr align valign border cellpadding cellspacing
bgcolor color face start reversed span nowrap clear noshade summary frame rules char charoff
datetime media rel method enctype novalidate dirname
href src
""".split())
_ATTR_NAME = re.compile(r"[a-z_:][a-z0-9_.:-]*\Z")
_DATA_IMAGE = re.compile(r"\s*data:image/", re.IGNORECASE)


def element_allowed(tag: str) -> bool:
    """Whether Tkhtml may see a ``tag`` element (with a clean subtree)."""
    return tag in ALLOWED_TAGS or bool(_CUSTOM.match(tag))


def attribute_allowed(tag: str, name: str, value: str) -> bool:
    """Whether attribute ``name="value"`` may stay on a ``tag`` element."""
    if not _ATTR_NAME.match(name):
        return False
    if name.startswith(("data-", "aria-")):
        return True
    if name not in _ALLOWED_ATTRS:
        return False
    if name == "href":
        return tag == "a" and value.strip().startswith("#")
    if name == "src":
        return tag in ("img", "input") and bool(_DATA_IMAGE.match(value))
    return True


#: Numeric attributes Tkhtml or Tk turn into allocations, and their ceiling
#: (HTML's own for spans): ``colspan="1000000"`` cost main 134 MB here.
_CEILINGS = {"colspan": 1000, "rowspan": 1000, "span": 1000, "rows": 1000, "cols": 1000, "size": 1000}


#: Numbers tkinterweb hands to Tk's spinbox and scale: Tk formats them into a
#: fixed buffer, and ``<input type="number" min="-1e100">`` crashed main (SIGSEGV).
_NUMBERS = frozenset({"min", "max", "step", "low", "high", "optimum"})
_LARGEST = 1e15
#: Attributes allowed on every element with any value, and kept as they are
#: (what :func:`attribute_allowed` and :func:`clean_value` never look into).
PLAIN_ATTRS: frozenset[str] = _ALLOWED_ATTRS - {"href", "src", "style"} - _NUMBERS - _CEILINGS.keys()


def _clean_number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    return value.strip() if abs(number) <= _LARGEST else repr(math.copysign(_LARGEST, number))


def clean_value(name: str, value: str) -> str:
    """``value`` of attribute ``name`` as main lets Tkhtml see it."""
    if name == "style":
        return clean_css(value)
    if name in _NUMBERS:
        return _clean_number(value)
    ceiling = _CEILINGS.get(name)
    if ceiling is not None:
        digits = value.strip()
        if digits.isdigit() and int(digits) > ceiling:
            return str(ceiling)
    return value


#: Where :func:`clean_attrs` keeps a link's refused ``href`` (not an attribute
#: name a parse can produce): main's commit rules take it out of the element
#: into their shadow before anything is serialized, so it is never drawn.
LINK_KEY = "\0href"


def clean_attrs(tag: str, attrs: dict[str, str]) -> dict[str, str]:
    """``attrs`` without what :func:`attribute_allowed` refuses, values cleaned.

    A link's ``href`` that is refused (anything but an in-page anchor) is set
    aside under :data:`LINK_KEY`, for ``context-menu``'s ``link_url``.
    """
    out: dict[str, str] = {}
    for name, value in attrs.items():
        if attribute_allowed(tag, name, value):
            out[name] = clean_value(name, value)
        elif name == "href" and tag == "a":
            out[LINK_KEY] = value
    return out


_COMMENT = re.compile(r"/\*.*?(\*/|\Z)", re.DOTALL)
_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.DOTALL)
_URL = re.compile(r"url\s*\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)]*))\s*\)", re.IGNORECASE)
_IMPORT = re.compile(r"@import[^;]*(;|\Z)", re.IGNORECASE)
_FETCHING = re.compile(r"url\s*\(|@import|image-set\s*\(|image\s*\(|expression\s*\(", re.IGNORECASE)


def _unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return match.group(2)


def _clean_url(match: re.Match[str]) -> str:
    target = next((g for g in match.groups() if g is not None), "").strip()
    return match.group(0) if target.lower().startswith("data:") else "none"


def clean_css(css: str) -> str:
    """``css`` that names no resource but ``data:`` URLs.

    CSS escapes can spell ``url`` or ``@import`` (``u\\72l(``); when the text
    has escapes and would name a resource once decoded, the decoded text is
    cleaned and used instead, so no spelling gets past.
    """
    if not _FETCHING.search(css) and "\\" not in css and "/*" not in css:
        return css  # the common case: nothing to look at
    text = _COMMENT.sub(" ", css)
    if "\\" in text:
        decoded = _ESCAPE.sub(_unescape, text)
        if _FETCHING.search(decoded):
            text = decoded
    text = _IMPORT.sub("", text)
    text = _URL.sub(_clean_url, text)
    # What is left (image-set(), expression(), an unclosed url( ...) cannot fetch
    # once its url() are gone, except an unclosed url( that Tkhtml would close
    # at the end of the text: cut it off.
    unclosed = re.search(r"url\s*\((?![^)]*\))", text, re.IGNORECASE)
    return text[: unclosed.start()] if unclosed else text


def clean_tree(nodes: list[Node], dropped: list[str]) -> list[Node]:
    """Clean ``nodes`` in place: refused elements (with their subtrees) leave
    the tree and their tags are added to ``dropped``; attributes and CSS are cleaned.

    Returns the cleaned top-level list. Iterative, so depth costs no stack.
    """
    top = [n for n in nodes if isinstance(n, str) or _keep(n, dropped)]
    todo = [n for n in top if not isinstance(n, str)]
    while todo:
        el = todo.pop()
        el.attrs = clean_attrs(el.tag, el.attrs)
        kept: list[Node] = []
        for child in el.children:
            if isinstance(child, str):
                kept.append(clean_css(child) if el.tag == "style" else child)
            elif _keep(child, dropped):
                kept.append(child)
                todo.append(child)
        el.children = kept
    return top


def _keep(el: HtmlElement, dropped: list[str]) -> bool:
    if element_allowed(el.tag):
        return True
    dropped.append(el.tag)
    return False


def needs_runs(text: str, tag: str) -> bool:
    """Whether ``text`` in a ``tag`` element is long enough to be cut into runs."""
    return tag not in _UNSPLIT and (len(text) > RUN_CHARS or text.count("\n", 0, RUN_CHARS * 2) > RUN_LINES)


def _runs(text: str) -> list[Node]:
    out: list[Node] = []
    start = 0
    while start < len(text):
        end = min(start + RUN_CHARS, len(text))
        lines = text.count("\n", start, end)
        if lines > RUN_LINES:  # stop after the RUN_LINES-th newline
            end = start
            for _ in range(RUN_LINES):
                end = text.index("\n", end) + 1
        out.append(HtmlElement("span", children=[text[start:end]]))
        start = end
    return out


def split_runs(nodes: list[Node], tag: str) -> list[Node]:
    """``nodes`` (children of a ``tag`` element) with every long text node cut
    into ``<span>`` runs of at most RUN_CHARS characters and RUN_LINES lines."""
    top = _split_children(nodes, tag)
    todo = [n for n in top if isinstance(n, HtmlElement)]
    while todo:
        el = todo.pop()
        el.children = _split_children(el.children, el.tag)
        todo.extend(c for c in el.children if isinstance(c, HtmlElement) and c.attrs)
    return top


def _split_children(children: list[Node], tag: str) -> list[Node]:
    if not any(isinstance(c, str) and needs_runs(c, tag) for c in children):
        return children
    out: list[Node] = []
    for child in children:
        out.extend(_runs(child) if isinstance(child, str) and needs_runs(child, tag) else [child])
    return out
