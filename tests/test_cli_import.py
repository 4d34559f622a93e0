"""`rejection-tui export` / `import` move a whole journal (issue 11, point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_tui import cli
from rejection_tui.cli import EXIT_JOURNAL, main
from rejection_tui.storage.errors import JournalWriteFailed
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.lock import lock_path_for
from rejection_tui.storage.safe_storage import SafeJSONStorage
from tests.conftest import NOW
from tests.storage.test_full_backup import TIME, a_ladder, everything, rich_journal


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "now_local", lambda: NOW)


def test_export_and_import_move_the_whole_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old" / "journal.json", tmp_path / "new" / "journal.json"
    rich_journal(old)
    backup = tmp_path / "backup.json"
    assert main(["--db", str(old), "export", "-o", str(backup)]) == 0
    assert capsys.readouterr().err == (
        f"Wrote a full backup (3 attempts, your own challenges, the ladder and settings) to {backup} "
        "(readable by you only). It keeps the unreadable entry as it is.\n"
    )
    assert main(["--db", str(new), "import", str(backup)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"Imported from {backup} (4 rows read): 3 added, 0 updated, 0 already there, "
        "1 unreadable entry kept as it was."
    )
    assert out[1:3] == [
        "Your own challenges: 2 added, 0 updated.",
        "Taken from the file: the ladder (3 rungs), weekly goal, program, rest days, theme, keymap, "
        'the setting "a_later_versions_setting".',
    ]
    with Journal.open(old) as a, Journal.open(new) as b:
        assert everything(a) == everything(b)


def test_an_import_keeps_your_own_ladder_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, mine = tmp_path / "old" / "journal.json", tmp_path / "mine" / "journal.json"
    rich_journal(old)
    with Journal.open(mine) as journal:
        journal.save_ladder(a_ladder(TIME))
    backup = tmp_path / "backup.json"
    assert main(["--db", str(old), "export", "-o", str(backup)]) == 0
    assert main(["--db", str(mine), "import", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "Kept your own ladder: the file's differs and was not taken." in out
    with Journal.open(mine) as journal:
        assert journal.ladder() == a_ladder(TIME)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"attempts": [}', "not valid JSON (Expecting value at line 1, column 15)"),
        ("", "the file is empty"),
        ("not json at all", "not valid JSON (Expecting value at line 1, column 1)"),
    ],
)
def test_a_bad_json_import_says_what_is_wrong_with_it_and_creates_no_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    bad = tmp_path / "backup.json"
    bad.write_text(content, encoding="utf-8")
    journal = tmp_path / "new" / "journal.json"
    assert main(["--db", str(journal), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == f"rejection-tui: nothing imported from {bad}: {reason}\n"
    assert not journal.exists() and not journal.parent.exists()


def test_a_missing_file_creates_no_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = tmp_path / "journal.json"
    assert main(["--db", str(journal), "import", str(tmp_path / "nowhere.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err and not journal.exists()


def test_a_new_journal_whose_first_write_fails_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old" / "journal.json", tmp_path / "new" / "journal.json"
    rich_journal(old)
    backup = tmp_path / "backup.json"
    assert main(["--db", str(old), "export", "-o", str(backup)]) == 0

    def full_disk(self: SafeJSONStorage, data: object) -> None:
        raise JournalWriteFailed(self.path, "No space left on device")

    monkeypatch.setattr(SafeJSONStorage, "write", full_disk)
    assert main(["--db", str(new), "import", str(backup)]) == EXIT_JOURNAL
    assert "nothing imported" in capsys.readouterr().err
    assert not new.exists() and not lock_path_for(new).exists()
