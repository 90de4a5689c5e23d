"""A top-level exposed dict reads like a nested one: ``api["x"]`` as well as ``api.x``."""

from __future__ import annotations

from typing import Any

import pytest

from tkelectron.renderer._context_bridge import ContextBridge


def expose(api: Any) -> Any:
    got: dict[str, Any] = {}
    bridge = ContextBridge()
    bridge._expose = got.__setitem__
    bridge.expose_in_main_world("api", api)
    return got["api"]


def test_top_level_dict_is_indexable_and_attribute_readable() -> None:
    api = expose({"version": "1.2", "double": lambda n: n * 2, "nested": {"deep": [1, 2]}})
    assert api["version"] == api.version == "1.2"
    assert api["double"](21) == 42 and api.double(2) == 4
    assert api["nested"]["deep"] == [1, 2]  # the nested one was always a dict
    assert "version" in api and "missing" not in api
    assert sorted(api) == sorted(api.keys()) == ["double", "nested", "version"]
    assert len(api) == 3
    assert api.get("version") == "1.2" and api.get("missing", 0) == 0
    assert dict(api)["version"] == "1.2"
    assert ("version", "1.2") in api.items() and "1.2" in api.values()
    with pytest.raises(KeyError, match="missing"):
        api["missing"]


def test_an_exposed_object_reads_the_same_way() -> None:
    class Api:
        answer = 42

        def hello(self, name: str) -> str:
            return f"hi {name}"

    api = expose(Api())
    assert api["answer"] == 42 and api["hello"]("ada") == "hi ada"


def test_the_mapping_methods_are_sealed() -> None:
    api = expose({"x": 1})
    for name in ("__getitem__", "__contains__", "__iter__", "__len__", "keys", "values", "items", "get"):
        fn = getattr(type(api), name)
        assert fn.__globals__["__builtins__"] == {}, name
    # Mutating the page's copy leaves the next read of another copy alone.
    api.x = 5
    assert api["x"] == 5 and expose({"x": 1})["x"] == 1


def test_the_preloads_versions_cross_as_a_dict() -> None:
    from tkelectron.renderer._preload_world import Versions

    versions = Versions({"python": "3.11", "tk": "8.6"})
    api = expose(versions)  # exposed as it is: a mapping
    assert api["python"] == api.python == "3.11" and sorted(api) == ["python", "tk"]
    nested = expose({"versions": versions})
    assert nested.versions == {"python": "3.11", "tk": "8.6"} and type(nested.versions) is dict
