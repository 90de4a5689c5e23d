"""The list of demos: every folder here with a ``main.py`` that names itself.

A demo's ``main.py`` declares ``TITLE``, ``PATTERN`` (the Electron pattern it
ports) and ``DESCRIPTION``. They are read from the source without importing
the demo, so listing demos never runs their code.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Demo", "discover", "DEMOS_DIR"]

DEMOS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Demo:
    name: str
    title: str
    pattern: str
    description: str
    folder: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def sources(self) -> dict[str, str]:
        """The demo's files, for "View source"."""
        folder = Path(self.folder)
        return {
            name: (folder / name).read_text(encoding="utf-8")
            for name in ("main.py", "preload.py", "index.html", "renderer.py")
            if (folder / name).is_file()
        }


def _constants(main_py: Path) -> dict[str, str]:
    tree = ast.parse(main_py.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found[node.targets[0].id] = node.value.value
    return found


def discover(root: Path = DEMOS_DIR) -> list[Demo]:
    demos = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and (p / "main.py").is_file()):
        if folder.name == "launcher":
            continue
        info = _constants(folder / "main.py")
        if "TITLE" not in info:
            continue
        demos.append(
            Demo(
                name=folder.name,
                title=info["TITLE"],
                pattern=info.get("PATTERN", ""),
                description=info.get("DESCRIPTION", ""),
                folder=str(folder),
            )
        )
    return demos
