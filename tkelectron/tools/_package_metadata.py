"""What ``tkelectron package`` knows about an app: its name, version, icon...

Read from the app folder's ``pyproject.toml``: the ``[tool.tkelectron]``
table first (``name``, ``product-name``, ``version``, ``description``,
``icon``, ``categories``, ``maintainer``), then ``[project]`` (``name``,
``version``, ``description``, the first of ``authors``), then defaults; an
option given on the command line wins over both. Every value is checked here,
before anything is built, so a bad one is one clear error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["AppMetadata", "PackageError", "read_metadata"]

#: Desktop menu categories (the freedesktop.org main categories).
MAIN_CATEGORIES = frozenset(
    {
        "AudioVideo", "Audio", "Video", "Development", "Education", "Game", "Graphics",
        "Network", "Office", "Science", "Settings", "System", "Utility",
    }
)  # fmt: skip

# A Debian package name: also a good executable and folder name.
_NAME = re.compile(r"[a-z0-9][a-z0-9.+-]+")
# A Debian version (no epoch): starts with a digit.
_VERSION = re.compile(r"[0-9][A-Za-z0-9.+~-]*")
_CATEGORY = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ICON_SUFFIXES = (".png", ".svg")


class PackageError(ValueError):
    """The app cannot be packaged: a bad app folder, metadata value or tool."""


@dataclass(frozen=True)
class AppMetadata:
    """The metadata a package carries (see the module docstring for sources)."""

    #: Executable, folder, Debian package and ``/opt/<name>`` name.
    name: str
    #: The name people see (the menu entry).
    product_name: str
    version: str
    description: str
    #: A ``.png`` or ``.svg`` file, or None (the package then has no icon).
    icon: Path | None
    categories: tuple[str, ...]
    maintainer: str


def _pyproject(app_dir: Path) -> dict[str, Any]:
    path = app_dir / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{path}: not valid TOML ({exc})") from None


def _author(project: dict[str, Any]) -> str | None:
    for author in project.get("authors") or []:
        if isinstance(author, dict) and author.get("name"):
            email = author.get("email")
            return f"{author['name']} <{email}>" if email else str(author["name"])
    return None


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise PackageError(f"{what} must be one line of text, not {value!r}")
    return value.strip()


def _categories(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not value:
        raise PackageError(f"categories must be a list of desktop categories, not {value!r}")
    found = tuple(str(item).strip() for item in value)
    for item in found:
        if not _CATEGORY.fullmatch(item):
            raise PackageError(f"invalid desktop category {item!r}")
    if not any(item in MAIN_CATEGORIES for item in found):
        raise PackageError(
            f"categories {list(found)} name no main desktop category; add one of: {', '.join(sorted(MAIN_CATEGORIES))}"
        )
    return found


def _icon(app_dir: Path, value: Any) -> Path | None:
    if value is None:
        return None
    icon = Path(value)
    if not icon.is_absolute():
        icon = app_dir / icon
    if icon.suffix.lower() not in _ICON_SUFFIXES:
        raise PackageError(f"icon {value!r} must be a .png or .svg file")
    if not icon.is_file():
        raise PackageError(f"icon {value!r} not found (looked for {icon})")
    return icon.resolve()


def read_metadata(app_dir: Path, overrides: dict[str, Any] | None = None) -> AppMetadata:
    """The app's metadata: pyproject ``[tool.tkelectron]``, ``[project]``, defaults; ``overrides`` win.

    ``overrides`` uses the table's keys with ``_`` for ``-`` (``product_name``);
    None values are ignored. Raises :class:`PackageError` for a bad value.
    """
    data = _pyproject(app_dir)
    project = data.get("project") or {}
    table = dict((data.get("tool") or {}).get("tkelectron") or {})
    table = {key.replace("-", "_"): value for key, value in table.items()}
    table.update({key: value for key, value in (overrides or {}).items() if value is not None})

    raw_name = table.get("name") or project.get("name") or app_dir.resolve().name
    name = str(raw_name).lower().replace("_", "-")
    if not _NAME.fullmatch(name):
        raise PackageError(
            f"invalid package name {raw_name!r}: use lower-case letters, digits, '-', '.' and '+' "
            "(set name in [tool.tkelectron] or pass --name)"
        )
    version = str(table.get("version") or project.get("version") or "0.1.0")
    if not _VERSION.fullmatch(version):
        raise PackageError(f"invalid version {version!r}: it must start with a digit (e.g. 1.0.2)")
    product_name = _text(table.get("product_name") or project.get("name") or name, "product-name")
    description = _text(table.get("description") or project.get("description") or product_name, "description")
    maintainer = _text(table.get("maintainer") or _author(project) or f"{product_name} maintainers", "maintainer")
    return AppMetadata(
        name=name,
        product_name=product_name,
        version=version,
        description=description,
        icon=_icon(app_dir, table.get("icon")),
        categories=_categories(table.get("categories") or ["Utility"]),
        maintainer=maintainer,
    )
