async def show(event):
    document.get_element_by_id("out").text_content = await window.api.version()


window.add_event_listener("load", show)
