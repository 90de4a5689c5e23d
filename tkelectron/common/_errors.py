"""Exceptions that are part of the public API, in every process.

:class:`IpcRemoteError` is what a caller sees when the handler on the other side
raised. For builtin exception types the error is *also* an instance of that
type (``except FileNotFoundError:`` works across the process boundary), which
Electron cannot do: it keeps only the message (electron#24427).
"""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "DataCloneError",
    "IpcError",
    "IpcRemoteError",
    "IpcValidationError",
    "NoHandlerError",
    "RendererGoneError",
    "remote_error",
]


class DataCloneError(TypeError):
    """A value cannot cross a process boundary.

    Raised at the *sender*, before anything is written, naming the path of the
    offending value, e.g. ``args[1]["cb"]: function is not cloneable``.
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class IpcError(Exception):
    """An IPC call failed for a reason of the transport, not of the handler."""


class RendererGoneError(IpcError):
    """The process on the other end went away while a call was pending."""


class NoHandlerError(LookupError):
    """Nobody handles the channel that was invoked."""


class IpcValidationError(ValueError):
    """A call's arguments (or a result) do not fit the handler's annotations."""


class IpcRemoteError(Exception):
    """The remote handler of ``channel`` raised ``remote_type(message)``.

    ``remote_traceback`` holds the remote traceback as text while the app runs
    in development mode, and None in production.
    """

    def __init__(
        self,
        remote_type: str,
        message: str,
        channel: str | None = None,
        remote_traceback: str | None = None,
    ) -> None:
        Exception.__init__(self, message)
        self.remote_type = remote_type
        self.message = message
        self.channel = channel
        self.remote_traceback = remote_traceback

    def __str__(self) -> str:
        where = f" (channel {self.channel!r})" if self.channel else ""
        return f"{self.remote_type}: {self.message}{where}"

    def __repr__(self) -> str:
        return f"IpcRemoteError({self.remote_type!r}, {self.message!r}, channel={self.channel!r})"

    def __reduce__(self) -> Any:  # keeps copy/pickle-by-stdlib-tools working
        return (remote_error, (self.remote_type, self.message, self.channel, self.remote_traceback))


_mixed: dict[type[BaseException], type[IpcRemoteError]] = {}


def _framework_errors() -> dict[str, type[BaseException]]:
    return {cls.__qualname__: cls for cls in (DataCloneError, NoHandlerError, IpcValidationError)}


#: Where the framework's errors say they are from: here, or the public API
#: that re-exported them first in that process (``tkelectron._lazy``).
_FRAMEWORK_MODULES = frozenset({__name__, "tkelectron", "tkelectron.renderer"})


def _mixin_for(remote_type: str, module: str) -> type[IpcRemoteError]:
    """The IpcRemoteError subclass that is also the builtin (or framework) ``remote_type``."""
    if module in _FRAMEWORK_MODULES:
        base = _FRAMEWORK.get(remote_type)
    elif module == "builtins":
        base = getattr(builtins, remote_type, None)
    else:
        return IpcRemoteError
    if not (isinstance(base, type) and issubclass(base, Exception)):
        return IpcRemoteError
    cls = _mixed.get(base)
    if cls is None:
        try:
            cls = type(f"IpcRemoteError[{remote_type}]", (IpcRemoteError, base), {"__module__": __name__})
            # Some builtins cannot be made from a message alone (ExceptionGroup
            # needs its exceptions): find out now, not in remote_error.
            cls.__new__(cls, "")
        except TypeError:  # a layout conflict or such a builtin: the plain error
            cls = IpcRemoteError
        _mixed[base] = cls
    return cls


def remote_error(
    remote_type: str,
    message: str,
    channel: str | None = None,
    remote_traceback: str | None = None,
    module: str = "builtins",
) -> IpcRemoteError:
    """Build the IpcRemoteError for a remote exception, mixing in builtin types."""
    cls = _mixin_for(remote_type, module)
    err = cls.__new__(cls, message)
    IpcRemoteError.__init__(err, remote_type, message, channel, remote_traceback)
    return err


_FRAMEWORK = _framework_errors()
