"""A page script file inside the app folder: marks that it ran."""

document.get_element_by_id("file").text_content = "ran"
