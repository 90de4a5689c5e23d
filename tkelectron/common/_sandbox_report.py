"""What a renderer's lockdown did: the report it sends main in ``Ready``.

The renderer builds it (``renderer._sandbox.lock_down``); main decodes it with
the rest of the ``Ready`` frame, so a renderer that sends a malformed report
breaks the protocol (an ``ipc-violation``) instead of handing main an arbitrary
dict. On the wire it is a msgpack map, the same bytes as the plain dict it
replaced. ``web_contents.get_sandbox_report()`` returns :meth:`SandboxReport.as_dict`.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["SandboxReport"]


class SandboxReport(msgspec.Struct, frozen=True, kw_only=True):
    """Which sandbox layers a renderer applied, and why any are missing.

    ``layers`` maps each layer (``pdeathsig``, ``cgroup``, ``privileges``,
    ``rlimits``, ``no_new_privs``, ``landlock``, ``seccomp``) to False or what
    it applied (True or a dict saying what was set). ``missing`` lists the
    required layers not applied and ``reasons`` why (None when none is
    missing); ``skipped`` says why optional layers were not applied (None when
    the lockdown did not get that far, as with the sandbox off).
    ``sandboxed`` is True when Landlock or seccomp confines the process.
    ``readable`` counts the paths on the read allow-list; ``timings_ms`` how
    long each layer took (None when nothing was applied).
    """

    sandboxed: bool = False
    platform: str = ""
    layers: dict[str, Any] = msgspec.field(default_factory=dict)
    missing: list[str] = msgspec.field(default_factory=list)
    readable: int = 0
    skipped: dict[str, str] | None = None
    timings_ms: dict[str, float] | None = None
    reasons: dict[str, str] | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report as a plain dict (what ``get_sandbox_report()`` returns):
        the parts that do not apply (None) are left out."""
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not None}
