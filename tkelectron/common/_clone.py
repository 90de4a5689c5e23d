"""Structured cloning: how values cross a process boundary, never by pickle.

:func:`to_wire` walks a value and returns a tree that msgpack can encode; what
msgpack has no native form for (tuples, sets, datetimes, Structs, ...) becomes
a msgpack extension object whose payload is itself a cloned value. It raises
:class:`DataCloneError` at the sender for anything that cannot cross, naming the
path to it. :func:`ext_hook` is the decoding half and rebuilds the values.

What crosses, and as what:

=====================================  ==========================================
sent                                    received
=====================================  ==========================================
None, bool, int, float, str, bytes      the same (bytearray/memoryview as bytes)
list, tuple, dict, set, frozenset       the same types, elements cloned
datetime, date, time, timedelta         the same
UUID, Decimal                           the same
int/str/float subclasses (IntEnum ...)  the plain base value
msgspec Struct, dataclass instance      in main: a dict of its fields (typed handlers
                                        convert it to the annotated class); in a
                                        renderer: the same class when its module is
                                        already imported there, else a dict
Exception                               the builtin type, or IpcRemoteError naming it
=====================================  ==========================================

Anything else — functions, open files, sockets, windows, Tk objects, and
cycles — raises ``DataCloneError`` (``args[1]["cb"]: function is not
cloneable``). Receiving never imports a module: a class named in a frame is
only looked up among modules already loaded, so a renderer cannot make main
run code by naming it.

Main goes further: it never builds a class a frame names. A renderer is
hostile input, and a Struct or dataclass rebuilt from it would run that
class's ``__init__``/``__post_init__`` with renderer-chosen fields (or forge a
framework message such as ``Init``). So in main every record arrives as the
dict of its fields — data, not objects — and a typed handler's annotation
converts it (:mod:`._typed`), with validation. A renderer decodes what main
(trusted) sends, so :func:`rebuild_records` turns rebuilding on there; even
then a class from the framework itself (``tkelectron.*``) is never rebuilt.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import sys
import types
import uuid
from collections.abc import Callable
from typing import Any

import msgspec

from ._errors import DataCloneError, IpcRemoteError, remote_error
from ._shared_bytes import SHARED_BYTES, THRESHOLD, LargeBytes, LazyExt, frame_resolver

__all__ = ["to_wire", "to_wire_args", "ext_hook", "clone", "rebuild_records"]

Ext = msgspec.msgpack.Ext

TUPLE, SET, FROZENSET, ANYDICT, DATETIME, DATE, TIME, TIMEDELTA = 1, 2, 3, 4, 5, 6, 7, 8
UUID_, DECIMAL, BIGINT, STRUCT, DATACLASS, EXCEPTION = 9, 10, 11, 12, 13, 14

_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1


def _inline(value: Any) -> Any:
    """In a :func:`clone` (no frame), large bytes go inline."""
    if type(value) is LargeBytes:
        return value.data
    if type(value) is LazyExt:
        return Ext(value.code, _encode(value.payload))
    raise TypeError(f"{type(value).__qualname__} is not a wire value")


_encode = msgspec.msgpack.Encoder(enc_hook=_inline).encode


class _HoldsLarge(Exception):
    """An extension's payload holds large bytes: the frame encoder is to encode it."""


def _refuse_large(value: Any) -> Any:
    if type(value) is LargeBytes or type(value) is LazyExt:
        raise _HoldsLarge
    raise TypeError(f"{type(value).__qualname__} is not a wire value")


_encode_payload = msgspec.msgpack.Encoder(enc_hook=_refuse_large).encode


def _ext(code: int, payload: Any) -> Any:
    """The extension of ``code`` for ``payload`` (a wire value), encoded now unless it holds large bytes."""
    try:
        return Ext(code, _encode_payload(payload))
    except _HoldsLarge:
        return LazyExt(code, payload)  # the frame encoder shares its large bytes (common._shared_bytes)


def _plain(value: Any, path: str, seen: set[int]) -> Any:
    return value


def _int(value: int, path: str, seen: set[int]) -> Any:
    if _INT64_MIN <= value <= _UINT64_MAX:
        return value
    return Ext(BIGINT, _encode(str(value)))


def _list(value: list[Any], path: str, seen: set[int]) -> Any:
    return _items(value, path, seen)


def _items(value: Any, path: str, seen: set[int]) -> list[Any]:
    key = id(value)
    if key in seen:
        raise DataCloneError(path, "cycle: the value contains itself")
    seen.add(key)
    try:
        return [_walk(item, f"{path}[{i}]", seen) for i, item in enumerate(value)]
    finally:
        seen.discard(key)


def _tuple(value: tuple[Any, ...], path: str, seen: set[int]) -> Any:
    return _ext(TUPLE, _items(value, path, seen))


def _set(value: set[Any] | frozenset[Any], path: str, seen: set[int]) -> Any:
    code = FROZENSET if type(value) is frozenset else SET
    # Sets are unordered: sort when possible so equal sets encode the same.
    try:
        items: list[Any] = sorted(value)
    except TypeError:
        items = list(value)
    return _ext(code, _items(items, path, seen))


def _dict(value: dict[Any, Any], path: str, seen: set[int]) -> Any:
    key = id(value)
    if key in seen:
        raise DataCloneError(path, "cycle: the value contains itself")
    seen.add(key)
    try:
        if all(type(k) is str for k in value):
            return {k: _walk(v, f'{path}["{k}"]', seen) for k, v in value.items()}
        pairs: list[Any] = []
        for k, v in value.items():
            pairs.append(_walk(k, f"{path}.keys()[{k!r}]", seen))
            pairs.append(_walk(v, f"{path}[{k!r}]", seen))
        return _ext(ANYDICT, pairs)
    finally:
        seen.discard(key)


def _datetime(value: _dt.datetime, path: str, seen: set[int]) -> Any:
    return Ext(DATETIME, value.isoformat().encode())


def _date(value: _dt.date, path: str, seen: set[int]) -> Any:
    return Ext(DATE, value.isoformat().encode())


def _time(value: _dt.time, path: str, seen: set[int]) -> Any:
    return Ext(TIME, value.isoformat().encode())


def _timedelta(value: _dt.timedelta, path: str, seen: set[int]) -> Any:
    return Ext(TIMEDELTA, _encode([value.days, value.seconds, value.microseconds]))


def _uuid(value: uuid.UUID, path: str, seen: set[int]) -> Any:
    return Ext(UUID_, value.bytes)


def _decimal(value: decimal.Decimal, path: str, seen: set[int]) -> Any:
    return Ext(DECIMAL, str(value).encode())


def _bytes(value: bytes | bytearray | memoryview, path: str, seen: set[int]) -> Any:
    # From THRESHOLD bytes on, the frame encoder shares the value in a memfd
    # (common._shared_bytes) instead of copying it through the socket.
    data = value if type(value) is bytes else bytes(value)
    return LargeBytes(data) if len(data) >= THRESHOLD else data


_WALKERS: dict[type, Callable[[Any, str, set[int]], Any]] = {
    type(None): _plain,
    bool: _plain,
    float: _plain,
    str: _plain,
    bytes: _bytes,
    int: _int,
    list: _list,
    tuple: _tuple,
    set: _set,
    frozenset: _set,
    dict: _dict,
    _dt.datetime: _datetime,
    _dt.date: _date,
    _dt.time: _time,
    _dt.timedelta: _timedelta,
    uuid.UUID: _uuid,
    decimal.Decimal: _decimal,
    bytearray: _bytes,
    memoryview: _bytes,
}


def _record(kind: int, cls: type, fields: dict[str, Any], path: str, seen: set[int]) -> Any:
    walked = {name: _walk(v, f"{path}.{name}", seen) for name, v in fields.items()}
    return _ext(kind, [cls.__module__, cls.__qualname__, walked])


def _exception(value: BaseException, path: str, seen: set[int]) -> Any:
    if isinstance(value, IpcRemoteError):
        type_name, module, message = value.remote_type, "builtins", value.message
    else:
        cls = type(value)
        type_name, module, message = cls.__qualname__, cls.__module__, str(value)
    raw = list(value.args)
    if isinstance(value, OSError) and len(raw) == 2 and value.filename is not None:
        # OSError keeps the file names out of args; put them back so the
        # rebuilt error says the same ("[Errno 2] No such file...: 'x'").
        raw += [value.filename, None, value.filename2] if value.filename2 is not None else [value.filename]
    try:
        args = _items(raw, f"{path}.args", seen)
    except DataCloneError:
        args = [message]  # the message still travels when an argument cannot
    return _ext(EXCEPTION, [module, type_name, message, args])


def _describe(value: Any) -> str:
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return "function"
    if isinstance(value, type):
        return f"class {value.__module__}.{value.__qualname__}".replace(" builtins.", " ")
    if hasattr(value, "__await__"):
        return "awaitable"
    if type(value).__module__.startswith("tkelectron."):
        # The framework's stand-ins (a page's function bridged into the preload,
        # a bridged stream) are named as the user wrote them, not by our class.
        if callable(value):
            return "function"
        if hasattr(value, "__anext__"):
            return "async iterator"
    return f"{type(value).__module__}.{type(value).__qualname__}".removeprefix("builtins.")


def _walk(value: Any, path: str, seen: set[int]) -> Any:
    walker = _WALKERS.get(type(value))
    if walker is not None:
        return walker(value, path, seen)
    if isinstance(value, msgspec.Struct):
        key = id(value)
        if key in seen:
            raise DataCloneError(path, "cycle: the value contains itself")
        seen.add(key)
        try:
            return _record(STRUCT, type(value), msgspec.structs.asdict(value), path, seen)
        finally:
            seen.discard(key)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        key = id(value)
        if key in seen:
            raise DataCloneError(path, "cycle: the value contains itself")
        seen.add(key)
        try:
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            return _record(DATACLASS, type(value), fields, path, seen)
        finally:
            seen.discard(key)
    if isinstance(value, BaseException):
        return _exception(value, path, seen)
    # Subclasses of plain values (IntEnum, StrEnum, ...) travel as the value.
    # The base class's own conversion gives the value: str(Name.ADA) would be
    # "Name.ADA" for a (str, Enum) member, str.__str__ gives "ada".
    if isinstance(value, int) and type(value) is not bool:
        return _walk(int.__int__(value), path, seen)
    if isinstance(value, str):
        return _walk(str.__str__(value), path, seen)
    if isinstance(value, float):
        return _walk(float.__float__(value), path, seen)
    # OrderedDict, namedtuple, ... travel as the base type.
    if isinstance(value, dict):
        return _dict(value, path, seen)
    if isinstance(value, list):
        return _list(value, path, seen)
    if isinstance(value, tuple):
        return _tuple(value, path, seen)
    raise DataCloneError(path, f"{_describe(value)} is not cloneable")


def to_wire(value: Any, path: str = "value") -> Any:
    """Clone ``value`` into its wire form, or raise DataCloneError naming the path."""
    if _is_scalar(value):
        return value  # most answers: no walk, no path strings, no cycle set
    try:
        return _plain_tree(value, 0)
    except _NotPlain:
        return _walk(value, path, set())


class _NotPlain(Exception):
    """The plain walk met something it leaves to the full one."""


#: Nesting the plain walk follows before it hands over (the full walk finds cycles).
_PLAIN_DEPTH = 32


def _plain_tree(value: Any, depth: int) -> Any:
    """The wire form of a tree of lists, str-keyed dicts and scalars, built
    without the full walk's path strings and cycle set (most values are such
    trees: the full walk spent most of its time naming paths no error needed).
    Anything else — another type, a value that travels as an extension, a
    deep or cyclic tree — raises _NotPlain, and the full walk starts over
    from the top, so errors still name their path and the result is the
    same."""
    cls = type(value)
    if cls is list:
        if depth >= _PLAIN_DEPTH:
            raise _NotPlain
        return [item if _is_scalar(item) else _plain_tree(item, depth + 1) for item in value]
    if cls is dict:
        if depth >= _PLAIN_DEPTH:
            raise _NotPlain
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise _NotPlain
            out[k] = v if _is_scalar(v) else _plain_tree(v, depth + 1)
        return out
    if _is_scalar(value):
        return value
    raise _NotPlain


#: Types that travel as themselves (ints too, within msgpack's 64 bits, and
#: bytes below THRESHOLD).
_SCALARS = frozenset({type(None), bool, float, str})


def _is_scalar(value: Any) -> bool:
    cls = type(value)
    return (
        cls in _SCALARS
        or (cls is int and _INT64_MIN <= value <= _UINT64_MAX)
        or (cls is bytes and len(value) < THRESHOLD)
    )


def to_wire_args(args: tuple[Any, ...] | list[Any], path: str = "args") -> list[Any]:
    """Clone a call's positional arguments (paths read ``args[0]``, ``args[1]``...)."""
    # Most calls pass only scalars: ``_is_scalar`` written out in the loop
    # (a call per argument was most of the cost of a one-way send's clone).
    for value in args:
        cls = type(value)
        if cls is int:  # the commonest argument first: one test less for it
            if _INT64_MIN <= value <= _UINT64_MAX:
                continue
        elif cls in _SCALARS or (cls is bytes and len(value) < THRESHOLD):
            continue
        break
    else:
        return list(args)
    try:
        return [_plain_tree(a, 0) for a in args]
    except _NotPlain:
        seen: set[int] = set()
        return [_walk(a, f"{path}[{i}]", seen) for i, a in enumerate(args)]


# ---------------------------------------------------------------------------
# Decoding


def _lookup(module: str, qualname: str) -> Any:
    mod = sys.modules.get(module)
    obj: Any = mod
    for part in qualname.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


#: Whether this process rebuilds Structs/dataclasses from frames (see the
#: module docstring): off in main, turned on by a renderer when it starts.
_rebuild = [False]


def rebuild_records(on: bool) -> bool:
    """Turn rebuilding records into their classes on or off; returns the old setting.

    Only a renderer turns it on (it decodes what main sends). Main leaves it
    off, so nothing a renderer sends can construct an object in main.
    """
    old = _rebuild[0]
    _rebuild[0] = bool(on)
    return old


def _rebuild_record(kind: int, data: bytes | memoryview) -> Any:
    module, qualname, fields = _decode(data)
    if type(module) is not str or type(qualname) is not str or type(fields) is not dict:
        raise ValueError("a malformed record extension")
    if not _rebuild[0] or module == "tkelectron" or module.startswith("tkelectron."):
        return fields  # data, not objects (and never a framework message type)
    cls = _lookup(module, qualname)
    if kind == STRUCT and isinstance(cls, type) and issubclass(cls, msgspec.Struct):
        return cls(**fields)
    if kind == DATACLASS and isinstance(cls, type) and dataclasses.is_dataclass(cls):
        init = {f.name for f in dataclasses.fields(cls) if f.init}
        obj = cls(**{k: v for k, v in fields.items() if k in init})
        for k, v in fields.items():
            if k not in init:
                object.__setattr__(obj, k, v)
        return obj
    return fields


def _rebuild_exception(data: bytes | memoryview) -> Any:
    module, type_name, message, args = _decode(data)
    if module == "builtins":
        import builtins

        cls = getattr(builtins, type_name, None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            try:
                return cls(*args)
            except Exception:  # noqa: BLE001 - args a builtin refuses: rebuild it from the message
                return cls(message)
    return remote_error(type_name, message, module=module)


def ext_hook(code: int, data: memoryview) -> Any:
    """msgspec ``ext_hook``: rebuild the values :func:`to_wire` turned into Ext."""
    if code == TUPLE:
        return tuple(_decode(data))
    if code == SET:
        return set(_decode(data))
    if code == FROZENSET:
        return frozenset(_decode(data))
    if code == ANYDICT:
        flat = _decode(data)
        return dict(zip(flat[::2], flat[1::2], strict=False))
    if code == DATETIME:
        return _dt.datetime.fromisoformat(bytes(data).decode())
    if code == DATE:
        return _dt.date.fromisoformat(bytes(data).decode())
    if code == TIME:
        return _dt.time.fromisoformat(bytes(data).decode())
    if code == TIMEDELTA:
        days, seconds, micro = _decode(data)
        return _dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if code == UUID_:
        return uuid.UUID(bytes=bytes(data))
    if code == DECIMAL:
        return decimal.Decimal(bytes(data).decode())
    if code == BIGINT:
        return int(_decode(data))
    if code in (STRUCT, DATACLASS):
        return _rebuild_record(code, data)
    if code == EXCEPTION:
        return _rebuild_exception(data)
    if code == SHARED_BYTES:  # inside another extension's payload: the frame being decoded has its fd
        resolve = frame_resolver.get()
        if resolve is not None:
            return resolve(data)
    raise ValueError(f"unknown extension type {code}")


_decode = msgspec.msgpack.Decoder(ext_hook=ext_hook).decode


def clone(value: Any) -> Any:
    """A deep copy made the way values cross processes (for in-process hops)."""
    return _decode(_encode(to_wire(value)))
