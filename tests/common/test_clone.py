"""Structured cloning (tkelectron.common._clone): what crosses, as what, and what cannot."""

from __future__ import annotations

import ast
import collections
import dataclasses
import datetime as dt
import decimal
import enum
import pathlib
import socket
import sys
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import msgspec
import pytest

import tkelectron
from tkelectron.common._clone import clone, rebuild_records, to_wire, to_wire_args
from tkelectron.common._errors import DataCloneError, IpcRemoteError


def assert_same(got: Any, want: Any) -> None:
    """Equal value *and* exactly the same type, all the way down."""
    assert type(got) is type(want), f"{got!r}: {type(got).__name__} is not {type(want).__name__}"
    if isinstance(want, dict):
        assert list(got) == list(want)
        for key in want:
            assert_same(got[key], want[key])
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert_same(g, w)
    else:
        assert got == want


# -- the table, row by row ----------------------------------------------------

PLAIN = [
    None, True, False, 0, -1, 2**63 - 1, -(2**63), 2**64 - 1, 1.5, float("inf"), "", "héllo ✓", b"", b"\x00\xff",
]


@pytest.mark.parametrize("value", PLAIN, ids=repr)
def test_plain_values_cross_as_they_are(value: Any) -> None:
    assert_same(clone(value), value)


def test_nan_crosses() -> None:
    out = clone(float("nan"))
    assert type(out) is float and out != out


def test_bytearray_and_memoryview_arrive_as_bytes() -> None:
    assert_same(clone(bytearray(b"ab")), b"ab")
    assert_same(clone(memoryview(b"cd")), b"cd")


@pytest.mark.parametrize("value", [2**64, -(2**63) - 1, 10**100, -(10**100)], ids=repr)
def test_big_ints_beyond_msgpack_cross(value: int) -> None:
    assert_same(clone(value), value)


CONTAINERS = [
    [1, "a", None],
    (1, "a", None),
    (),
    [],
    {},
    {1, 2, 3},
    frozenset({"x", "y"}),
    set(),
    {"a": [1, (2, 3)], "b": {"c": frozenset({(1, 2)})}},
    [(1, [2, (3, {4})])],
    ((), ((),), [()]),
    {"tuple": (1, 2), "list": [1, 2], "set": {1}, "frozenset": frozenset({1})},
]


@pytest.mark.parametrize("value", CONTAINERS, ids=repr)
def test_containers_keep_their_exact_types_nested(value: Any) -> None:
    out = clone(value)
    assert_same(out, value)


def test_sets_of_mixed_unorderable_items_cross() -> None:
    value = {1, "a", (2, "b"), None}
    out = clone(value)
    assert type(out) is set and out == value


@pytest.mark.parametrize(
    "value",
    [
        {1: "a", 2: "b"},
        {(1, 2): "t", frozenset({3}): "f", None: "n", 1.5: "x", b"k": "bytes"},
        {"s": 1, 2: "mixed"},
        {"outer": {10**30: "big key", True: "bool key"}},
    ],
    ids=repr,
)
def test_dicts_with_non_str_keys_keep_their_keys(value: dict[Any, Any]) -> None:
    assert_same(clone(value), value)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2024, 2, 29, 13, 14, 15, 123456),
        dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
        dt.date(1999, 12, 31),
        dt.time(23, 59, 59, 999999),
        dt.time(1, 2, tzinfo=dt.UTC),
        dt.timedelta(days=-3, seconds=5, microseconds=7),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        decimal.Decimal("1.10"),
        decimal.Decimal("-1E+400"),
    ],
    ids=repr,
)
def test_time_uuid_and_decimal_values_cross(value: Any) -> None:
    out = clone(value)
    assert_same(out, value)
    assert str(out) == str(value)  # Decimal("1.10") keeps its exponent, datetimes their offset


def test_datetime_is_not_mistaken_for_a_date() -> None:
    # datetime subclasses date: the walker must pick the exact type.
    assert_same(clone([dt.datetime(2020, 1, 2, 3, 4)]), [dt.datetime(2020, 1, 2, 3, 4)])


class Color(enum.IntEnum):
    RED = 1


class Name(str, enum.Enum):  # noqa: UP042 - the (str, Enum) mixin is what is cloned here
    ADA = "ada"


class Ratio(float):
    pass


class Pair(NamedTuple):
    a: int
    b: int


@pytest.mark.parametrize(
    "value, want",
    [
        (Color.RED, 1),
        (Name.ADA, "ada"),
        (enum.StrEnum("Mode", ["fast"]).fast, "fast"),
        (enum.IntFlag("Perm", ["R", "W"])(3), 3),
        (Ratio(0.5), 0.5),
        ({Color.RED: Name.ADA}, {1: "ada"}),
        (Pair(1, 2), (1, 2)),
        (collections.OrderedDict(b=1, a=2), {"b": 1, "a": 2}),
        (collections.defaultdict(list, x=[1]), {"x": [1]}),
    ],
    ids=repr,
)
def test_subclasses_of_plain_values_arrive_as_the_base_value(value: Any, want: Any) -> None:
    assert_same(clone(value), want)


# -- Structs and dataclasses ---------------------------------------------------


class Point(msgspec.Struct):
    x: int
    y: int


class Shape(msgspec.Struct, frozen=True):
    name: str
    points: list[Point]
    tags: tuple[str, ...] = ()
    extra: Any = None


@dataclasses.dataclass
class Job:
    title: str
    deps: set[str]
    when: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class Stamped:
    value: int
    derived: int = dataclasses.field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "derived", self.value * 2)


@pytest.fixture
def in_a_renderer() -> Iterator[None]:
    """Decode as a renderer does: records are rebuilt into their classes."""
    old = rebuild_records(True)
    try:
        yield
    finally:
        rebuild_records(old)


def test_in_main_a_struct_or_dataclass_arrives_as_the_dict_of_its_fields() -> None:
    # Main's default: nothing a renderer sends builds an object (issue 8, item 4).
    shape = clone(Shape("tri", [Point(0, 0)], ("a",)))
    assert_same(shape, {"name": "tri", "points": [{"x": 0, "y": 0}], "tags": ("a",), "extra": None})
    job = clone(Job("build", {"x"}, dt.date(2024, 5, 6)))
    assert_same(job, {"title": "build", "deps": {"x"}, "when": dt.date(2024, 5, 6)})
    # ...and a typed handler's annotation turns the dict back into the class.
    assert msgspec.convert(shape, Shape) == Shape("tri", [Point(0, 0)], ("a",))


def test_a_framework_message_type_is_never_rebuilt_even_in_a_renderer(in_a_renderer: None) -> None:
    from tkelectron.common._messages import Init

    forged = Init(window_id=1, app_root="/", page=None, preload="/etc/shadow")
    out = clone(forged)
    assert type(out) is dict and out["preload"] == "/etc/shadow"


def test_struct_round_trips_as_the_same_class(in_a_renderer: None) -> None:
    value = Shape("tri", [Point(0, 0), Point(1, 2)], ("a", "b"), extra={1: (2,)})
    out = clone(value)
    assert type(out) is Shape and out == value
    assert type(out.points[0]) is Point and type(out.tags) is tuple
    assert out.extra == {1: (2,)}


def test_dataclass_round_trips_as_the_same_class(in_a_renderer: None) -> None:
    value = Job("build", {"fetch", "unpack"}, dt.date(2024, 5, 6))
    out = clone(value)
    assert type(out) is Job and out == value and type(out.deps) is set


def test_frozen_dataclass_with_a_non_init_field_keeps_it(in_a_renderer: None) -> None:
    value = Stamped(21)
    out = clone(value)
    assert type(out) is Stamped and out.value == 21 and out.derived == 42


def _foreign(cls: type) -> type:
    """The class as it would be seen from a process that never imported it."""
    cls.__module__ = "tke_test_module_that_is_not_loaded"
    assert cls.__module__ not in sys.modules
    return cls


def test_struct_whose_module_is_not_loaded_arrives_as_a_dict(in_a_renderer: None) -> None:
    @_foreign
    class Remote(msgspec.Struct):
        a: int
        b: tuple[int, ...]

    out = clone(Remote(1, (2, 3)))
    assert_same(out, {"a": 1, "b": (2, 3)})
    assert "tke_test_module_that_is_not_loaded" not in sys.modules  # receiving imports nothing


def test_dataclass_whose_module_is_not_loaded_arrives_as_a_dict(in_a_renderer: None) -> None:
    @_foreign
    @dataclasses.dataclass
    class Remote:
        when: dt.date
        nested: Point

    out = clone(Remote(dt.date(2020, 1, 1), Point(1, 2)))
    assert type(out) is dict and out["when"] == dt.date(2020, 1, 1)
    assert type(out["nested"]) is Point  # the nested class *is* loaded


def test_a_class_defined_inside_a_function_arrives_as_a_dict(in_a_renderer: None) -> None:
    # Its qualname has "<locals>": there is no way to look it up, so no guessing.
    @dataclasses.dataclass
    class Local:
        n: int

    assert_same(clone(Local(3)), {"n": 3})


# -- exceptions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad", 2),
        KeyError("k"),
        FileNotFoundError(2, "No such file or directory", "/x/y.txt"),
        FileExistsError(17, "exists", "a", None, "b"),
        PermissionError(13, "denied"),
        OSError("plain message"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        StopIteration(5),
        ZeroDivisionError(),
    ],
    ids=repr,
)
def test_builtin_exceptions_arrive_as_the_same_type_and_args(exc: Exception) -> None:
    out = clone(exc)
    assert type(out) is type(exc)
    assert out.args == exc.args
    assert str(out) == str(exc)


def test_oserror_keeps_its_errno_and_file_names() -> None:
    out = clone(FileExistsError(17, "exists", "a", None, "b"))
    assert (out.errno, out.strerror, out.filename, out.filename2) == (17, "exists", "a", "b")


class AppError(Exception):
    pass


class AppValueError(ValueError):
    pass


@pytest.mark.parametrize("cls", [AppError, AppValueError])
def test_custom_exceptions_arrive_as_ipc_remote_error_naming_them(cls: type[Exception]) -> None:
    out = clone(cls("it broke"))
    assert type(out) is IpcRemoteError
    assert out.remote_type == cls.__qualname__ and out.message == "it broke"


def test_exception_with_an_uncloneable_argument_still_carries_its_message() -> None:
    exc = ValueError("bad callback", print)
    out = clone(exc)
    assert type(out) is ValueError and out.args == (str(exc),)
    assert "bad callback" in str(out)


def test_base_exceptions_that_are_not_errors_are_never_rebuilt() -> None:
    # A peer must not be able to hand us a KeyboardInterrupt or SystemExit.
    for exc in (KeyboardInterrupt("x"), SystemExit(3)):
        out = clone(exc)
        assert type(out) is IpcRemoteError and out.remote_type == type(exc).__name__


def test_exceptions_nested_in_containers() -> None:
    out = clone({"errors": [KeyError("a"), (TypeError("b"),)]})
    assert type(out["errors"][0]) is KeyError and type(out["errors"][1][0]) is TypeError


def test_ipc_remote_error_crosses_again_as_its_remote_type() -> None:
    from tkelectron.common._errors import remote_error

    out = clone(remote_error("KeyError", "gone"))
    assert type(out) is KeyError and out.args == ("gone",)


# -- DataCloneError --------------------------------------------------------------


def _clone_error(fn: Any, *args: Any) -> DataCloneError:
    with pytest.raises(DataCloneError) as info:
        fn(*args)
    assert isinstance(info.value, TypeError)  # so `except TypeError` also catches it
    return info.value


def test_function_in_args_names_its_path() -> None:
    err = _clone_error(to_wire_args, (1, {"cb": print}))
    assert str(err) == 'args[1]["cb"]: function is not cloneable'
    assert err.path == 'args[1]["cb"]' and err.reason == "function is not cloneable"


def test_lambda_and_bound_method() -> None:
    assert str(_clone_error(to_wire_args, (lambda: 0,))) == "args[0]: function is not cloneable"
    assert str(_clone_error(to_wire_args, ([].append,))) == "args[0]: function is not cloneable"


def test_paths_through_nested_lists_tuples_and_struct_fields() -> None:
    assert _clone_error(to_wire_args, ([1, (2, [3, print])],)).path == "args[0][1][1][1]"
    assert _clone_error(to_wire, Shape("s", [Point(0, 0)], extra=[0, print])).path == "value.extra[1]"
    assert _clone_error(to_wire, {"jobs": [Job("j", {"a"}, when=print)]}).path == 'value["jobs"][0].when'  # type: ignore[arg-type]
    assert _clone_error(to_wire, {5: {"k": print}}).path == 'value[5]["k"]'


def test_a_list_that_contains_itself() -> None:
    loop: list[Any] = [1]
    loop.append([loop])
    err = _clone_error(to_wire, loop)
    assert err.path == "value[1][0]" and "cycle" in err.reason


def test_a_dict_that_contains_itself() -> None:
    loop: dict[str, Any] = {}
    loop["me"] = {"again": loop}
    err = _clone_error(to_wire_args, ("x", loop))
    assert err.path == 'args[1]["me"]["again"]' and "cycle" in err.reason


def test_a_struct_that_contains_itself() -> None:
    shape = Shape("s", [])
    shape.points.append(shape)  # type: ignore[arg-type]
    assert "cycle" in _clone_error(to_wire, shape).reason


def test_shared_references_that_are_not_cycles_are_fine(in_a_renderer: None) -> None:
    shared = [1, {"x": (2,)}]
    point = Point(1, 2)
    out = clone({"a": shared, "b": shared, "c": [shared, (shared,)], "p": [point, point]})
    assert out["a"] == out["b"] == out["c"][0] == out["c"][1][0] == shared
    assert out["p"] == [point, point]
    assert to_wire_args((shared, shared))  # across arguments too


def test_open_file_is_not_cloneable() -> None:
    with open(__file__, "rb") as f:
        err = _clone_error(to_wire_args, ("x", [f]))
    assert err.path == "args[1][0]" and "BufferedReader is not cloneable" in err.reason


def test_socket_is_not_cloneable() -> None:
    a, b = socket.socketpair()
    try:
        err = _clone_error(to_wire, {"sock": a})
    finally:
        a.close()
        b.close()
    assert str(err) == 'value["sock"]: socket.socket is not cloneable'


def test_generator_coroutine_and_class_objects_are_not_cloneable() -> None:
    def gen() -> Iterator[int]:
        yield 1

    assert _clone_error(to_wire, gen()).reason == "generator is not cloneable"

    async def coro() -> None:
        pass

    c = coro()
    try:
        assert _clone_error(to_wire, c).reason == "awaitable is not cloneable"
    finally:
        c.close()
    assert _clone_error(to_wire, int).reason == "class int is not cloneable"
    for cls in (Point, Job, AppError):
        assert _clone_error(to_wire, cls).reason == f"class {cls.__module__}.{cls.__qualname__} is not cloneable"


def test_arbitrary_objects_are_not_cloneable_even_if_picklable() -> None:
    class Plain:
        def __reduce__(self) -> Any:  # pickle would call this; clone never does
            raise AssertionError("cloning must not use the pickle protocol")

    assert "Plain is not cloneable" in _clone_error(to_wire, [Plain()]).reason


def test_dict_key_that_cannot_be_cloned() -> None:
    err = _clone_error(to_wire, {print: 1})
    assert "function is not cloneable" in str(err)


# -- nothing ever unpickles ---------------------------------------------------------

_FORBIDDEN = {"pickle", "marshal", "shelve", "_pickle", "dill", "cloudpickle", "copyreg"}


def _imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value.split(".")[0])
    return found


def test_no_process_side_module_imports_pickle_marshal_or_shelve() -> None:
    root = pathlib.Path(tkelectron.__file__).parent
    files = [p for part in ("common", "main", "renderer") for p in (root / part).rglob("*.py")]
    assert len(files) > 10
    offenders = {str(p.relative_to(root)): sorted(_imported_modules(p) & _FORBIDDEN) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_receiving_never_imports_a_module_named_in_a_frame() -> None:
    from tkelectron.common import _clone

    enc = msgspec.msgpack.Encoder().encode
    ext = msgspec.msgpack.Ext
    decode = msgspec.msgpack.Decoder(ext_hook=_clone.ext_hook).decode
    name = "antigravity"  # importing it would open a web browser
    assert name not in sys.modules
    crafted = [
        ext(_clone.STRUCT, enc([name, "Thing", {"a": 1}])),
        ext(_clone.DATACLASS, enc([name, "Thing", {"a": 1}])),
        ext(_clone.EXCEPTION, enc([name, "Boom", "msg", []])),
        ext(_clone.STRUCT, enc(["os", "system", {"command": "true"}])),  # loaded, but not a Struct
    ]
    out = decode(enc(crafted))
    assert out[0] == {"a": 1} and out[1] == {"a": 1} and out[3] == {"command": "true"}
    assert type(out[2]) is IpcRemoteError and out[2].remote_type == "Boom"
    assert name not in sys.modules
