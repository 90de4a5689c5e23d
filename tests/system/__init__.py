"""System-integration tests: desktop services on a real session bus, the X clipboard, key grabs."""
