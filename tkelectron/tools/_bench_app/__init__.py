"""The bench's tiny app: a preload that times IPC from the renderer side, a
page with one button and one label (click latency), and a blank page (spawn).

A package only so that its files are installed with tkelectron; nothing
imports it.
"""
