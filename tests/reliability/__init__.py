"""Reliability: load, faults, signals and crashes (issue 9)."""
