"""A folder sync that fails after the rename (issue 10): the new file is in place, so no
message may say "the journal on disk is unchanged"; the save counts, and says what is true."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.storage import files
from rejection_tui.storage.errors import JournalWriteFailed
from rejection_tui.storage.files import NotDurable, atomic_write, create_new
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW, planned


def fail_folder_sync(monkeypatch: pytest.MonkeyPatch, folder: Path | None = None) -> list[Path]:
    """Make ``fsync_dir`` fail (for ``folder`` only, when given); the folders it was asked for."""
    real = files.fsync_dir
    asked: list[Path] = []

    def failing(directory: Path) -> None:
        asked.append(directory)
        if folder is None or directory == folder:
            raise OSError(errno.EIO, "Input/output error")
        real(directory)

    monkeypatch.setattr(files, "fsync_dir", failing)
    return asked


@pytest.mark.parametrize("write", [atomic_write, create_new], ids=["atomic_write", "create_new"])
def test_a_failed_folder_sync_says_the_new_file_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: object
) -> None:
    target = tmp_path / "file.json"
    if write is atomic_write:
        target.write_bytes(b"old")
    fail_folder_sync(monkeypatch)
    with pytest.raises(NotDurable) as caught:
        write(target, b"new")  # type: ignore[operator]
    error = caught.value
    assert isinstance(error, OSError) and error.errno == errno.EIO
    assert error.filename == str(target) and error.strerror == "Input/output error"
    assert target.read_bytes() == b"new"  # in place: not "unchanged"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.json"]  # no temp file left


def test_a_failure_before_the_rename_is_still_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.json"
    target.write_bytes(b"old")

    def no_replace(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError) as caught:
        atomic_write(target, b"new")
    assert not isinstance(caught.value, NotDurable)
    assert target.read_bytes() == b"old"


def test_a_save_whose_folder_sync_fails_counts_and_says_so_truly(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    challenges = builtin_challenges()
    with Journal.open(journal_path, clock=lambda: NOW) as journal:
        first = journal.add_attempt(planned(challenges[0]))  # the day's backup is taken here
        assert journal.take_notices() == []
        asked = fail_folder_sync(monkeypatch, journal_path.parent)
        second = journal.add_attempt(planned(challenges[1]))  # no JournalWriteFailed
        assert journal_path.parent in asked
        notices = journal.take_notices()
        assert notices == [
            f"Your change was saved to {journal_path}, but the disk did not confirm it (Input/output error): "
            "if the computer stops before the disk catches up, the journal may come back without that change."
        ]
        assert "unchanged" not in notices[0]
        assert {a.id for a in journal.list_attempts()} == {first.id, second.id}
        monkeypatch.undo()
        # The file in place is the one this journal wrote: the next save is no "outside change".
        third = journal.add_attempt(planned(challenges[2]))
        assert journal.take_notices() == []
    stored = {doc["id"] for doc in json.loads(journal_path.read_bytes())["attempts"].values()}
    assert stored == {first.id, second.id, third.id}


def test_a_new_journal_whose_folder_sync_fails_opens_and_says_so(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal_path.parent.mkdir()
    fail_folder_sync(monkeypatch, journal_path.parent)
    with Journal.open(journal_path, clock=lambda: NOW) as journal:
        assert journal.created and journal_path.exists()
        assert any("the disk did not confirm it" in notice for notice in journal.take_notices())


@pytest.mark.parametrize("failing", ["once", "always"])
def test_other_write_failures_still_say_unchanged_and_are(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The new journal cannot be linked into place (issue 15's save renames the journal aside,
    then links the new file in): the message says unchanged, so the journal must be in place."""
    with Journal.open(journal_path, clock=lambda: NOW) as journal:
        first = journal.add_attempt(planned(builtin_challenges()[0]))
        before = journal_path.read_bytes()
        real_link = os.link
        links: list[str] = []

        def no_link(src: str, dst: str) -> None:
            links.append(str(dst))
            if failing == "always" or len(links) == 1:
                raise OSError(errno.ENOSPC, "No space left on device")
            real_link(src, dst)

        monkeypatch.setattr(os, "link", no_link)
        with pytest.raises(JournalWriteFailed, match="The journal on disk is unchanged"):
            journal.add_attempt(planned(builtin_challenges()[1]))
        monkeypatch.setattr(os, "link", real_link)  # (not undo(): that would undo conftest's XDG_CONFIG_HOME)
        assert links[0] == str(journal_path)  # the journal's own link failed
        assert journal_path.read_bytes() == before  # in place, now, as the message says
        assert not [p.name for p in journal_path.parent.iterdir() if p.name.startswith(".journal.json")]
        assert journal.list_attempts() == [first]
    assert journal_path.read_bytes() == before
