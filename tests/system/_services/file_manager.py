"""org.freedesktop.FileManager1 (the File Manager D-Bus interface), for tests: records what it was asked to show."""

from __future__ import annotations

from typing import Any

from ._base import TestService

INTERFACE = "org.freedesktop.FileManager1"


class FileManager(TestService):
    bus_name = "org.freedesktop.FileManager1"
    path = "/org/freedesktop/FileManager1"

    def methods(self) -> dict[tuple[str, str], Any]:
        def nothing(msg: Any) -> tuple[None, tuple[()]]:
            return None, ()

        return {(INTERFACE, "ShowItems"): nothing, (INTERFACE, "ShowFolders"): nothing,
                (INTERFACE, "ShowItemProperties"): nothing}
