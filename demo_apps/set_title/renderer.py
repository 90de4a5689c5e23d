set_button = document.get_element_by_id("btn")
title_input = document.get_element_by_id("title")


def on_click(event):
    window.electron_api.set_title(title_input.value)


set_button.add_event_listener("click", on_click)
