"""setuptools' package list, computed: every folder of tkelectron/, plugins/ and demo_apps/.

The rest of the configuration is in pyproject.toml. The wheel installs the
``tkelectron`` package only: plugins/ and demo_apps/ are the sources of
``tkelectron.plugins`` and ``tkelectron.demos`` (``package-dir`` there). Page,
template and demo folders are listed too (setuptools calls folders without
``__init__.py`` namespace packages), so their files ship without a warning.
"""

from setuptools import find_namespace_packages, setup


def _packages(where: str, name: str) -> list[str]:
    found = find_namespace_packages(where=where, exclude=["*__pycache__*"])
    return [name, *(f"{name}.{sub}" for sub in found)]


setup(
    packages=[
        *_packages("tkelectron", "tkelectron"),
        *_packages("plugins", "tkelectron.plugins"),
        *_packages("demo_apps", "tkelectron.demos"),
    ]
)
