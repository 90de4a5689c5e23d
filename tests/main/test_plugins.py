"""The plugin manager, app loading and menu merging (tkelectron.main._plugins)."""

from __future__ import annotations

import inspect
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest

from tkelectron.main import hookspecs
from tkelectron.main._plugins import get_plugin_manager, load_app_module, merge_menu_templates

APP_SOURCE = textwrap.dedent(
    """
    from tkelectron.main.hookspecs import hookimpl
    import helper  # a sibling module: the app's folder is importable

    LOADED_AS = __name__

    @hookimpl
    def tkelectron_menu_template(app):
        return [{"label": "File", "submenu": [{"label": helper.NAME}]}]
    """
)


@pytest.fixture(autouse=True)
def restore_import_state() -> Iterator[None]:
    """load_app_module edits sys.path and sys.modules; put them back after each test."""
    path, modules = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


def write_app(folder: Path, file: str = "main.py", name: str = "Open") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "helper.py").write_text(f"NAME = {name!r}\n")
    (folder / file).write_text(APP_SOURCE)
    return folder / file


# -- get_plugin_manager --------------------------------------------------------


def test_the_manager_has_every_hookspec() -> None:
    pm = get_plugin_manager(entry_points=False)
    assert pm.project_name == "tkelectron"
    specs = {name for name, fn in vars(hookspecs).items() if name.startswith("tkelectron_") and inspect.isfunction(fn)}
    assert {"tkelectron_configure", "tkelectron_ready", "tkelectron_menu_template", "tkelectron_window_created",
            "tkelectron_window_closed", "tkelectron_renderer_gone", "tkelectron_dialog",
            "tkelectron_before_quit"} <= specs
    for name in specs:
        caller = getattr(pm.hook, name)
        assert caller.spec is not None, name
        assert inspect.getdoc(caller.spec.function), f"{name} has no docstring"
    assert pm.hook.tkelectron_dialog.spec.opts["firstresult"] is True
    assert pm.hook.tkelectron_ready.spec.opts["firstresult"] is False


def test_entry_points_load_without_error() -> None:
    pm = get_plugin_manager()  # the default looks for installed plugins
    assert pm.hook.tkelectron_ready.spec is not None


def test_each_call_gives_a_fresh_manager() -> None:
    class Plugin:
        @hookspecs.hookimpl
        def tkelectron_ready(self, app: Any) -> None:
            pass

    first = get_plugin_manager(entry_points=False)
    first.register(Plugin())
    assert len(get_plugin_manager(entry_points=False).get_plugins()) < len(first.get_plugins())


def test_a_registered_plugin_is_called_and_firstresult_stops_early() -> None:
    calls: list[str] = []

    class Answers:
        @hookspecs.hookimpl
        def tkelectron_dialog(self, kind: str, window: Any, options: dict[str, Any]) -> Any:
            calls.append("answers")
            return {"canceled": True}

    class NoOpinion:
        @hookspecs.hookimpl(tryfirst=True)
        def tkelectron_dialog(self, kind: str, window: Any, options: dict[str, Any]) -> Any:
            calls.append("no opinion")
            return None

    pm = get_plugin_manager(entry_points=False)
    pm.register(Answers())
    pm.register(NoOpinion())
    assert pm.hook.tkelectron_dialog(kind="open", window=None, options={}) == {"canceled": True}
    assert calls == ["no opinion", "answers"]


def test_a_misspelt_hook_or_argument_is_caught() -> None:
    class Misspelt:
        @hookspecs.hookimpl
        def tkelectron_redy(self, app: Any) -> None:
            pass

    class WrongArgument:
        @hookspecs.hookimpl
        def tkelectron_ready(self, application: Any) -> None:
            pass

    pm = get_plugin_manager(entry_points=False)
    pm.register(Misspelt())
    with pytest.raises(pluggy.PluginValidationError):
        pm.check_pending()
    with pytest.raises(pluggy.PluginValidationError):
        get_plugin_manager(entry_points=False).register(WrongArgument())


# -- load_app_module ------------------------------------------------------------


def test_load_an_app_folder(tmp_path: Path) -> None:
    write_app(tmp_path / "app")
    module = load_app_module(tmp_path / "app")
    assert sys.modules[module.LOADED_AS] is module
    pm = get_plugin_manager(entry_points=False)
    pm.register(module)
    assert [{"label": "File", "submenu": [{"label": "Open"}]}] in pm.hook.tkelectron_menu_template(app=None)


def test_load_an_app_file_given_as_a_string(tmp_path: Path) -> None:
    path = write_app(tmp_path / "elsewhere", file="my_app.py", name="Save")
    module = load_app_module(str(path))
    assert module.tkelectron_menu_template(None)[0]["submenu"] == [{"label": "Save"}]


def test_two_apps_with_the_same_file_name_stay_apart(tmp_path: Path) -> None:
    one = load_app_module(write_app(tmp_path / "one"))
    two = load_app_module(write_app(tmp_path / "two", name="Other"))
    assert one is not two and one.LOADED_AS != two.LOADED_AS


def test_load_an_app_by_module_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site" / "tke_test_installed_app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("MARK = 'installed'\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    module = load_app_module("tke_test_installed_app")
    assert module.MARK == "installed" and module.__name__ == "tke_test_installed_app"


@pytest.mark.parametrize("missing", ["does/not/exist", "nowhere.py", "/abs/missing/main.py"])
def test_a_missing_path_is_a_clear_error(missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=f"no app at {missing}"):
        load_app_module(missing)


def test_a_folder_without_main_py_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match=r"a folder with main\.py"):
        load_app_module(tmp_path / "empty")


def test_a_missing_module_name_raises_module_not_found() -> None:
    with pytest.raises(ModuleNotFoundError):
        load_app_module("tke_test_no_such_module")


def test_an_app_that_fails_to_import_reports_its_own_error(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("raise RuntimeError('app is broken')\n")
    with pytest.raises(RuntimeError, match="app is broken"):
        load_app_module(tmp_path)


# -- merge_menu_templates ---------------------------------------------------------


def test_menus_with_the_same_label_are_concatenated_in_order() -> None:
    a = [{"label": "File", "submenu": [{"label": "Open"}]}, {"label": "Edit", "submenu": [{"role": "copy"}]}]
    b = [{"label": "File", "submenu": [{"label": "Export"}]}, {"label": "Help", "submenu": [{"label": "About"}]}]
    c = [{"label": "File", "submenu": [{"type": "separator"}, {"label": "Quit"}]}]
    merged = merge_menu_templates([a, b, c])
    assert [item["label"] for item in merged] == ["File", "Edit", "Help"]
    assert merged[0]["submenu"] == [{"label": "Open"}, {"label": "Export"}, {"type": "separator"}, {"label": "Quit"}]


def test_role_menus_merge_by_role() -> None:
    merged = merge_menu_templates([[{"role": "windowMenu", "submenu": [{"label": "A"}]}],
                                   [{"role": "windowMenu", "submenu": [{"label": "B"}]}]])
    assert merged == [{"role": "windowMenu", "submenu": [{"label": "A"}, {"label": "B"}]}]


def test_none_and_empty_contributions_are_skipped() -> None:
    assert merge_menu_templates([None, [], [{"label": "X", "submenu": []}], None]) == [{"label": "X", "submenu": []}]
    assert merge_menu_templates([]) == []


def test_items_without_a_label_are_kept_apart() -> None:
    sep = {"type": "separator"}
    assert merge_menu_templates([[sep], [sep]]) == [sep, sep]


def test_the_contributions_are_not_modified() -> None:
    first = {"label": "File", "submenu": [{"label": "Open"}]}
    second = {"label": "File", "submenu": [{"label": "Close"}]}
    merged = merge_menu_templates([[first], [second]])
    assert first == {"label": "File", "submenu": [{"label": "Open"}]}
    assert second == {"label": "File", "submenu": [{"label": "Close"}]}
    merged[0]["submenu"].append({"label": "later"})
    assert first["submenu"] == [{"label": "Open"}]


def test_other_fields_of_the_first_item_win() -> None:
    merged = merge_menu_templates([[{"label": "View", "id": "view-a", "submenu": []}],
                                   [{"label": "View", "id": "view-b", "submenu": [{"label": "Zoom"}]}]])
    assert merged == [{"label": "View", "id": "view-a", "submenu": [{"label": "Zoom"}]}]


def test_an_installed_app_is_found_by_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`tkelectron run NAME` resolves NAME in the `tkelectron.apps` entry-point group."""
    package = tmp_path / "greeter_app_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "main.py").write_text("WHO = 'the installed greeter'\n")
    info = tmp_path / "greeter_app-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: greeter-app\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[tkelectron.apps]\ngreeter = greeter_app_pkg.main\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = load_app_module("greeter")
    assert module.WHO == "the installed greeter"
