async def toggle(event):
    is_dark_mode = await window.darkMode.toggle()
    document.get_element_by_id("theme-source").inner_html = "Dark" if is_dark_mode else "Light"


async def reset(event):
    await window.darkMode.system()
    document.get_element_by_id("theme-source").inner_html = "System"


document.get_element_by_id("toggle-dark-mode").add_event_listener("click", toggle)
document.get_element_by_id("reset-to-system").add_event_listener("click", reset)
