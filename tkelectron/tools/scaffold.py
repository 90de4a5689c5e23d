"""``tkelectron new NAME``: a new app that runs, and a test suite that passes.

The app is the smallest complete tkelectron program: a main process that
answers an invoke, a preload that exposes one function to the page, and a
page that calls it (type a name, press Greet, main's answer appears). Its
tests drive the window like a user on both compositors, so
``tkelectron new myapp && cd myapp && pytest`` is green from the first minute.

The files are rendered from the ``*.tmpl`` templates in ``_templates/``
(``string.Template``: ``${name}`` is the project name, ``${module}`` its import
name, ``${api}`` the name the page sees the preload's API under, ``${initial}``
the letter on the icon). ``pyproject.toml`` carries the ``[tool.tkelectron]``
table that ``tkelectron package`` reads (product name, description, icon,
desktop categories).
"""

from __future__ import annotations

import keyword
import re
import string
import sys
from importlib import resources
from pathlib import Path

__all__ = ["FILES", "ScaffoldError", "scaffold"]

#: template file -> where it goes in the new app.
FILES: dict[str, str] = {
    "main.py.tmpl": "main.py",
    "preload.py.tmpl": "preload.py",
    "index.html.tmpl": "index.html",
    "renderer.py.tmpl": "renderer.py",
    "styles.css.tmpl": "styles.css",
    "test_app.py.tmpl": "tests/test_app.py",
    "conftest.py.tmpl": "tests/conftest.py",
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "gitignore.tmpl": ".gitignore",
    "icon.svg.tmpl": "icon.svg",
}

# A project name that is also a valid distribution name (PEP 508) and turns
# into an import name by lowering it and mapping "-" to "_".
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Import names the app's package must not take: importing them would find
# something else (or hide it).
_TAKEN = frozenset({"tkelectron", "main", "tests", "test", "conftest", "preload", "renderer"})


class ScaffoldError(ValueError):
    """The app cannot be created: a bad name or a folder that is in use."""


def _module_name(name: str) -> str:
    if not _NAME.fullmatch(name) or name.endswith(("-", "_")):
        raise ScaffoldError(
            f"invalid app name {name!r}: use letters, digits, '-' and '_', starting with a letter (e.g. myapp)"
        )
    module = name.lower().replace("-", "_")
    if keyword.iskeyword(module) or module in _TAKEN or module in sys.stdlib_module_names:
        raise ScaffoldError(f"invalid app name {name!r}: {module!r} is already a Python module or keyword")
    return module


def _render(template: str, values: dict[str, str]) -> str:
    text = resources.files(__package__).joinpath("_templates").joinpath(template).read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def scaffold(name: str, folder: Path) -> Path:
    """Create the app ``name`` in ``folder / name`` and return that folder.

    Refuses (``ScaffoldError``) an invalid name, or a target that exists and
    is a file or a non-empty folder; nothing is written then.
    """
    module = _module_name(name)
    target = Path(folder) / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty: choose another name or folder")
    values = {"name": name, "module": module, "api": "api", "initial": name[0].upper()}
    rendered = {dest: _render(template, values) for template, dest in FILES.items()}
    for dest, text in rendered.items():
        path = target / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target.resolve()
