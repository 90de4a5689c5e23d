"""Which DOM ops supersede which: shared by the renderer's op log and main's commit rules.

An op that only *sets* a value and creates no nodes — one attribute set or
removed, an input's value or checked state, a node's text, the title, the
focus — is superseded by a later op with the same key: applying only the
later one gives the same result. The renderer uses it to keep a commit small
(``renderer/_dom_ops``); main uses it again on what arrives, since a renderer
need not be honest (``main/_commit_rules``).
"""

from __future__ import annotations

from collections.abc import Hashable

from ._messages import Focus, Op, RemoveAttr, SetAttr, SetChecked, SetText, SetTitle, SetValue

__all__ = ["supersede_key"]


def supersede_key(op: Op) -> Hashable | None:
    """What a later op must share with ``op`` to supersede it (None: never superseded)."""
    if isinstance(op, (SetAttr, RemoveAttr)):
        return ("attr", op.node, op.name)
    if isinstance(op, SetValue):
        return ("value", op.node)
    if isinstance(op, SetChecked):
        return ("checked", op.node)
    if isinstance(op, SetText):
        return ("text", op.node)
    if isinstance(op, SetTitle):
        return ("title",)
    if isinstance(op, Focus):
        return ("focus",)
    return None
