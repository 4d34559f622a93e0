"""Conflict copies named as Syncthing, Dropbox, Nextcloud and ownCloud name them (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_tui.storage.conflicts import conflict_copies, is_conflict_copy

REAL_NAMES = [
    "journal.sync-conflict-20261127-101010-ABCDEFG.json",  # Syncthing
    "journal (Jane's conflicted copy 2026-11-27).json",  # Dropbox
    "journal (conflicted copy 2026-11-27 101010).json",  # Nextcloud
    "journal_conflict-20261127-101010.json",  # ownCloud
]
NOT_COPIES = [
    "journal.json",
    "journal.json.lock",
    "journal.json.status",
    "journal.recovered-2026-11-27T101010.json",
    "journal.sync-conflict-20261127-101010-ABCDEFG.csv",
    "other.sync-conflict-20261127-101010-ABCDEFG.json",
    "journal (conflicted copy 2026-11-27 101010).json.tmp",
    ".syncthing.journal.json.tmp",
    "journal-2026-11-27.json",
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_each_tools_conflict_copy_is_found(tmp_path: Path, name: str) -> None:
    journal = tmp_path / "journal.json"
    assert is_conflict_copy(journal, tmp_path / name)


@pytest.mark.parametrize("name", NOT_COPIES)
def test_the_journals_own_files_and_others_are_not_conflict_copies(tmp_path: Path, name: str) -> None:
    assert not is_conflict_copy(tmp_path / "journal.json", tmp_path / name)


def test_conflict_copies_lists_only_those_in_the_folder(tmp_path: Path) -> None:
    journal = tmp_path / "journal.json"
    for name in [*REAL_NAMES, *NOT_COPIES]:
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / REAL_NAMES[0]).write_text("{}", encoding="utf-8")
    assert [p.name for p in conflict_copies(journal)] == sorted(REAL_NAMES)
    assert conflict_copies(tmp_path / "missing" / "journal.json") == []
