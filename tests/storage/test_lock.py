"""The lock file (issue 10): a refused open removes the lock file it created, and only that;
removing it can never let two processes hold the lock at once."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from rejection_tui import cli
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage.errors import JournalLocked, JournalTooNew, JournalUnreadable
from rejection_tui.storage.formats import export_json
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.lock import JournalLock, lock_path_for
from tests.conftest import NOW, planned

REFUSED = {
    "unreadable": (b'{"meta": {"1": {"schema_version": 1}}, "attempts": {"1": {"id": "a', JournalUnreadable),
    "newer schema": (b'{"meta": {"1": {"schema_version": 99}}}', JournalTooNew),
}


def reopen(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


@pytest.mark.parametrize("shape", sorted(REFUSED))
def test_a_refused_open_removes_the_lock_file_it_created(journal_path: Path, shape: str) -> None:
    content, error = REFUSED[shape]
    journal_path.parent.mkdir()
    journal_path.write_bytes(content)
    with pytest.raises(error):
        reopen(journal_path)
    assert not lock_path_for(journal_path).exists()
    assert journal_path.read_bytes() == content
    assert sorted(p.name for p in journal_path.parent.iterdir()) == ["journal.json"]


def test_a_refused_open_from_the_shell_leaves_no_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"  # not a journal: the folder keeps only what was there
    path.write_bytes(b"{not json")
    source = tmp_path / "import.json"
    source.write_text(export_json([planned(builtin_challenges()[0])]), encoding="utf-8")
    for command in ([], ["stats"], ["check"], ["import", str(source)], ["keymap", "--reset", "new_attempt"]):
        assert cli.main(["--db", str(path), *command]) == cli.EXIT_JOURNAL
    # (xdg-config, conftest's local config, holds this device's id: issue 15; not the journal's folder)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg-config") == [
        "import.json",
        "notes.json",
    ]


def test_a_lock_file_that_was_there_before_stays(journal_path: Path) -> None:
    reopen(journal_path).close()  # a journal's lock file stays between runs
    assert lock_path_for(journal_path).exists()
    journal_path.write_bytes(REFUSED["newer schema"][0])
    with pytest.raises(JournalTooNew):
        reopen(journal_path)
    assert lock_path_for(journal_path).exists()


def test_a_refused_open_never_touches_the_lock_another_holds(journal_path: Path) -> None:
    holder = reopen(journal_path)
    held = os.stat(lock_path_for(journal_path))
    with pytest.raises(JournalLocked):
        reopen(journal_path)
    after = os.stat(lock_path_for(journal_path))
    assert (after.st_ino, after.st_size) == (held.st_ino, held.st_size)  # still there, still naming us
    with pytest.raises(JournalLocked):  # and still locked
        reopen(journal_path)
    holder.add_attempt(planned(builtin_challenges()[0]))  # the holder saves as before
    holder.close()


def test_a_lock_file_removed_between_open_and_flock_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: B opens the lock file; A, refusing, removes it and lets go; B's flock
    then succeeds on a file no longer at the path. B must notice and lock the file that is."""
    journal = tmp_path / "journal.json"
    refusing = JournalLock(journal)
    refusing.acquire()
    assert refusing.created
    real_flock = fcntl.flock
    gave_up = False

    def refusing_gives_up_first(fd: int, operation: int) -> None:
        nonlocal gave_up
        if not gave_up and operation & fcntl.LOCK_EX:
            gave_up = True
            refusing.abandon()  # unlinks the file B already opened, then unlocks it
        real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", refusing_gives_up_first)
    second = JournalLock(journal)
    second.acquire()
    monkeypatch.undo()
    assert gave_up and not refusing.held
    assert second.still_ours()  # it holds the file at the path, not the removed one
    third = JournalLock(journal)
    with pytest.raises(JournalLocked) as caught:  # so one lock, one holder
        third.acquire()
    assert caught.value.pid == os.getpid()
    second.abandon()  # created by `second`: removed
    assert not lock_path_for(journal).exists()
