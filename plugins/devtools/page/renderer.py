"""The devtools page: draws what main reports about the inspected window.

Three panels behind tabs. Elements redraws the tree on every ``dom`` report;
Console appends a row per report, IPC a row per entry of each batch. The IPC panel keeps the last
MAX_IPC_ROWS entries and shows those whose channel contains the filter text
(case-insensitive); typing in the filter redraws the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # The page world's globals, put there by the renderer (a page script
    # imports nothing of tkelectron); typed here for the checker only.
    window: Any
    document: Any

Row = dict[str, Any]  # one report row, as main's devtools session cloned it

MAX_IPC_ROWS = 500
PANELS = ("elements", "console", "ipc")
IPC_COLUMNS = ("time", "direction", "kind", "channel", "size", "latency", "error")

ipc_entries: list[Row] = []  # every entry kept, oldest first
ipc_shown: list[tuple[Row, Any]] = []  # (entry, row element) of the entries the filter lets through
state = {"filter": ""}


def make(tag: str, text: object = None, class_name: str | None = None) -> Any:
    node = document.create_element(tag)
    if class_name:
        node.class_name = class_name
    if text is not None:
        node.append_child(document.create_text_node(str(text)))
    return node


def replace_by_id(element_id: str, fresh: Any) -> Any:
    """Swap a container for a freshly filled one: one DOM change, one commit op."""
    old = document.get_element_by_id(element_id)
    fresh.id = element_id
    old.parent_element.replace_child(fresh, old)
    return fresh


# -- tabs ------------------------------------------------------------------------------

def show_panel(name: str) -> None:
    for panel in PANELS:
        box = document.get_element_by_id("panel-" + panel)
        tab = document.get_element_by_id("tab-" + panel)
        if panel == name:
            box.remove_attribute("style")
            tab.class_list.add("active")
        else:
            box.set_attribute("style", "display: none")
            tab.class_list.remove("active")


for _panel in PANELS:
    document.get_element_by_id("tab-" + _panel).add_event_listener(
        "click", lambda event, panel=_panel: show_panel(panel)
    )


# -- Elements ------------------------------------------------------------------------

def dom_line(row: Row) -> Any:
    line = document.create_element("div")
    line.set_attribute("style", f"padding-left: {row['depth'] * 14}px")
    if "text" in row:
        line.class_name = "dom-text"
        line.append_child(document.create_text_node(row["text"]))
        return line
    line.class_name = "dom-node"
    line.append_child(make("span", "<" + row["tag"], "tag"))
    for name, value in row["attrs"]:
        line.append_child(make("span", " " + name, "attr-name"))
        line.append_child(make("span", '="' + value + '"', "attr-value"))
    line.append_child(make("span", ">", "tag"))
    return line


def draw_dom(rows: list[Row]) -> None:
    tree = document.create_element("div")
    for row in rows:
        tree.append_child(dom_line(row))
    replace_by_id("dom-tree", tree)


# -- Console ---------------------------------------------------------------------------

def console_line(row: Row) -> Any:
    level = str(row["level"]).replace(" ", "-")
    line = make("tr", class_name="console-row level-" + level)
    line.append_child(make("td", row["level"], "level"))
    line.append_child(make("td", row["message"], "message"))
    line.append_child(make("td", row["source"], "source"))
    return line


def add_console(row: Row) -> None:
    document.get_element_by_id("console-rows").append_child(console_line(row))


def draw_console(rows: list[Row]) -> None:
    body = document.create_element("tbody")
    for row in rows:
        body.append_child(console_line(row))
    replace_by_id("console-rows", body)


# -- IPC --------------------------------------------------------------------------------

def passes(entry: Row) -> bool:
    wanted = state["filter"].strip().lower()
    return not wanted or wanted in str(entry["channel"]).lower()


def ipc_line(entry: Row) -> Any:
    line = make("tr", class_name="ipc-row failed" if entry["error"] else "ipc-row")
    for column in IPC_COLUMNS:
        line.append_child(make("td", entry[column], column))
    return line


def update_count() -> None:
    total = len(ipc_entries)
    shown = len(ipc_shown)
    text = f"{total} messages" if state["filter"].strip() == "" else f"{shown} of {total} messages"
    document.get_element_by_id("ipc-count").inner_text = text


def add_ipc(batch: list[Row]) -> None:
    rows = document.get_element_by_id("ipc-rows")
    for entry in batch:
        ipc_entries.append(entry)
        if len(ipc_entries) > MAX_IPC_ROWS:
            dropped = ipc_entries.pop(0)
            if ipc_shown and ipc_shown[0][0] is dropped:
                ipc_shown.pop(0)[1].remove()
        if passes(entry):
            line = ipc_line(entry)
            ipc_shown.append((entry, line))
            rows.append_child(line)
    update_count()


def draw_ipc() -> None:
    body = document.create_element("tbody")
    ipc_shown.clear()
    for entry in ipc_entries:
        if passes(entry):
            line = ipc_line(entry)
            ipc_shown.append((entry, line))
            body.append_child(line)
    replace_by_id("ipc-rows", body)
    update_count()


def on_filter(event: Any) -> None:
    state["filter"] = event.target.value
    draw_ipc()


def on_clear(event: Any) -> None:
    ipc_entries.clear()
    draw_ipc()


document.get_element_by_id("ipc-filter").add_event_listener("input", on_filter)
document.get_element_by_id("ipc-clear").add_event_listener("click", on_clear)


# -- reports from main ---------------------------------------------------------------

def on_snapshot(snapshot: Row) -> None:
    title = snapshot["title"]
    document.get_element_by_id("inspected").inner_text = ("Inspecting: " + title) if title else ""
    draw_dom(snapshot["dom"])
    draw_console(snapshot["console"])
    ipc_entries[:] = snapshot["ipc"][-MAX_IPC_ROWS:]
    draw_ipc()


window.devtools.on("snapshot", on_snapshot)
window.devtools.on("dom", draw_dom)
window.devtools.on("console", add_console)
window.devtools.on("ipc", add_ipc)
