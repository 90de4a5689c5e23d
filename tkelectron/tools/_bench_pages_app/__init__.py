"""The big-pages bench's app: a page with a button, a label and a list the
page refills on main's request (``tkelectron bench``'s page rows).

A package only so that its files are installed with tkelectron; nothing
imports it.
"""
