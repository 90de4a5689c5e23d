"""The app context: main's modules reach the running app through ``_context``.

Two things are checked here. By the import graph (read with ``ast`` from the
source, so an import inside a function counts as much as one at the top;
imports under ``if TYPE_CHECKING:`` never run and do not count): no module of
``tkelectron.main`` imports ``_app`` inside a function, ``_context`` imports
nothing of ``tkelectron.main``, and main's modules import one another
without a cycle. And by running the app: what a run owns (windows, the
focused window, the application menu, ``ipc_main``'s handlers and
listeners, the app's own listeners) is its session's, registered before the
run it is that run's, and the next run starts without it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import trio

import tkelectron
from tkelectron import BrowserWindow, Menu, app, ipc_main
from tkelectron.main import _context
from tkelectron.main._app import App

MAIN = Path(tkelectron.__file__).resolve().parent / "main"
PACKAGE = "tkelectron.main"


def _module_name(path: Path) -> str:
    parts = path.relative_to(MAIN).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


MODULES = {_module_name(path): path for path in sorted(MAIN.rglob("*.py"))}


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import that runs, and whether it sits inside a function."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, in_function
        yield from _imports(node, in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules of tkelectron.main that ``node`` (in ``module``) loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in MODULES}
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        if f"{source}.{alias.name}" in MODULES:  # from . import _menu
            found.add(f"{source}.{alias.name}")
        elif source in MODULES:
            found.add(source)
    return found


def _graph() -> dict[str, dict[str, bool]]:
    """module -> {imported module of main: imported inside a function (at least once)}."""
    graph: dict[str, dict[str, bool]] = {}
    for module, path in MODULES.items():
        edges: dict[str, bool] = {}
        for node, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(module, node) - {module}:
                edges[target] = edges.get(target, False) or in_function
        graph[module] = edges
    return graph


def _cycle(graph: dict[str, dict[str, bool]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that comes back), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, {})):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_graph_reader_sees_function_level_imports_and_cycles() -> None:
    # The checks below must be able to fail: a hand-made graph with a cycle
    # through an import inside a function is found.
    tree = ast.parse("def f():\n    from ._app import app\nif TYPE_CHECKING:\n    from ._menu import Menu\n")
    found = [(_targets(f"{PACKAGE}._ports", node), inside) for node, inside in _imports(tree)]
    assert found == [({f"{PACKAGE}._app"}, True)]
    assert _cycle({"a": {"b": False}, "b": {"c": True}, "c": {"a": True}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b": False}, "b": {"c": True}, "c": {}}) is None
    graph = _graph()
    assert len(graph) == len(MODULES) > 40 and f"{PACKAGE}._context" in graph[f"{PACKAGE}._app"]


def test_no_module_of_main_imports_the_app_inside_a_function() -> None:
    inside = sorted(
        module for module, edges in _graph().items() if edges.get(f"{PACKAGE}._app") is True
    )
    assert inside == [], f"these modules import _app inside a function (use _context): {inside}"


def test_the_context_module_imports_nothing_of_main() -> None:
    tree = ast.parse(MODULES[f"{PACKAGE}._context"].read_text(encoding="utf-8"))
    loaded = set()
    for node in ast.walk(tree):  # TYPE_CHECKING imports included: it is the bottom of the graph
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            loaded |= _targets(f"{PACKAGE}._context", node)
    assert loaded == set()


def test_main_has_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle among main's modules: " + " -> ".join(
        name.removeprefix(f"{PACKAGE}.") for name in cycle or []
    )


# -- state owned by the running app session ----------------------------------------


def test_the_app_has_no_reset() -> None:
    assert not hasattr(App, "_reset")


def _greet(event: object, name: str) -> str:
    return f"hello {name}"


@pytest.mark.tkelectron("headless")
async def test_what_a_run_registers_is_its_session_and_the_next_run_starts_empty(compositor: str) -> None:
    readies: list[str] = []
    # Registered before the run: the run's.
    ipc_main.handle("greet", _greet)
    ipc_main.on("note", lambda event: None)
    app.on("ready", lambda event: readies.append("ready"))
    menu = Menu.build_from_template([{"label": "File", "submenu": [{"role": "quit"}]}])
    Menu.set_application_menu(menu)
    before = _context.current_session()
    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0):
        session = _context.current_session()
        assert session is before and session.app is app and app.nursery is session.nursery is not None
        assert readies == ["ready"]
        assert ipc_main._handler("greet") is _greet and ipc_main.listener_count("note") == 1
        assert session.ipc_handlers == {"greet": _greet} and list(session.ipc_listeners) == ["note"]
        assert Menu.get_application_menu() is menu is session.application_menu
        win = BrowserWindow(show=True)
        assert win._session is session and session.windows == {win.id: win}
        assert BrowserWindow.get_all_windows() == [win] and BrowserWindow.get_focused_window() is win
        assert BrowserWindow.from_id(win.id) is win and session.focused_id == win.id
        win.blur()
        assert session.focused_id is None and BrowserWindow.get_focused_window() is None
    # The run is over: its session ended with it, and a new one is empty.
    after = _context.current_session()
    assert after is not session and after.app is app and session.state == "done"
    assert win.is_destroyed() and session.windows == {}
    assert BrowserWindow.get_all_windows() == [] and BrowserWindow.get_focused_window() is None
    assert ipc_main._handler("greet") is None and ipc_main.listener_count("note") == 0
    assert Menu.get_application_menu() is None and app.listener_count("ready") == 0
    assert app.nursery is None and app.compositor is None and app.spare_renderers == 1
    ipc_main.handle("greet", _greet)  # no "second handler" error: the old run's is gone
    ipc_main.remove_handler("greet")


@pytest.mark.tkelectron("headless")
async def test_services_of_the_session_run_tasks_and_refuse_outside_a_run(compositor: str) -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _context.current_session().start_soon(_noop)
    ran: list[int] = []
    done = {1: trio.Event(), 2: trio.Event()}

    async def task(n: int) -> None:
        ran.append(n)
        done[n].set()

    async def fails() -> None:
        raise ValueError("a task's exception is logged, never fatal")

    async with app.running(compositor=compositor, entry_points=False, spare_renderers=0) as running:
        running.start_soon(fails)
        running.start_soon(task, 1)
        _context.current_session().start_soon(task, 2)
        for event in done.values():
            await event.wait()
    assert sorted(ran) == [1, 2]


async def _noop() -> None:
    pass
