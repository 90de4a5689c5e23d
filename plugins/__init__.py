"""tkelectron's built-in plugins, each a small package with an entry point.

- :mod:`tkelectron.plugins.devtools`: a developer-tools window per BrowserWindow
  (Elements, Console and IPC panels), opened by the ``toggleDevTools`` menu
  role, F12 or ``web_contents.open_dev_tools()``.
- :mod:`tkelectron.plugins.window_state`: windows that opt in get their size and
  position back on the next run.

They use only tkelectron's public API, like any third-party plugin, and are
found through the ``tkelectron`` entry-point group when tkelectron is
installed; an app or a test can also ``app.register_plugin(module)`` them.
"""
