"""Odd file systems (issue 10, points 5, 7, 11, 12): symlinks, deletion while open,
permissions and read-only journals."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from rejection_tui import cli
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge
from rejection_tui.locations import default_journal_path, device_id
from rejection_tui.storage.backups import backup_dir, daily_backup_path
from rejection_tui.storage.conflicts import asides
from rejection_tui.storage.errors import (
    JournalChangedOnDisk,
    JournalLocked,
    JournalReadOnly,
    JournalUnreadable,
)
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.lock import lock_path_for
from rejection_tui.storage.migrations import SCHEMA_VERSION
from tests.conftest import NOW, planned

V0_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "journal_v0.json"


def reopen(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def attempt_ids(path: Path) -> set[str]:
    return {doc["id"] for doc in json.loads(path.read_bytes()).get("attempts", {}).values()}


@pytest.fixture
def challenges() -> list[Challenge]:
    return builtin_challenges()


# -- 5. symlinks ----------------------------------------------------------------


def test_a_symlinked_journal_stays_a_link_after_a_save(tmp_path: Path, challenges: list[Challenge]) -> None:
    real = tmp_path / "synced" / "journal.json"
    reopen(real).close()
    link = tmp_path / "journal.json"
    link.symlink_to(real)
    with reopen(link) as journal:
        assert journal.path == real  # the resolved file: messages name what is really written
        added = journal.add_attempt(planned(challenges[0]))
    assert link.is_symlink() and link.resolve() == real
    assert attempt_ids(real) == {added.id}
    # Lock, backups and temp files live beside the real file, not the link.
    assert not lock_path_for(link).exists() and not backup_dir(link).exists()
    assert daily_backup_path(real, NOW.date(), device_id()).exists()


def test_two_paths_to_one_journal_share_one_lock(tmp_path: Path) -> None:
    real = tmp_path / "data" / "journal.json"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "my-journal.json"
    link.symlink_to(real)
    linked_folder = tmp_path / "linked-folder"
    linked_folder.symlink_to(real.parent, target_is_directory=True)
    for first_path, second_path in ((real, link), (link, real), (link, linked_folder / "journal.json")):
        first = reopen(first_path)
        with pytest.raises(JournalLocked):
            reopen(second_path)
        first.close()
    reopen(link).close()


def test_a_dangling_link_creates_its_target_and_a_loop_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "target" / "journal.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    reopen(link).close()
    assert link.is_symlink() and target.is_file() and mode(target.parent) == 0o700
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(JournalUnreadable, match="leads back to itself"):
        reopen(loop)


# -- 7. deleted or replaced while open ------------------------------------------------


def test_a_journal_deleted_while_open_is_written_back_whole_at_the_next_save(
    journal: Journal, journal_path: Path, challenges: list[Challenge]
) -> None:
    first = journal.add_attempt(planned(challenges[0]))
    journal.take_notices()
    journal_path.unlink()
    second = journal.add_attempt(planned(challenges[1]))
    assert attempt_ids(journal_path) == {first.id, second.id}
    assert mode(journal_path) == 0o600
    (notice,) = journal.take_notices()
    assert "was deleted or moved while rejection-tui had it open" in notice and str(journal_path) in notice
    assert journal.take_notices() == []
    third = journal.add_attempt(planned(challenges[2]))  # and saving goes on as usual
    journal.close()
    with reopen(journal_path) as again:
        assert {a.id for a in again.list_attempts()} == {first.id, second.id, third.id}


def test_a_journal_whose_folder_was_deleted_is_written_back_and_locked_again(
    journal_path: Path, challenges: list[Challenge]
) -> None:
    journal = reopen(journal_path)
    first = journal.add_attempt(planned(challenges[0]))
    shutil.rmtree(journal_path.parent)
    second = journal.add_attempt(planned(challenges[1]))
    assert attempt_ids(journal_path) == {first.id, second.id}
    assert mode(journal_path.parent) == 0o700
    with pytest.raises(JournalLocked):  # the new lock file is held too
        reopen(journal_path)
    journal.close()


def test_a_journal_replaced_while_open_is_kept_and_memory_goes_to_a_recovery_file(
    journal: Journal, journal_path: Path, challenges: list[Challenge]
) -> None:
    first = journal.add_attempt(planned(challenges[0]))
    # A journal that cannot be merged (a newer schema, from a newer rejection-tui on the phone);
    # one that can is merged instead (issue 15: see test_safe_storage and test_fault_injection).
    other = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}, "attempts": {}}).encode()
    replacement = journal_path.with_name("from-my-phone.json")
    replacement.write_bytes(other)
    os.replace(replacement, journal_path)
    new = planned(challenges[1])
    with pytest.raises(JournalChangedOnDisk, match="newer version of rejection-tui") as caught:
        journal.add_attempt(new)
    assert journal_path.read_bytes() == other  # never overwritten
    assert not asides(journal_path)  # put back in place, not left aside
    recovery = caught.value.recovery
    assert recovery is not None and recovery.parent == journal_path.parent
    assert str(recovery) in caught.value.message and "nothing was saved to it" in caught.value.message
    assert mode(recovery) == 0o600
    assert attempt_ids(recovery) == {first.id, new.id}
    # A second refused save gets its own file: the first one is never overwritten.
    newer = planned(challenges[2])
    with pytest.raises(JournalChangedOnDisk) as again:
        journal.add_attempt(newer)
    second = again.value.recovery
    assert second is not None and second != recovery
    assert attempt_ids(recovery) == {first.id, new.id}
    with reopen(second) as recovered:
        assert {a.id for a in recovered.list_attempts()} == {first.id, newer.id}


# -- 11. permissions ------------------------------------------------------------------


def test_an_own_0644_journal_its_backups_and_folder_are_tightened_at_open_and_said_once(
    tmp_path: Path, challenges: list[Challenge]
) -> None:
    path = default_journal_path()  # under tmp_path: conftest points XDG_DATA_HOME there
    assert tmp_path in path.parents
    with reopen(path) as journal:
        journal.add_attempt(planned(challenges[0]))
    backup = daily_backup_path(path, NOW.date(), device_id())
    for target, loose in ((path, 0o644), (backup, 0o644), (backup.parent, 0o755), (path.parent, 0o755)):
        os.chmod(target, loose)
    with reopen(path) as journal:
        assert (mode(path), mode(backup), mode(backup.parent), mode(path.parent)) == (
            0o600,
            0o600,
            0o700,
            0o700,
        )
        notices = journal.take_notices()
    assert f"Your journal {path} was readable by others (0644); it is now readable by you alone." in notices
    assert any("backups" in n for n in notices) and any("(0755)" in n for n in notices)
    with reopen(path) as journal:
        assert journal.notices == []  # said once


def test_someone_elses_existing_folder_is_left_as_it_is(tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir(mode=0o755)
    os.chmod(documents, 0o755)
    reopen(documents / "journal.json").close()
    assert mode(documents) == 0o755 and mode(documents / "journal.json") == 0o600


def test_folders_created_for_db_are_each_0700(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "journal.json"
    reopen(path).close()
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", path.parent)] == [0o700] * 3


# -- 11 + 12. read-only journals -------------------------------------------------------


def assert_nothing_can_be_saved(journal: Journal, path: Path, challenge: Challenge) -> None:
    before, mtime, listed = path.read_bytes(), path.stat().st_mtime_ns, journal.list_attempts()
    with pytest.raises(JournalReadOnly) as caught:
        journal.add_attempt(planned(challenge))
    assert str(path) in caught.value.message and "The file was not changed." in caught.value.message
    with pytest.raises(JournalReadOnly):
        journal.set_setting("weekly_goal", 4)
    with pytest.raises(JournalReadOnly):
        journal._storage.backup_now("before-import")
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert journal.list_attempts() == listed
    assert journal._storage.read() == json.loads(before)  # memory rolled back too


def test_a_0400_journal_opens_read_only_and_is_never_made_writable(
    journal_path: Path, challenges: list[Challenge]
) -> None:
    with reopen(journal_path) as journal:
        journal.add_attempt(planned(challenges[0]))
    os.chmod(journal_path, 0o444)
    lock_path_for(journal_path).unlink()
    with reopen(journal_path) as journal:
        assert journal.read_only is not None
        assert "the file is read-only (mode 0444)" in journal.read_only
        assert mode(journal_path) == 0o400  # tightened: others lose read, nobody gains write
        assert_nothing_can_be_saved(journal, journal_path, challenges[1])
        reopen(journal_path).close()  # no lock taken: a second viewer is fine
    assert mode(journal_path) == 0o400
    assert not lock_path_for(journal_path).exists()


def test_an_unlockable_journal_opens_read_only_saying_so(
    journal_path: Path, challenges: list[Challenge]
) -> None:
    reopen(journal_path).close()
    lock_path_for(journal_path).unlink()
    lock_path_for(journal_path).mkdir()  # the lock file cannot be created
    with reopen(journal_path) as journal:
        assert journal.read_only is not None
        assert f"its lock file {lock_path_for(journal_path)} cannot be created" in journal.read_only
        assert "not locked" in journal.read_only
        assert_nothing_can_be_saved(journal, journal_path, challenges[0])


def test_a_read_only_folder_opens_read_only(journal_path: Path, challenges: list[Challenge]) -> None:
    reopen(journal_path).close()
    os.chmod(journal_path.parent, 0o500)
    try:
        with reopen(journal_path) as journal:
            assert journal.read_only is not None and "its folder" in journal.read_only
            assert_nothing_can_be_saved(journal, journal_path, challenges[0])
    finally:
        os.chmod(journal_path.parent, 0o700)


def test_a_read_only_file_system_opens_read_only(
    journal_path: Path, challenges: list[Challenge], monkeypatch: pytest.MonkeyPatch
) -> None:
    reopen(journal_path).close()
    os.chmod(journal_path, 0o644)
    monkeypatch.setattr(os, "statvfs", lambda path: SimpleNamespace(f_flag=os.ST_RDONLY))
    with reopen(journal_path) as journal:
        assert (
            journal.read_only
            == "The journal is open read-only because the file system holding it is read-only."
        )
        assert journal.notices == []  # nothing to tighten on a read-only file system
        assert_nothing_can_be_saved(journal, journal_path, challenges[0])


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the file to another user")
def test_another_users_journal_opens_read_only(journal_path: Path) -> None:
    reopen(journal_path).close()
    os.chown(journal_path, 1, 1)
    with reopen(journal_path) as journal:
        assert journal.read_only is not None and "belongs to another user" in journal.read_only


def test_an_old_read_only_journal_is_shown_migrated_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    shutil.copy(V0_FIXTURE, path)
    os.chmod(path, 0o400)
    original = path.read_bytes()
    with reopen(path) as journal:
        assert journal.read_only is not None
        assert len(journal.list_attempts()) == 2
    assert path.read_bytes() == original and not backup_dir(path).exists()


def test_stats_and_export_work_on_a_read_only_journal(
    journal_path: Path, challenges: list[Challenge], capsys: pytest.CaptureFixture[str]
) -> None:
    with reopen(journal_path) as journal:
        added = journal.add_attempt(planned(challenges[0]))
    os.chmod(journal_path, 0o400)
    assert cli.main(["--db", str(journal_path), "stats"]) == 0
    assert cli.main(["--db", str(journal_path), "export", "--format", "json"]) == 0
    assert added.id in capsys.readouterr().out
    out = journal_path.parent / "export.csv"
    assert cli.main(["--db", str(journal_path), "export", "--format", "csv", "-o", str(out)]) == 0
    assert added.id in out.read_text(encoding="utf-8")
