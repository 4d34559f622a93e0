from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from rejection_tui.locations import device_id
from rejection_tui.storage import files, safe_storage
from rejection_tui.storage.backups import KEEP_DAILY, backup_dir, daily_backup_path, daily_backups
from rejection_tui.storage.conflicts import asides
from rejection_tui.storage.errors import (
    JournalChangedOnDisk,
    JournalLocked,
    JournalUnreadable,
    JournalWriteFailed,
)
from rejection_tui.storage.migrations import SCHEMA_VERSION
from rejection_tui.storage.safe_storage import SafeJSONStorage
from tests.conftest import NOW

CORRUPT: dict[str, bytes] = {
    "truncated": b'{"meta": {"1": {"schema_version": 1}}, "attempts": {"1": {"id": "a',
    "trailing garbage": b'{"meta": {"1": {"schema_version": 1}}}\n}}"tail"',
    "empty": b"",
    "nul-filled": b"\x00" * 512,
    "invalid utf-8": b'{"meta": {"1": {"note": "\xff\xfe"}}}',
    "a list": b"[1, 2, 3]",
    "a table that is a list": b'{"attempts": [1, 2]}',
    "a bad document id": b'{"attempts": {"one": {}}}',
    "NaN": b'{"attempts": {"1": {"fear_before": NaN}}}',
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_storage(path: Path, clock: datetime = NOW) -> SafeJSONStorage:
    # As Journal.open opens it for writing: its daily backups are named for this device.
    return SafeJSONStorage(path, clock=lambda: clock, device=device_id())


def test_new_journal_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "deeper" / "journal.json"
    storage = open_storage(path)
    storage.write({"attempts": {"1": {"x": 1}}})
    storage.close()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    backup = daily_backup_path(path, NOW.date(), device_id())
    assert mode(backup) == 0o600 and mode(backup.parent) == 0o700


def test_writes_through_at_once_and_stock_tinydb_reads_the_file(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"id": "a", "note": "déjà vu ✓"}}})
    # Another reader sees it without any close or flush.
    assert json.loads(journal_path.read_text(encoding="utf-8"))["attempts"]["1"]["note"] == "déjà vu ✓"
    storage.close()
    with TinyDB(journal_path) as stock:
        assert stock.table("attempts").all() == [{"id": "a", "note": "déjà vu ✓"}]


def test_reads_come_from_memory(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"id": "a"}}})
    journal_path.write_text("{}", encoding="utf-8")  # behind its back
    assert storage.read() == {"attempts": {"1": {"id": "a"}}}
    storage.close()


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_corrupt_files_are_refused_byte_identical_and_named(journal_path: Path, name: str) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(CORRUPT[name])
    before = journal_path.stat()
    with pytest.raises(JournalUnreadable) as caught:
        open_storage(journal_path)
    assert journal_path.read_bytes() == CORRUPT[name]
    assert journal_path.stat().st_mtime_ns == before.st_mtime_ns
    assert str(journal_path) in str(caught.value)
    assert "was not changed" in str(caught.value)
    # The refused open released its lock: a fixed file opens at once.
    journal_path.write_text("{}", encoding="utf-8")
    open_storage(journal_path).close()


def test_refusal_points_at_the_newest_backup(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {}})
    storage.close()
    journal_path.write_bytes(b"{oops")
    with pytest.raises(JournalUnreadable) as caught:
        open_storage(journal_path)
    assert caught.value.newest_backup == daily_backup_path(journal_path, NOW.date(), device_id())


def test_a_second_open_in_the_same_process_is_refused(journal_path: Path) -> None:
    first = open_storage(journal_path)
    with pytest.raises(JournalLocked) as caught:
        open_storage(journal_path)
    assert caught.value.pid == os.getpid()
    first.close()
    open_storage(journal_path).close()


def test_another_process_cannot_open_a_locked_journal(journal_path: Path) -> None:
    holder = open_storage(journal_path)
    code = (
        "import sys\n"
        "from rejection_tui.storage.safe_storage import SafeJSONStorage\n"
        "from rejection_tui.storage.errors import JournalLocked\n"
        "try:\n    SafeJSONStorage(sys.argv[1])\n"
        "except JournalLocked as e:\n    print('locked', e.pid)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(journal_path)], capture_output=True, text=True, check=True
    )
    holder.close()
    assert result.stdout.split() == ["locked", str(os.getpid())]


def test_external_change_is_never_overwritten_but_merged(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"id": "mine"}}})
    external = b'{"attempts": {"1": {"id": "from my phone"}}}'
    journal_path.write_bytes(external)
    storage.write({"attempts": {"1": {"id": "mine"}, "2": {"id": "new"}}})
    saved = json.loads(journal_path.read_bytes())
    # Both versions' records, each once: nothing of either is lost.
    assert [doc["id"] for doc in saved["attempts"].values()] == ["mine", "new", "from my phone"]
    assert storage.merged_in  # what was saved is more than what was given
    assert storage.read() == saved
    [notice] = storage.notices
    assert f"Your journal {journal_path} was changed by another program" in notice
    assert "the two versions were merged, nothing was lost. 1 attempt added." in notice
    # The other program's version is backed up as it was, before the merge.
    assert [b.read_bytes() for b in backup_dir(journal_path).glob("journal-*-before-merge.json")] == [
        external
    ]
    assert sorted(p.name for p in journal_path.parent.iterdir()) == [
        "backups",
        "journal.json",
        "journal.json.lock",
    ]
    storage.close()


@pytest.mark.parametrize(
    ("external", "how"),
    [
        (b"{not json", "was replaced by a file that cannot be read"),
        (b'{"recipes": {"1": {"name": "soup"}}}', "was replaced by a file that cannot be read"),
        (
            json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode(),
            "was replaced by a journal from a newer version of rejection-tui",
        ),
    ],
    ids=["not json", "not a journal", "a newer schema"],
)
def test_an_external_change_that_cannot_be_merged_is_never_overwritten(
    journal_path: Path, external: bytes, how: str
) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"id": "mine"}}})
    journal_path.write_bytes(external)
    with pytest.raises(JournalChangedOnDisk, match=how) as caught:
        storage.write({"attempts": {"1": {"id": "mine"}, "2": {"id": "new"}}})
    assert journal_path.read_bytes() == external
    recovery = caught.value.recovery
    assert recovery is not None
    assert json.loads(recovery.read_bytes()) == {"attempts": {"1": {"id": "mine"}, "2": {"id": "new"}}}
    assert storage.read() == {"attempts": {"1": {"id": "mine"}}}  # memory as last saved
    assert not storage.merged_in and not asides(journal_path)
    storage.close()


def test_a_touch_without_a_content_change_is_not_an_external_change(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {}})
    os.utime(journal_path, ns=(1, 1))
    storage.write({"attempts": {"1": {"id": "ok"}}})
    assert json.loads(journal_path.read_bytes())["attempts"]["1"]["id"] == "ok"
    storage.close()


def test_a_deleted_journal_is_written_back_never_over_a_file_that_appeared(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = open_storage(journal_path)
    journal_path.unlink()
    storage.write({"attempts": {"1": {"id": "kept"}}})
    assert json.loads(journal_path.read_bytes()) == {"attempts": {"1": {"id": "kept"}}}
    assert "was deleted or moved" in storage.notices[-1]
    # Another program creates a file between the check and the write: it wins.
    journal_path.unlink()
    real_create_new = safe_storage.create_new

    def racing(path: Path, data: bytes, **kwargs: object) -> None:
        if path == journal_path:
            path.write_bytes(b"theirs")
        real_create_new(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(safe_storage, "create_new", racing)
    with pytest.raises(JournalChangedOnDisk, match="replaced by another file") as caught:
        storage.write({"attempts": {"1": {"id": "kept"}, "2": {"id": "new"}}})
    assert journal_path.read_bytes() == b"theirs"
    assert caught.value.recovery is not None
    assert json.loads(caught.value.recovery.read_bytes())["attempts"]["2"] == {"id": "new"}
    storage.close()


def test_unencodable_data_fails_before_the_disk_and_memory_rolls_back(journal_path: Path) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"v": 1}}})
    before = journal_path.read_bytes()
    data = storage.read()
    data["attempts"]["1"]["v"] = float("nan")  # what TinyDB does: mutate, then write
    with pytest.raises(JournalWriteFailed, match="cannot be written as JSON"):
        storage.write(data)
    assert journal_path.read_bytes() == before
    assert storage.read() == {"attempts": {"1": {"v": 1}}}
    storage.close()


def test_disk_full_leaves_the_old_file_and_no_temp(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = open_storage(journal_path)
    storage.write({"attempts": {"1": {"v": 1}}})
    before = journal_path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(JournalWriteFailed, match="No space left on device"):
        storage.write({"attempts": {"1": {"v": 2}}})
    monkeypatch.undo()
    assert journal_path.read_bytes() == before
    assert storage.read() == {"attempts": {"1": {"v": 1}}}
    assert [p.name for p in journal_path.parent.iterdir() if p.name.endswith(".tmp")] == []
    storage.close()


def test_stale_temp_files_from_a_crash_are_cleaned_on_open(journal_path: Path) -> None:
    open_storage(journal_path).close()
    stale = journal_path.parent / f".{journal_path.name}.abc123.tmp"
    stale.write_bytes(b'{"half')
    open_storage(journal_path).close()
    assert not stale.exists()


def test_one_backup_a_day_before_the_first_write_and_fourteen_kept(journal_path: Path) -> None:
    day = NOW
    for offset in range(20):
        clock = day + timedelta(days=offset)
        storage = open_storage(journal_path, clock)
        storage.write({"attempts": {"1": {"day": offset}}})
        storage.write({"attempts": {"1": {"day": offset, "again": True}}})
        storage.close()
    kept = daily_backups(journal_path)
    assert len(kept) == KEEP_DAILY
    assert kept[-1] == daily_backup_path(journal_path, date(2026, 12, 9), device_id())
    # The backup taken before day 19's first write holds day 18's last state.
    assert json.loads(kept[-1].read_bytes()) == {"attempts": {"1": {"day": 18, "again": True}}}
