"""The main process's connection to the D-Bus session bus (jeepney on trio).

The desktop services of issue 12 — notifications, the settings portal, the
tray's StatusNotifierWatcher, the file manager, the launcher — all live on the
user's session bus. :func:`session_bus` opens one connection per app run, the
first time a module needs it, as a task of the app's nursery: it closes when
the app quits (the bus then tells every service that our names are gone, so a
tray icon disappears with the app), and the next run opens a fresh one.

Why jeepney: it is pure Python with an I/O-free protocol core and a trio
integration (``jeepney.io.trio``), so the connection is a trio task like
everything else in main; dbus-next / dbus-fast and desktop-notifier (built on
dbus-next) are asyncio libraries and would need a second event loop or a
bridge thread.

The bus address comes from ``DBUS_SESSION_BUS_ADDRESS``, else
``$XDG_RUNTIME_DIR/bus`` (what systemd user sessions provide, and what GDBus
and sd-bus fall back to). With neither, :class:`DesktopServiceError` says so.

Objects we serve (the tray item and its menu, the launcher entry) register
with :meth:`SessionBus.export`; one task answers every method call: it checks
the call's signature against the one the method declares before calling it
(another program on the bus chose those arguments), answers
``org.freedesktop.DBus.Properties`` from the object's property table, and
replies ``UnknownObject``/``UnknownMethod`` to the rest, so no caller waits.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trio
from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    MessageType,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.bus_messages import message_bus
from jeepney.io.common import RouterClosed
from jeepney.io.trio import DBusRouter, open_dbus_connection
from jeepney.low_level import Message
from jeepney.wrappers import DBusErrorResponse

from ..common._emitter import EventEmitter
from ._context import current_session
from ._listeners import main_listeners

__all__ = [
    "DBusMethodError",
    "DesktopEmitter",
    "DesktopServiceError",
    "ExportedObject",
    "SessionBus",
    "Variant",
    "bus_address",
    "check_text",
    "session_bus",
]

log = logging.getLogger("tkelectron.dbus")

#: How long a call to a desktop service may take before it counts as failed
#: (the D-Bus reference implementation's default is 25 s; a desktop service
#: that has not answered in 10 is not going to).
CALL_TIMEOUT = 10.0
#: How many incoming method calls may wait to be answered; beyond that the bus
#: peer that floods us loses its calls (their callers time out), main does not.
_INCOMING_BACKLOG = 64

#: A D-Bus variant as jeepney spells it: (signature, value).
Variant = tuple[str, Any]


class DesktopServiceError(RuntimeError):
    """A desktop service (or the session bus itself) is absent or failed.

    ``service`` names what was asked for, e.g. ``org.freedesktop.Notifications``.
    """

    def __init__(self, message: str, service: str = "org.freedesktop.DBus") -> None:
        super().__init__(message)
        self.service = service


class DesktopEmitter(EventEmitter):
    """The emitter of Notification, Tray and native_theme: async listeners run as app tasks."""

    _listener_runner = main_listeners  # the main process's shared runner (binds the app's nursery)


class DBusMethodError(Exception):
    """Raised by an exported method to answer its caller with a D-Bus error."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def check_text(value: str, what: str) -> str:
    """``value`` if D-Bus can carry it: no NUL, encodable as UTF-8; else a ValueError naming ``what``.

    The bus daemon drops the whole connection of a client that sends a
    string with a NUL in it, so nothing like that may ever leave main.
    """
    if "\0" in value:
        raise ValueError(f"{what} contains a NUL character, which D-Bus cannot carry")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} is not valid text ({exc.reason} at {exc.start})") from None
    return value


def _check_body(value: Any, what: str, depth: int = 0) -> None:
    """Every string in a message body passes :func:`check_text` (bodies are small and shallow)."""
    if isinstance(value, str):
        check_text(value, what)
    elif isinstance(value, (tuple, list)) and depth < 32:
        for item in value:
            _check_body(item, what, depth + 1)
    elif isinstance(value, dict) and depth < 32:
        for key, item in value.items():
            _check_body(key, what, depth + 1)
            _check_body(item, what, depth + 1)


def bus_address() -> str:
    """The session bus address, or a clear error when this session has none."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "bus").is_socket():
        return f"unix:path={Path(runtime) / 'bus'}"
    raise DesktopServiceError(
        "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set and there is no $XDG_RUNTIME_DIR/bus "
        "(run inside a desktop session, or start one with `dbus-run-session -- CMD`)"
    )


@dataclass
class ExportedObject:
    """An object we serve at ``path``: methods and read-only properties per interface.

    ``methods[interface][member] = (in_signature, fn)``; ``fn(*args)`` returns
    ``(out_signature, body_tuple)``. ``properties[interface]()`` returns the
    interface's properties as ``{name: (signature, value)}``.
    """

    path: str
    #: Serve it only to calls addressed to this well-known name of ours (a
    #: process may serve two tray items, both at /StatusNotifierItem, under
    #: two names); None: whatever name the caller used.
    bus_name: str | None = None
    methods: dict[str, dict[str, tuple[str, Callable[..., tuple[str, tuple[Any, ...]]]]]] = field(default_factory=dict)
    properties: dict[str, Callable[[], dict[str, Variant]]] = field(default_factory=dict)


class SessionBus:
    """One app run's session-bus connection (get it with :func:`session_bus`)."""

    def __init__(self, router: DBusRouter, run: trio.Nursery, tasks: trio.Nursery) -> None:
        self.router = router
        #: The app run (its nursery) this connection belongs to.
        self.run = run
        self._tasks = tasks
        self.closed = False
        self._objects: dict[tuple[str | None, str], ExportedObject] = {}
        #: The modules' long-lived signal watchers on this connection, by key,
        #: with the event set once each is subscribed (see :meth:`watcher`).
        self._watchers: dict[str, tuple[Any, trio.Event]] = {}

    @property
    def unique_name(self) -> str:
        name: str = self.router.unique_name  # jeepney is untyped: the bus gave us a str
        return name

    # -- calling services -----------------------------------------------------------

    async def call_message(self, address: DBusAddress, method: str, signature: str | None = None,
                           body: tuple[Any, ...] = ()) -> Message:
        """Call ``method`` and return the reply message (its header names the sender).

        A D-Bus error reply raises :class:`DesktopServiceError` naming the
        service and the bus's error; so does no answer within CALL_TIMEOUT.
        """
        service = address.bus_name or "?"
        _check_body(body, f"the arguments of {method}")
        msg = new_method_call(address, method, signature, body)
        try:
            with trio.fail_after(CALL_TIMEOUT):
                reply = await self.router.send_and_get_reply(msg)
        except trio.TooSlowError:
            raise DesktopServiceError(f"{service} did not answer {method} within {CALL_TIMEOUT:g} s", service) from None
        except (OSError, trio.BrokenResourceError, trio.ClosedResourceError, RouterClosed) as exc:
            raise DesktopServiceError(f"the session bus connection failed: {exc}", service) from None
        except KeyError as exc:
            # jeepney 0.9: a call still waiting when the connection closes ends
            # in a KeyError raised while it handles RouterClosed.
            if not isinstance(exc.__context__, RouterClosed):
                raise
            raise DesktopServiceError(f"the session bus connection closed before {service} answered {method}",
                                      service) from None
        if reply.header.message_type == MessageType.error:
            err = DBusErrorResponse(reply)
            detail = err.data[0] if err.data and isinstance(err.data[0], str) else ""
            raise DesktopServiceError(f"{service} {method} failed: {err.name}: {detail}".rstrip(": "), service)
        return reply

    async def call(self, address: DBusAddress, method: str, signature: str | None = None,
                   body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """Call ``method`` and return the reply's body."""
        reply = await self.call_message(address, method, signature, body)
        values: tuple[Any, ...] = reply.body  # jeepney is untyped: a message body is a tuple
        return values

    async def name_has_owner(self, name: str) -> bool:
        (owned,) = await self.call(message_bus, "NameHasOwner", "s", (name,))
        return bool(owned)

    async def request_name(self, name: str) -> None:
        """Own ``name`` (fails when another connection already owns it)."""
        (result,) = await self.call(message_bus, "RequestName", "su", (name, 4))  # DO_NOT_QUEUE
        if result not in (1, 4):  # primary owner / already owner
            raise DesktopServiceError(f"cannot own the bus name {name} (another program has it)", name)

    # -- signals --------------------------------------------------------------------

    async def add_match(self, rule: MatchRule) -> None:
        """Ask the bus to route signals matching ``rule`` to us (for :meth:`filter`)."""
        await self.call(message_bus, "AddMatch", "s", (rule.serialise(),))

    def filter(self, rule: MatchRule, bufsize: int = 32) -> Any:
        """A jeepney filter: an ``async with`` giving a channel of matching messages."""
        return self.router.filter(rule, bufsize=bufsize)

    async def emit(self, path: str, interface: str, member: str, signature: str | None,
                   body: tuple[Any, ...]) -> None:
        _check_body(body, f"the {member} signal")
        await self._send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    async def _send(self, msg: Message) -> None:
        try:
            await self.router.send(msg)
        except (OSError, trio.BrokenResourceError, trio.ClosedResourceError) as exc:
            raise DesktopServiceError(f"the session bus connection failed: {exc}") from None

    async def start(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Start ``fn(*args, task_status=...)`` beside the connection, as ``nursery.start`` does.

        The task runs with the connection (it is cancelled before the
        connection closes). An error before it calls ``task_status.started`` is
        raised here; one after (the bus went away) is logged: a desktop service
        never takes the app down.
        """
        return await self._tasks.start(_guarded_task, fn, args)

    async def watcher(self, key: str, factory: Callable[[], Any]) -> Any:
        """The one watcher for ``key`` on this connection, started on first use.

        ``factory()`` makes an object whose ``run(bus, task_status=)`` task
        subscribes to its signals, calls ``task_status.started()``, then
        handles them until the connection closes. Callers that come while it
        subscribes wait for it, so no signal sent after this returns is
        missed; if subscribing failed, each of them gets the error.
        """
        entry = self._watchers.get(key)
        if entry is not None:
            await entry[1].wait()
            if self._watchers.get(key) is not entry:
                raise DesktopServiceError(f"subscribing to the signals of {key} failed")
            return entry[0]
        entry = (factory(), trio.Event())
        self._watchers[key] = entry
        try:
            await self.start(entry[0].run, self)
        except BaseException:
            del self._watchers[key]
            raise
        finally:
            entry[1].set()
        return entry[0]

    def started_watcher(self, key: str) -> Any | None:
        """The watcher for ``key`` if it runs on this connection (never starts one)."""
        entry = self._watchers.get(key)
        return entry[0] if entry is not None and entry[1].is_set() else None

    # -- serving objects ------------------------------------------------------------

    def export(self, obj: ExportedObject) -> None:
        key = (obj.bus_name, obj.path)
        if key in self._objects:
            raise ValueError(f"an object is already exported at {obj.path}")
        self._objects[key] = obj

    def unexport(self, obj: ExportedObject) -> None:
        if self._objects.get((obj.bus_name, obj.path)) is obj:
            del self._objects[(obj.bus_name, obj.path)]

    def _find(self, destination: str | None, path: str) -> ExportedObject | None:
        """The object a call reaches: by the name it was sent to, else by path alone.

        A call sent to our unique name (a host that resolved the well-known
        name) reaches the first object exported at that path.
        """
        found = self._objects.get((destination, path)) or self._objects.get((None, path))
        if found is None and destination == self.unique_name:
            found = next((obj for (_, p), obj in self._objects.items() if p == path), None)
        return found

    async def _serve_calls(self, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        async with self.router.filter(MatchRule(type="method_call"), bufsize=_INCOMING_BACKLOG) as calls:
            task_status.started()
            async for msg in calls:
                reply = self._answer(msg)
                if reply is not None and not msg.header.flags & 1:  # NO_REPLY_EXPECTED
                    try:
                        _check_body(reply.body, "a reply")
                    except ValueError as exc:  # e.g. a menu label the app gave a NUL: refuse, stay connected
                        reply = new_error(msg, "org.freedesktop.DBus.Error.Failed", "s", (str(exc),))
                    await self.router.send(reply)

    def _answer(self, msg: Message) -> Message | None:
        fields = msg.header.fields
        path = fields.get(HeaderFields.path, "")
        interface = fields.get(HeaderFields.interface)
        member = fields.get(HeaderFields.member, "")
        signature = fields.get(HeaderFields.signature, "")
        obj = self._find(fields.get(HeaderFields.destination), path)
        if interface == "org.freedesktop.DBus.Peer" and member == "Ping":
            return new_method_return(msg)
        if obj is None:
            return new_error(msg, "org.freedesktop.DBus.Error.UnknownObject", "s", (f"no object at {path}",))
        try:
            if interface == "org.freedesktop.DBus.Properties":
                return self._answer_properties(msg, obj, member, signature)
            if interface == "org.freedesktop.DBus.Introspectable" and member == "Introspect":
                return new_method_return(msg, "s", (_introspection(obj),))
            candidates = [obj.methods[interface]] if interface in obj.methods else (
                list(obj.methods.values()) if interface is None else [])
            method = next((table[member] for table in candidates if member in table), None)
            if method is None:
                raise DBusMethodError("org.freedesktop.DBus.Error.UnknownMethod", f"no method {interface}.{member}")
            in_signature, fn = method
            if signature != in_signature:
                raise DBusMethodError("org.freedesktop.DBus.Error.InvalidArgs",
                                      f"{member} takes ({in_signature}), not ({signature})")
            out_signature, body = fn(*msg.body)
            return new_method_return(msg, out_signature or None, body)
        except DBusMethodError as exc:
            return new_error(msg, exc.name, "s", (str(exc),))
        except Exception:
            log.exception("serving %s.%s at %s raised", interface, member, path)
            return new_error(msg, "org.freedesktop.DBus.Error.Failed", "s", ("internal error",))

    def _answer_properties(self, msg: Message, obj: ExportedObject, member: str, signature: str) -> Message:
        if member == "GetAll" and signature == "s":
            (interface,) = msg.body
            getter = obj.properties.get(interface)
            return new_method_return(msg, "a{sv}", (getter() if getter else {},))
        if member == "Get" and signature == "ss":
            interface, name = msg.body
            values = obj.properties[interface]() if interface in obj.properties else {}
            if name not in values:
                raise DBusMethodError("org.freedesktop.DBus.Error.UnknownProperty", f"no property {interface}.{name}")
            return new_method_return(msg, "v", (values[name],))
        if member == "Set":
            raise DBusMethodError("org.freedesktop.DBus.Error.PropertyReadOnly", "these properties are read-only")
        raise DBusMethodError("org.freedesktop.DBus.Error.UnknownMethod", f"no Properties.{member}({signature})")


async def _guarded_task(fn: Callable[..., Any], args: tuple[Any, ...], task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    started = False

    def mark_started(value: Any = None) -> None:
        nonlocal started
        started = True
        task_status.started(value)

    status = type("TaskStatus", (), {"started": staticmethod(mark_started)})()
    try:
        await fn(*args, task_status=status)
    except (DesktopServiceError, OSError, trio.BrokenResourceError, trio.ClosedResourceError, trio.EndOfChannel) as exc:
        if not started:
            raise
        log.warning("a desktop-service task ended: %s", exc)
    except Exception:
        if not started:
            raise
        log.exception("a desktop-service task raised")


def _introspection(obj: ExportedObject) -> str:
    """Enough introspection XML for a browsing tool to list what we serve."""
    parts = ['<node>']
    for interface in sorted(set(obj.methods) | set(obj.properties)):
        parts.append(f' <interface name="{interface}">')
        parts.extend(f'  <method name="{member}"/>' for member in sorted(obj.methods.get(interface, {})))
        if interface in obj.properties:
            for name, (sig, _) in sorted(obj.properties[interface]().items()):
                parts.append(f'  <property name="{name}" type="{sig}" access="read"/>')
        parts.append(" </interface>")
    parts.append("</node>")
    return "\n".join(parts)


_current: SessionBus | None = None
# A lock per app run (trio objects belong to one loop), and the run it is for.
_opening: tuple[trio.Nursery, trio.Lock] | None = None


async def session_bus() -> SessionBus:
    """This app run's session-bus connection, opened on first use.

    Raises :class:`DesktopServiceError` when there is no session bus or it
    refuses us, and RuntimeError when the app is not running.
    """
    global _current, _opening
    session = current_session()
    nursery = session.nursery
    if nursery is None:
        raise RuntimeError("the app is not running: desktop services need app.run() (or tkelectron.testing)")
    if _current is not None and _current.run is nursery and not _current.closed:
        return _current
    if _opening is None or _opening[0] is not nursery:
        _opening = (nursery, trio.Lock())
    async with _opening[1]:
        if _current is None or _current.run is not nursery or _current.closed:
            _current = await nursery.start(_run_connection, nursery)
    return _current


async def _run_connection(run: trio.Nursery, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Hold the connection open until the app's nursery is cancelled.

    The tasks that read from the connection (our call server, the modules'
    signal watchers) run in a nursery of their own, and the router's receiver
    is shielded until they have all ended: jeepney's receiver closes every
    open filter on its way out and must not race them closing themselves.
    """
    address = bus_address()
    try:
        conn = await open_dbus_connection(address)
    except (OSError, trio.BrokenResourceError, trio.EndOfChannel, RuntimeError, ValueError) as exc:
        raise DesktopServiceError(f"cannot connect to the D-Bus session bus at {address}: {exc}") from None
    router = DBusRouter(conn)
    bus: SessionBus | None = None
    try:
        async with trio.open_nursery() as holder:
            await holder.start(_hold_receiver, router)
            try:
                async with trio.open_nursery() as tasks:
                    bus = SessionBus(router, run, tasks)
                    await tasks.start(bus._serve_calls)
                    task_status.started(bus)
            finally:
                bus_closed = bus
                if bus_closed is not None:
                    bus_closed.closed = True
                with trio.CancelScope(shield=True):
                    await router.aclose()
    # The bus went away: jeepney's receiver raised, grouped by the nursery with
    # whatever it broke — and, when the app quits at that moment, with the
    # app's Cancelled, which must go on: hence except*.
    except* Exception as group:  # noqa: BLE001
        if bus is None:
            raise DesktopServiceError(f"the D-Bus session bus at {address} closed the connection: {group}") from None
        log.warning("the D-Bus session bus connection ended: %r", group)
    finally:
        await conn.aclose()


async def _hold_receiver(router: DBusRouter, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    """Run the router's receiver, shielded: only ``router.aclose()`` stops it."""
    with trio.CancelScope(shield=True):
        async with trio.open_nursery() as nursery:
            await router.start(nursery)
            task_status.started()
