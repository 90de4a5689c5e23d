# Run by a data: page's <script src>: relative references start at the app's folder.
document.get_element_by_id("d").inner_text = "script ran"
