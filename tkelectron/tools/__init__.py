"""Developer tools behind the ``tkelectron`` command.

``bench`` measures IPC and UI latency against a raw floor measured in the same
run, ``doctor`` tells what this machine offers tkelectron, and
``plugins_report`` lists the plugins an app would load. Each is imported
lazily by :mod:`tkelectron.cli`, so ``tkelectron run`` never pays for them.
"""
