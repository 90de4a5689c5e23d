counter = document.get_element_by_id("counter")


def on_update(value):
    new_value = int(counter.inner_text) + value
    counter.inner_text = str(new_value)
    window.electron_api.counter_value(new_value)


window.electron_api.on_update_counter(on_update)
