"""`rejection-tui keymap`: the shell way to remap keys (setting ``keymap`` in the journal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_tui.cli import main
from rejection_tui.storage.journal import Journal
from rejection_tui.ui.actions import KEYMAP_SETTING


def saved_keymap(path: Path) -> object:
    with Journal.open(path) as journal:
        return journal.get_setting(KEYMAP_SETTING)


def test_set_list_and_reset(journal_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(journal_path)]
    assert main([*db, "keymap", "new_attempt", "ctrl+n"]) == 0
    assert main([*db, "keymap", "history.delete", " ctrl+d , delete "]) == 0
    assert saved_keymap(journal_path) == {"new_attempt": "ctrl+n", "history.delete": "ctrl+d,delete"}
    capsys.readouterr()
    assert main([*db, "keymap"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert any(line.split()[:4] == ["new_attempt", "*", "ctrl+n", "[n]"] for line in listing)
    assert any(line.split()[:2] == ["rate", "r"] for line in listing)  # untouched: no mark
    assert any(line.startswith("ladder.rest_day") for line in listing)  # screen keys too
    assert main([*db, "keymap", "--reset", "new_attempt"]) == 0
    assert saved_keymap(journal_path) == {"history.delete": "ctrl+d,delete"}


def test_mistakes_are_refused_and_nothing_is_saved(
    journal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(journal_path)]
    assert main([*db, "keymap", "no.such.key", "x"]) == 1
    assert "no key has the id 'no.such.key'" in capsys.readouterr().err
    assert main([*db, "keymap", "rate", "Ctrl+R"]) == 1
    assert "not a key name" in capsys.readouterr().err
    assert main([*db, "keymap", "rate"]) == 1
    assert "give the keys too" in capsys.readouterr().err
    assert main([*db, "keymap", "--reset", "export.csv"]) == 1  # palette-only: it has no key
    assert saved_keymap(journal_path) is None


def test_a_key_already_used_on_the_same_screen_is_pointed_out(
    journal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(journal_path), "keymap", "history.delete", "e"]) == 0
    out = capsys.readouterr().out
    assert "'history.edit' (History)" in out
    assert "'ladder" not in out  # other screens are not the same screen
