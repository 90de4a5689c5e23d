button = document.get_element_by_id("btn")
file_path_element = document.get_element_by_id("file-path")


async def on_click(event):
    file_path = await window.electron_api.open_file()
    file_path_element.inner_text = file_path if file_path else "(canceled)"


button.add_event_listener("click", on_click)
