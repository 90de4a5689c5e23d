import trio

text = document.get_element_by_id("text")
status = document.get_element_by_id("status")
confirm = document.get_element_by_id("confirm")
state = {"dirty": False, "answer": None}


def on_input(event):
    state["dirty"] = True
    status.text_content = "Unsaved changes"


def on_save(event):
    state["dirty"] = False
    status.text_content = "Saved"


async def ask_user():
    """Show the in-page confirmation and wait for a click on Discard or Cancel."""
    if not state["dirty"]:
        return True
    answered = trio.Event()

    def answer(value):
        state["answer"] = value
        answered.set()

    discard = document.get_element_by_id("discard")
    cancel = document.get_element_by_id("cancel")

    def on_discard(event):
        answer(True)

    def on_cancel(event):
        answer(False)

    discard.add_event_listener("click", on_discard)
    cancel.add_event_listener("click", on_cancel)
    confirm.remove_attribute("hidden")
    try:
        await answered.wait()
    finally:
        discard.remove_event_listener("click", on_discard)
        cancel.remove_event_listener("click", on_cancel)
        confirm.set_attribute("hidden", "")
    status.text_content = "Closing..." if state["answer"] else "Close cancelled"
    return state["answer"]


text.add_event_listener("input", on_input)
document.get_element_by_id("save").add_event_listener("click", on_save)
window.editor.on_close_request(ask_user)
