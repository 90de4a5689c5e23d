"""Spec-following desktop services for the system tests (test code, not the framework).

Each one runs on the test's real session ``dbus-daemon`` over its own jeepney
connection, owns the service's well-known bus name, answers the spec's methods
and records what reached it, so a test asserts what the other side received.
They use jeepney directly, never tkelectron's own D-Bus helper, so a mistake
there cannot hide behind the same mistake here.
"""
