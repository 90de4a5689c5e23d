"""A test app interrupted while it is still being imported: Ctrl+C before the app runs."""

raise KeyboardInterrupt
