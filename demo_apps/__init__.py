"""Runnable ports of Electron's tutorial patterns, and their launcher."""
