table = document.get_element_by_id("demos")


def cell(text, class_name=None):
    td = document.create_element("td")
    td.text_content = text
    if class_name:
        td.class_name = class_name
    return td


def set_status(name, state):
    status = document.get_element_by_id(f"status-{name}")
    if status is not None:
        status.text_content = state


async def show_source(name):
    files = await window.launcher.source(name)
    document.get_element_by_id("source-title").text_content = f"Source of {name}"
    document.get_element_by_id("source").text_content = "\n\n".join(
        f"# --- {file} ---\n{text}" for file, text in files.items()
    )


def add_row(demo):
    name = demo["name"]
    row = document.create_element("tr")
    row.id = f"row-{name}"
    title = cell(demo["title"])
    description = document.create_element("div")
    description.class_name = "description"
    description.text_content = demo["description"]
    title.append_child(description)
    row.append_child(title)
    row.append_child(cell(demo["pattern"]))
    status = cell("not running", "status")
    status.id = f"status-{name}"
    row.append_child(status)
    actions = document.create_element("td")
    run = document.create_element("button")
    run.id = f"run-{name}"
    run.text_content = "Run"
    async def on_run(event):
        await window.launcher.run(name)

    run.add_event_listener("click", on_run)
    source = document.create_element("button")
    source.id = f"source-{name}"
    source.text_content = "View source"

    async def on_source(event):
        await show_source(name)

    source.add_event_listener("click", on_source)
    actions.append_child(run)
    actions.append_child(source)
    row.append_child(actions)
    table.append_child(row)


async def fill():
    for demo in await window.launcher.list():
        add_row(demo)


async def on_load(event):
    await fill()


window.launcher.on_status(set_status)
window.add_event_listener("load", on_load)
