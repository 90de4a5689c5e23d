"""The op log: DOM mutations recorded for the next commit, coalesced.

The compositor pays per op (Tkhtml inserts 1000 items one by one in 950 ms,
as one fragment in 9 ms), so the log keeps as few ops as is still correct:

- Consecutive :class:`Insert` ops into the same parent before the same child
  become one Insert whose HTML is the concatenation (the order is preserved:
  A then B inserted before X reads "A B X", and so does "AB" before X).
- Ops that *set* a value and create no nodes (``SetAttr``/``RemoveAttr`` of one
  attribute, ``SetValue``, ``SetChecked``, ``SetText``, ``SetTitle``,
  ``Focus``) supersede an earlier op with the same key wherever it is: the
  earlier one is dropped (left as a hole, so recording stays O(1)). This is
  safe because dropping them removes no node a later op could address; any
  op in between that rebuilt the node serialized it from the renderer's
  current state.
- A content op (``SetText``/``SetHTML``) on the node of the immediately
  preceding content op replaces it. ``SetHTML`` is never dropped from
  further back, since later ops may address the elements it created.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from ..common._messages import Insert, Op, SetHTML, SetText
from ..common._op_keys import supersede_key

__all__ = ["OpLog"]


class OpLog:
    """Ops recorded since the last :meth:`take`.

    ``on_add`` (if given) is called after the first :meth:`add` (or
    :meth:`add_insert`) since the last :meth:`take` or :meth:`clear`, so the
    owner can schedule a flush: one flush takes everything, so the owner has
    nothing to learn from the ops after the first. (Called for each of a
    list's 1000 rows, the renderer's hook cost ~0.8 ms a refill.)
    """

    def __init__(self, on_add: Callable[[], None] | None = None) -> None:
        self._ops: list[Op | None] = []
        self._index: dict[Hashable, int] = {}
        self._on_add = on_add
        # The HTML pieces of the last op while it is a growing Insert: joined
        # once, not re-concatenated per append (which is quadratic).
        self._parts: list[str] | None = None

    def __len__(self) -> int:
        return sum(op is not None for op in self._ops)

    def _pop_last(self) -> None:
        op = self._ops.pop()
        key = supersede_key(op) if op is not None else None
        if key is not None and self._index.get(key) == len(self._ops):
            del self._index[key]
        while self._ops and self._ops[-1] is None:
            self._ops.pop()  # keep the invariant: the last slot is an op

    def add(self, op: Op) -> None:
        """Record ``op`` after everything recorded so far."""
        first = not self._ops
        self._add(op)
        if first and self._on_add is not None:
            self._on_add()

    def add_insert(self, parent: int, html: str, before: int | None) -> None:
        """:meth:`add` of ``Insert(parent, html, before)``; when it only extends
        the growing Insert (a list's rows appended one by one) no op is made."""
        ops = self._ops
        last = ops[-1] if ops else None
        if type(last) is Insert and last.parent == parent and last.before == before:
            parts = self._parts
            if parts is None:
                self._parts = parts = [last.html]
            parts.append(html)
            return  # not the log's first op: the owner was told already
        self.add(Insert(parent, html, before))

    def _add(self, op: Op) -> None:
        # The last slot is never a hole: holes are made only by a newer op
        # with the same key, which is then appended after it.
        last = self._ops[-1] if self._ops else None
        if isinstance(op, Insert) and isinstance(last, Insert):
            if last.parent == op.parent and last.before == op.before:
                if self._parts is None:
                    self._parts = [last.html]
                self._parts.append(op.html)
                return
        self._seal()
        if isinstance(op, (SetText, SetHTML)) and isinstance(last, (SetText, SetHTML)):
            if last.node == op.node:
                self._pop_last()
        key = supersede_key(op)
        if key is not None:
            old = self._index.get(key)
            if old is not None:
                self._ops[old] = None
            self._index[key] = len(self._ops)
        self._ops.append(op)

    def _seal(self) -> None:
        """Turn a growing Insert's pieces into its final op."""
        if self._parts is not None:
            last = self._ops[-1]
            assert isinstance(last, Insert)
            self._ops[-1] = Insert(last.parent, "".join(self._parts), last.before)
            self._parts = None

    def take(self) -> list[Op]:
        """Everything recorded, in order, and start a new log."""
        self._seal()
        ops = [op for op in self._ops if op is not None]
        self.clear()
        return ops

    def clear(self) -> None:
        self._ops = []
        self._index = {}
        self._parts = None
