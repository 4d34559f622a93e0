"""Schema 2 (issue 15): the migration from 1, stamps on saves, tombstones, and newer files left alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rejection_tui.locations import device_id
from rejection_tui.storage.backups import backup_dir
from rejection_tui.storage.errors import JournalTooNew
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.migrations import SCHEMA_VERSION
from rejection_tui.storage.stamps import KEEP_TOMBSTONES, stamp
from rejection_tui.storage.syncing import merge_documents
from tests.conftest import NOW, planned
from tests.sync.histories import device

V1 = Path(__file__).resolve().parents[1] / "fixtures" / "journal_v1.json"


def test_a_schema_1_journal_is_migrated_after_a_backup_with_stamps_from_its_records(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    shutil.copy(V1, path)
    original = path.read_bytes()
    with Journal.open(path, clock=lambda: NOW) as journal:
        assert journal.meta()["schema_version"] == SCHEMA_VERSION == 2
        assert len(journal.list_attempts()) == 2 and journal.problems() == []
    document = json.loads(path.read_text(encoding="utf-8"))
    done, planned_doc = document["attempts"]["1"], document["attempts"]["2"]
    assert done["updated_at"] == "2026-09-02T07:40:00.000000+00:00"  # rated at 09:40+02:00
    assert planned_doc["updated_at"] == "2026-09-03T10:00:00.000000+00:00"  # planned at 12:00+02:00
    assert done["updated_by"] == planned_doc["updated_by"] == ""  # no device: the same everywhere
    old = json.loads(original)
    assert document["challenges"] == old["challenges"] and document["settings"] == old["settings"]
    [backup] = [p for p in backup_dir(path).iterdir() if p.name.endswith("before-v2.json")]
    assert backup.read_bytes() == original


def test_two_devices_migrating_the_same_file_make_the_same_journal(tmp_path: Path) -> None:
    made = []
    for name in ("laptop", "desktop"):
        path = tmp_path / name / "journal.json"
        path.parent.mkdir()
        shutil.copy(V1, path)
        with device(name, tmp_path), Journal.open(path, clock=lambda: NOW):
            pass
        made.append(json.loads(path.read_text(encoding="utf-8")))
    assert made[0]["attempts"] == made[1]["attempts"]
    assert not merge_documents(made[0], made[1]).changed  # nothing seen as "edited on both"


def test_every_save_stamps_what_it_changed_and_a_deletion_leaves_a_tombstone(
    journal: Journal, challenge: object
) -> None:
    added = journal.add_attempt(planned(challenge))  # type: ignore[arg-type]
    journal.set_weekly_goal(5)
    journal.delete_attempt(added.id)
    document = json.loads(journal.path.read_text(encoding="utf-8"))
    me = device_id()
    [setting] = [d for d in document["settings"].values() if d["key"] == "weekly_goal"]
    assert (setting["updated_at"], setting["updated_by"]) == (stamp(NOW), me)
    assert list(document["tombstones"].values()) == [
        {"table": "attempts", "id": added.id, "deleted_at": stamp(NOW), "deleted_by": me}
    ]
    # Undo (the attempt added back) forgets the deletion.
    journal.add_attempt(added)
    document = json.loads(journal.path.read_text(encoding="utf-8"))
    assert document["tombstones"] == {}
    [doc] = document["attempts"].values()
    assert doc["updated_by"] == me and doc["id"] == added.id


def test_deletions_are_remembered_for_180_days(journal_path: Path, challenge: object) -> None:
    now = [NOW]
    with Journal.open(journal_path, clock=lambda: now[0]) as journal:
        first = journal.add_attempt(planned(challenge))  # type: ignore[arg-type]
        second = journal.add_attempt(planned(challenge))  # type: ignore[arg-type]
        journal.delete_attempt(first.id)
        now[0] = NOW + KEEP_TOMBSTONES
        journal.delete_attempt(second.id)
        stones = [
            d["id"] for d in json.loads(journal_path.read_text(encoding="utf-8"))["tombstones"].values()
        ]
        assert stones == [first.id, second.id]  # 180 days: still kept
        third = journal.add_attempt(planned(challenge))  # type: ignore[arg-type]
        now[0] = NOW + KEEP_TOMBSTONES + KEEP_TOMBSTONES / 180
        journal.delete_attempt(third.id)
        stones = [
            d["id"] for d in json.loads(journal_path.read_text(encoding="utf-8"))["tombstones"].values()
        ]
        assert stones == [second.id, third.id]


@pytest.mark.parametrize("newer", [SCHEMA_VERSION + 1, 99])
def test_a_journal_from_a_newer_version_is_refused_and_stays_byte_identical(
    tmp_path: Path, newer: int
) -> None:
    """What a schema-1 build did with a schema-2 file, this build does with a newer one."""
    path = tmp_path / "journal.json"
    content = json.dumps(
        {"meta": {"1": {"schema_version": newer, "created_at": "2026-11-01T09:00:00+00:00"}}, "attempts": {}}
    ).encode()
    path.write_bytes(content)
    with pytest.raises(JournalTooNew):
        Journal.open(path, clock=lambda: NOW)
    assert path.read_bytes() == content
    # Nothing beside it either (no lock, backup or migration left); xdg-*: the test's own homes.
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("xdg-")] == ["journal.json"]
