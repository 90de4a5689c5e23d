"""Electron accelerator strings -> Tk bind sequences and menu labels."""

from __future__ import annotations

import pytest

from tkelectron.main._accelerators import parse_accelerator, tk_sequence_matches
from tkelectron.main._menu import split_mnemonic


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



@pytest.mark.parametrize(
    ("sequence", "keysym", "state", "matches"),
    [
        ("<Control-Key-v>", "v", 0x4, True),
        ("<Control-Key-v>", "v", 0x4 | 0x10, True),  # Num Lock (Mod2) does not matter
        ("<Control-Key-v>", "v", 0x0, False),
        ("<Control-Key-Z>", "Z", 0x4 | 0x1, True),  # Tk's <<Redo>> matches Ctrl+Shift+Z
        ("<Control-Lock-Key-V>", "V", 0x4 | 0x2, True),
        ("<Key-F18>", "F18", 0, True),
        ("<Meta-Key-w>", "w", 0x8, False),  # unknown modifier: no match
        ("<Control-Key-v>", "c", 0x4, False),
        ("<Control-Button-1>", "1", 0x4, False),
    ],
)
def test_tk_sequence_matches(sequence: str, keysym: str, state: int, matches: bool) -> None:
    assert tk_sequence_matches(sequence, keysym, state) is matches


@pytest.mark.parametrize(
    ("label", "expected"),
    [("&File", ("File", 0)), ("Save &As", ("Save As", 5)), ("Fish && Chips", ("Fish & Chips", -1)),
     ("Plain", ("Plain", -1)), ("Trailing&", ("Trailing&", -1)), ("&A &B", ("A B", 0))],
)
def test_split_mnemonic(label: str, expected: tuple[str, int]) -> None:
    assert split_mnemonic(label) == expected
