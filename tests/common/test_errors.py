"""The public IPC errors (tkelectron.common._errors), above all ``remote_error``."""

from __future__ import annotations

import builtins
import copy
import pickle  # only to check that stdlib tools (copy, pickle) keep working on the error

import pytest

from tkelectron.common._errors import (
    DataCloneError,
    IpcError,
    IpcRemoteError,
    NoHandlerError,
    RendererGoneError,
    remote_error,
)

BUILTIN_ERRORS = sorted(
    name for name, obj in vars(builtins).items() if isinstance(obj, type) and issubclass(obj, Exception)
)
#: Builtins that cannot be made from a message alone; they arrive as a plain IpcRemoteError.
NOT_MIXABLE = {"ExceptionGroup", "MemoryError"}


def test_remote_error_of_a_builtin_is_also_that_builtin() -> None:
    err = remote_error("KeyError", "'missing'", channel="db:get", remote_traceback="Traceback...")
    assert isinstance(err, KeyError) and isinstance(err, LookupError) and isinstance(err, IpcRemoteError)
    assert (err.remote_type, err.message, err.channel, err.remote_traceback) == (
        "KeyError", "'missing'", "db:get", "Traceback...",
    )
    with pytest.raises(KeyError):
        raise err


def test_str_names_type_message_and_channel_but_not_the_traceback() -> None:
    err = remote_error("ValueError", "bad input", channel="calc", remote_traceback="SECRET FRAME")
    assert str(err) == "ValueError: bad input (channel 'calc')"
    assert "SECRET" not in str(err) and "SECRET" not in repr(err)
    assert str(remote_error("ValueError", "bad input")) == "ValueError: bad input"
    assert err.args == ("bad input",)


@pytest.mark.parametrize("name", BUILTIN_ERRORS)
def test_every_builtin_exception_type_can_be_named(name: str) -> None:
    err = remote_error(name, "msg", channel="c")
    assert isinstance(err, IpcRemoteError) and err.remote_type == name and err.message == "msg"
    assert str(err) == f"{name}: msg (channel 'c')"
    if name in NOT_MIXABLE:
        assert type(err) is IpcRemoteError
    else:
        assert isinstance(err, getattr(builtins, name))


def test_odd_builtins() -> None:
    ude = remote_error("UnicodeDecodeError", "invalid start byte")
    assert isinstance(ude, UnicodeDecodeError) and isinstance(ude, ValueError)
    fnf = remote_error("FileNotFoundError", "nope")
    assert isinstance(fnf, FileNotFoundError) and isinstance(fnf, OSError)
    assert fnf.errno is None and str(fnf) == "FileNotFoundError: nope"
    stop = remote_error("StopIteration", "done")
    assert isinstance(stop, StopIteration)
    timeout = remote_error("TimeoutError", "slow")
    assert isinstance(timeout, TimeoutError) and isinstance(timeout, OSError)


def test_the_mixed_class_is_made_once_per_builtin() -> None:
    assert type(remote_error("KeyError", "a")) is type(remote_error("KeyError", "b"))
    assert type(remote_error("KeyError", "a")) is not type(remote_error("IndexError", "a"))


@pytest.mark.parametrize(
    "name, module",
    [
        ("AppError", "builtins"),  # no such builtin
        ("ValueError", "myapp.errors"),  # a builtin's name from another module is not that builtin
        ("KeyboardInterrupt", "builtins"),  # not an Exception: never mixed in
        ("SystemExit", "builtins"),
        ("BaseException", "builtins"),
        ("print", "builtins"),  # a builtin that is not a class
        ("object", "builtins"),
        ("__import__", "builtins"),
    ],
)
def test_other_names_give_a_plain_ipc_remote_error(name: str, module: str) -> None:
    err = remote_error(name, "m", module=module)
    assert type(err) is IpcRemoteError and err.remote_type == name


def test_copy_and_pickle_keep_every_field() -> None:
    err = remote_error("KeyError", "k", channel="ch", remote_traceback="tb")
    for other in (copy.copy(err), copy.deepcopy(err), pickle.loads(pickle.dumps(err))):
        assert type(other) is type(err)
        assert (other.remote_type, other.message, other.channel, other.remote_traceback) == ("KeyError", "k", "ch", "tb")


def test_data_clone_error_names_path_and_reason() -> None:
    err = DataCloneError('args[1]["cb"]', "function is not cloneable")
    assert str(err) == 'args[1]["cb"]: function is not cloneable'
    assert (err.path, err.reason) == ('args[1]["cb"]', "function is not cloneable")
    assert isinstance(err, TypeError)


def test_error_hierarchy() -> None:
    assert issubclass(RendererGoneError, IpcError)
    assert issubclass(NoHandlerError, LookupError)
    assert not issubclass(IpcRemoteError, IpcError)  # the handler failed, not the transport
