"""Each side's message dispatch is a ``match`` that mypy proves exhaustive.

Main's handling of what a renderer sends (``RendererMessages.handle``) and
the renderer's handling of what main sends (``Runtime.handle``) end in
``typing.assert_never``: a message added to a union and forgotten by its
receiver is a type error. These tests run ``mypy --strict`` on the two
modules, and show the check can fail: the same module with one ``case``
taken out (mypy's ``--shadow-file``) is refused, naming the message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

import tkelectron

ROOT = Path(tkelectron.__file__).resolve().parent

#: (module, the case a shadow copy loses, the message mypy must then name).
DISPATCHERS = [
    ("main/_renderer_messages.py", "            case Navigate():\n                navigate(wc, msg.url)\n", "Navigate"),
    ("renderer/_runtime.py", "            case StreamCredit():\n                self.answers.credit(msg)\n", "StreamCredit"),
]


def _mypy(*args: str) -> tuple[str, int]:
    # Only the named modules are reported: the imports they follow are
    # read for their types, not checked (the package's own gate does that).
    out, err, status = api.run(["--strict", "--follow-imports=silent", "--no-error-summary", *args])
    return out + err, status


@pytest.mark.parametrize(("module", "case", "name"), DISPATCHERS, ids=[d[0] for d in DISPATCHERS])
def test_dispatch_is_exhaustive_under_mypy_strict(module: str, case: str, name: str) -> None:
    path = ROOT / module
    assert "assert_never(msg)" in path.read_text(encoding="utf-8")
    output, status = _mypy(str(path))
    assert status == 0, output


@pytest.mark.parametrize(("module", "case", "name"), DISPATCHERS, ids=[d[0] for d in DISPATCHERS])
def test_a_forgotten_message_is_a_type_error(module: str, case: str, name: str, tmp_path: Path) -> None:
    path = ROOT / module
    source = path.read_text(encoding="utf-8")
    assert source.count(case) == 1, f"the {name} case of {module} changed shape: update this test"
    shadow = tmp_path / path.name
    shadow.write_text(source.replace(case, ""), encoding="utf-8")
    output, status = _mypy("--shadow-file", str(path), str(shadow), str(path))
    assert status == 1
    assert re.search(rf'"assert_never" has incompatible type "{name}"', output), output
