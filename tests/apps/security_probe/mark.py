"""A page script file inside the app folder: marks that it ran."""
# A page script: window, document and console are its globals.
# ruff: noqa: F821

document.get_element_by_id("file").text_content = "ran"
