system = window.system
# The stylesheet's @media (prefers-color-scheme: dark) follows main's
# native_theme by itself; this list tells the page when it changed.
scheme = window.match_media("(prefers-color-scheme: dark)")


def show_theme(event=None):
    document.get_element_by_id("theme").text_content = "dark" if scheme.matches else "light"


async def load_status():
    status = await system.status()
    paths = document.get_element_by_id("paths")
    for name, path in status["paths"].items():
        row = document.create_element("li")
        row.text_content = f"{name}: {path}"
        paths.append_child(row)
    registered = "registered" if status["registered"] else "taken by another application"
    document.get_element_by_id("shortcut").text_content = f"{status['shortcut']} ({registered})"
    show_theme()


async def on_copy(event):
    await system.copy(document.get_element_by_id("text").value)
    document.get_element_by_id("clip-status").text_content = "copied"


async def on_paste(event):
    text = await system.paste()
    document.get_element_by_id("pasted").text_content = text or "(the clipboard has no text)"


async def on_notify(event):
    document.get_element_by_id("notification").text_content = "sending..."
    await system.notify(document.get_element_by_id("text").value or "Hello from the page")


def theme_button(source):
    async def on_click(event):
        await system.set_theme(source)  # the page restyles when main's theme changes
    return on_click


def on_shortcut(count):
    document.get_element_by_id("presses").text_content = f"pressed {count} time{'s' if count != 1 else ''}"


def on_tray(what):
    document.get_element_by_id("tray").text_content = what


def on_notification(what):
    document.get_element_by_id("notification").text_content = what


document.get_element_by_id("copy").add_event_listener("click", on_copy)
document.get_element_by_id("paste").add_event_listener("click", on_paste)
document.get_element_by_id("notify").add_event_listener("click", on_notify)
for source in ("system", "light", "dark"):
    document.get_element_by_id(f"theme-{source}").add_event_listener("click", theme_button(source))
system.on_shortcut(on_shortcut)
system.on_notification(on_notification)
system.on_tray(on_tray)
scheme.add_event_listener("change", show_theme)


async def on_load(event):
    await load_status()


window.add_event_listener("load", on_load)
