"""What every test service shares: a bus connection, a call loop, records, waiting."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
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
from jeepney.io.trio import DBusRouter, open_dbus_router
from jeepney.low_level import Message
from jeepney.wrappers import unwrap_msg

WAIT = 10.0


class ServiceError(Exception):
    """Raise in a handler to answer the call with this D-Bus error."""

    def __init__(self, name: str, message: str = "") -> None:
        super().__init__(message)
        self.name = name


class TestService:
    """Base class: subclasses define ``methods`` = {(interface, member): handler}.

    A handler gets the call message and returns ``(signature, body)``. Every
    call that reached the service is appended to :attr:`calls` as
    ``(member, body, sender)`` before it is answered.
    """

    bus_name = ""
    path = "/"

    def __init__(self) -> None:
        self.router: DBusRouter | None = None
        self.calls: list[tuple[str, tuple[Any, ...], str]] = []
        #: Signals that reached the service, as (member, body, sender).
        self.signals: list[tuple[str, tuple[Any, ...], str]] = []
        #: Signals a handler queued, as (path, interface, member, signature, body):
        #: sent right after the call's reply, as real services do.
        self.pending_signals: list[tuple[str, str, str, str, tuple[Any, ...]]] = []
        self._changed = trio.Event()

    def methods(self) -> dict[tuple[str, str], Callable[[Message], tuple[str | None, tuple[Any, ...]]]]:
        raise NotImplementedError

    def signal_rules(self) -> list[MatchRule]:
        """Signals of other clients this service listens to (recorded in :attr:`signals`)."""
        return []

    def on_signal(self, msg: Message) -> None:
        """React to one of those signals (after it is recorded)."""

    # -- what tests use -------------------------------------------------------------

    def calls_to(self, member: str) -> list[tuple[Any, ...]]:
        return [body for name, body, _ in self.calls if name == member]

    async def wait_until(self, predicate: Callable[[], Any], what: str) -> Any:
        with trio.move_on_after(WAIT):
            while True:
                value = predicate()
                if value:
                    return value
                await self._changed.wait()
        raise TimeoutError(f"timed out waiting for {what}; calls so far: {self.calls}")

    def changed(self) -> None:
        self._changed.set()
        self._changed = trio.Event()

    async def emit(self, path: str, interface: str, member: str, signature: str, body: tuple[Any, ...]) -> None:
        assert self.router is not None
        await self.router.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    async def call(self, bus_name: str, path: str, interface: str, member: str,
                   signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """Call a method of another bus client (e.g. the app's tray item), as a desktop host does."""
        assert self.router is not None
        msg = new_method_call(DBusAddress(path, bus_name, interface), member, signature, body)
        with trio.fail_after(WAIT):
            reply = await self.router.send_and_get_reply(msg)
        return unwrap_msg(reply)

    def signals_named(self, member: str) -> list[tuple[Any, ...]]:
        return [body for name, body, _ in self.signals if name == member]

    # -- serving -------------------------------------------------------------------

    async def _serve(self, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        assert self.router is not None
        table = self.methods()
        async with self.router.filter(MatchRule(type="method_call"), bufsize=64) as incoming:
            task_status.started()
            async for msg in incoming:
                fields = msg.header.fields
                key = (fields.get(HeaderFields.interface, ""), fields.get(HeaderFields.member, ""))
                self.calls.append((key[1], tuple(msg.body), fields.get(HeaderFields.sender, "")))
                handler = table.get(key)
                try:
                    if handler is None:
                        raise ServiceError("org.freedesktop.DBus.Error.UnknownMethod", f"no {key[0]}.{key[1]}")
                    signature, body = handler(msg)
                    reply = new_method_return(msg, signature, body)
                except ServiceError as exc:
                    reply = new_error(msg, exc.name, "s", (str(exc),))
                await self.router.send(reply)
                while self.pending_signals:
                    await self.emit(*self.pending_signals.pop(0))
                self.changed()


async def _listen(service: TestService, rules: list[MatchRule], task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
    assert service.router is not None
    async with contextlib.AsyncExitStack() as stack:
        send, receive = trio.open_memory_channel(64)
        for rule in rules:
            await stack.enter_async_context(service.router.filter(rule, channel=send.clone()))
            await service.router.send_and_get_reply(message_bus.AddMatch(rule))
        send.close()
        task_status.started()
        async for msg in receive:
            fields = msg.header.fields
            service.signals.append((fields.get(HeaderFields.member, ""), tuple(msg.body),
                                    fields.get(HeaderFields.sender, "")))
            service.on_signal(msg)
            service.changed()


@contextlib.asynccontextmanager
async def running(service: TestService, address: str, own_name: bool = True) -> AsyncIterator[TestService]:
    """Connect ``service`` to the bus at ``address``, own its name, serve until the block ends."""
    async with open_dbus_router(address) as router:
        service.router = router
        if own_name:
            reply = await router.send_and_get_reply(message_bus.RequestName(service.bus_name, 4))
            assert unwrap_msg(reply) == (1,), f"could not own {service.bus_name}"
        async with trio.open_nursery() as nursery:
            await nursery.start(service._serve)
            rules = service.signal_rules()
            if rules:
                await nursery.start(_listen, service, rules)
            try:
                yield service
            finally:
                nursery.cancel_scope.cancel()


def sender_of(msg: Message) -> str:
    return msg.header.fields.get(HeaderFields.sender, "")


def is_signal(msg: Message) -> bool:
    return msg.header.message_type == MessageType.signal


class Recorder(list):
    """A list of what an app listener received, with a wait for the next entries.

    Use its :meth:`add` as the listener (``note.on("click", rec.add)``);
    ``await rec.wait_for(n)`` returns once it holds ``n`` entries.
    """

    def __init__(self) -> None:
        super().__init__()
        self._grew = trio.Event()

    def add(self, *args: Any) -> None:
        self.append(args[0] if len(args) == 1 else args)
        self._grew.set()
        self._grew = trio.Event()

    async def wait_for(self, count: int = 1) -> Recorder:
        with trio.move_on_after(WAIT):
            while len(self) < count:
                await self._grew.wait()
            return self
        raise TimeoutError(f"timed out waiting for {count} event(s); got {list(self)}")
