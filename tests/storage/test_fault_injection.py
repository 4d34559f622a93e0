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
from rejection_tui.storage.conflicts import asides
from rejection_tui.storage.errors import JournalWriteFailed
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.safe_storage import SafeJSONStorage
from rejection_tui.storage.stamps import stamp, stamped
from tests.conftest import NOW, planned

STEP = Path(__file__).with_name("crash_step.py")
REPO = Path(__file__).resolve().parents[2]
OLD = {"attempts": {"1": {"state": "old"}}}

# The daily backup writes atomically too (a temp file, its fsync, a replace, its folder's
# fsync); the journal's own save writes and fsyncs a temp file, renames the journal aside,
# links the temp file into place, unlinks the temp name and the aside file, then fsyncs the
# folder (issue 15). Crash at each.
STEPS = [("fsync", when, n) for n in range(1, 5) for when in ("before", "after")] + [
    (call, when, n)
    for call, count in (("replace", 1), ("rename", 1), ("link", 1), ("unlink", 2))
    for n in range(1, count + 1)
    for when in ("before", "after")
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
    assert result.returncode == 9, result.stderr  # every step is reached: the crash happened
    left_aside = asides(path)
    assert path.exists() or left_aside  # the journal is in place, or aside (put back at open)
    # It opens again at once: no stale lock, an aside journal put back, leftover temp files cleaned.
    SafeJSONStorage(path).close()
    state = json.loads(path.read_bytes())["attempts"]["1"]["state"]
    assert state in ("old", "new")
    linked = (call, when) == ("link", "after") or call == "unlink" or (call, nth) == ("fsync", 4)
    assert state == ("new" if linked else "old")  # the new journal is there once linked in, not before
    assert not [p for p in tmp_path.rglob("*.tmp")]
    # An aside file is left only by a crash after the new journal was linked in: it holds the old
    # version (merged as a copy at the next Journal.open), so nothing is lost either way.
    for aside in asides(path):
        assert linked and json.loads(aside.read_bytes()) == OLD


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


def test_the_journal_replaced_while_open_is_not_overwritten_but_merged(
    journal: Journal, journal_path: Path
) -> None:
    first = journal.add_attempt(planned(builtin_challenges()[0]))
    # Another device's version of the journal: the same history plus an attempt of its own.
    other = json.loads(journal_path.read_bytes())
    theirs = planned(builtin_challenges()[2])
    other["attempts"]["2"] = stamped(theirs.to_dict(), stamp(NOW), "0123456789abcdef")
    replacement = journal_path.with_name("other.json")
    replacement.write_text(json.dumps(other), encoding="utf-8")
    os.replace(replacement, journal_path)  # a new inode, as a sync tool puts its version in place
    mine = journal.add_attempt(planned(builtin_challenges()[1], at=NOW))
    saved = json.loads(journal_path.read_bytes())["attempts"]
    assert sorted(doc["id"] for doc in saved.values()) == sorted([first.id, theirs.id, mine.id])
    assert {a.id for a in journal.list_attempts()} == {first.id, theirs.id, mine.id}  # read again
    assert journal.get_attempt(theirs.id) == theirs
    notices = journal.take_notices()
    assert any("the two versions were merged, nothing was lost. 1 attempt added." in n for n in notices)
    assert not [p for p in journal_path.parent.iterdir() if p.name.startswith(".journal.json")]
