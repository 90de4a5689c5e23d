"""A page whose button's clicks change two labels (tests/compositor/test_tk_stale_layout.py)."""

from pathlib import Path

from tkelectron import BrowserWindow, hookimpl

HERE = Path(__file__).parent


@hookimpl
def tkelectron_ready(app):
    BrowserWindow(width=420, height=200).load_file(HERE / "index.html")
