"""Faults at every step of a save: the journal is always the old or the new state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage import files
from rejection_tui.storage.errors import JournalChangedOnDisk, JournalWriteFailed
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.safe_storage import SafeJSONStorage
from tests.conftest import NOW, planned

STEP = Path(__file__).with_name("crash_step.py")
REPO = Path(__file__).resolve().parents[2]
OLD = {"attempts": {"1": {"state": "old"}}}

# The daily backup writes atomically too, so a first write of the day makes
# three fsyncs of files and two of folders, and two renames. Crash at each.
STEPS = [("fsync", when, n) for n in range(1, 6) for when in ("before", "after")] + [
    ("replace", when, n) for n in (1, 2) for when in ("before", "after")
]


@pytest.mark.parametrize(("call", "when", "nth"), STEPS)
def test_a_crash_at_any_step_leaves_the_old_or_the_new_journal(
    tmp_path: Path, call: str, when: str, nth: int
) -> None:
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(OLD), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(STEP), str(path), call, when, str(nth)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode in (0, 9), result.stderr
    state = json.loads(path.read_bytes())["attempts"]["1"]["state"]
    assert state in ("old", "new")
    if result.returncode == 9 and call == "replace" and when == "before" and nth == 2:
        assert state == "old"  # died before the journal's own rename
    # It opens again at once: no stale lock, leftover temp files cleaned.
    SafeJSONStorage(path).close()
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_read_only_folder_is_a_clear_message_and_the_old_file_stays(
    journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = journal.add_attempt(planned(builtin_challenges()[0]))
    before = journal_path.read_bytes()

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # as root, chmod alone would not stop us

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(JournalWriteFailed, match=r"Permission denied.*unchanged"):
        journal.add_attempt(planned(builtin_challenges()[1]))
    monkeypatch.undo()
    assert journal_path.read_bytes() == before
    assert journal.list_attempts() == [first]


def test_the_journal_replaced_while_open_is_not_overwritten(journal: Journal, journal_path: Path) -> None:
    journal.add_attempt(planned(builtin_challenges()[0]))
    replacement = journal_path.with_name("other.json")
    replacement.write_text('{"meta": {"1": {"schema_version": 1}}, "attempts": {}}', encoding="utf-8")
    os.replace(replacement, journal_path)  # same size or not: a new inode
    with pytest.raises(JournalChangedOnDisk):
        journal.add_attempt(planned(builtin_challenges()[1], at=NOW))
    assert json.loads(journal_path.read_bytes())["attempts"] == {}
