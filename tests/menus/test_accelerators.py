"""Electron accelerator strings -> Tk bind sequences and menu labels."""

from __future__ import annotations

import pytest

from tkelectron.main._accelerators import parse_accelerator


@pytest.mark.parametrize(
    ("accelerator", "sequences", "label"),
    [
        ("CmdOrCtrl+Q", ["<Control-Key-q>", "<Control-Lock-Key-Q>"], "Ctrl+Q"),
        ("CommandOrControl+Shift+Z", ["<Control-Shift-Key-Z>"], "Ctrl+Shift+Z"),
        ("Shift+CmdOrCtrl+R", ["<Control-Shift-Key-R>"], "Ctrl+Shift+R"),
        ("cmdorctrl+shift+r", ["<Control-Shift-Key-R>"], "Ctrl+Shift+R"),
        ("Alt+F4", ["<Alt-Key-F4>"], "Alt+F4"),
        ("F12", ["<Key-F12>"], "F12"),
        ("Ctrl+Plus", ["<Control-Key-plus>"], "Ctrl+Plus"),
        ("Ctrl++", ["<Control-Key-plus>"], "Ctrl+Plus"),
        ("Ctrl+=", ["<Control-Key-equal>"], "Ctrl+="),
        ("Ctrl+-", ["<Control-Key-minus>"], "Ctrl+-"),
        ("Control+1", ["<Control-Key-1>"], "Ctrl+1"),
        ("Ctrl+Shift+I", ["<Control-Shift-Key-I>"], "Ctrl+Shift+I"),
        ("Super+Space", ["<Mod4-Key-space>"], "Super+Space"),
        ("Alt+Shift+Left", ["<Alt-Shift-Key-Left>"], "Alt+Shift+Left"),
        ("PageDown", ["<Key-Next>"], "PageDown"),
        ("Esc", ["<Key-Escape>"], "Esc"),
        ("Ctrl+Enter", ["<Control-Key-Return>"], "Ctrl+Enter"),
        ("CmdOrCtrl+,", ["<Control-Key-comma>"], "Ctrl+,"),
        ("num5", ["<Key-KP_5>"], "num5"),
    ],
)
def test_parse(accelerator: str, sequences: list[str], label: str) -> None:
    acc = parse_accelerator(accelerator)
    assert acc.tk_sequences() == sequences
    assert acc.label == label


@pytest.mark.parametrize(
    ("accelerator", "reason"),
    [
        ("", "empty"),
        ("Ctrl+Hyper", "unknown key 'Hyper'"),
        ("Ctrl+Shift", "no key"),
        ("Ctrl+A+B", "more than one key"),
        ("Ctrl+Ctrl+A", "repeated"),
        ("A+Ctrl", "after the key"),
        ("Ctrl++A", "empty part"),
        ("F25", "unknown key 'F25'"),
    ],
)
def test_invalid_accelerators_name_the_accelerator(accelerator: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_accelerator(accelerator)
    assert repr(accelerator) in str(info.value)
    assert reason in str(info.value)

