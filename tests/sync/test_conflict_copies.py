"""Conflict copies named as real sync tools name them, merged record by record (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.models import Outcome
from rejection_tui.storage.backups import backup_dir, merged_dir
from rejection_tui.storage.journal import Journal
from tests.sync.histories import Clock, device, diverge

COPY_NAMES = {
    "Syncthing": "journal.sync-conflict-20261127-101010-ABCDEFG.json",
    "Dropbox": "journal (Sam's conflicted copy 2026-11-27).json",
    "Nextcloud": "journal (conflicted copy 2026-11-27 101010).json",
    "ownCloud": "journal_conflict-20261127-101010.json",
    "iCloud": "journal 2.json",
    "numbered copy": "journal (1).json",
}


def stored(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def attempts_by_id(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for doc in document.get("attempts", {}).values():
        found.setdefault(doc["id"], []).append(doc)
    return found


@pytest.mark.parametrize("tool", COPY_NAMES)
def test_a_conflict_copy_is_merged_record_by_record_and_nothing_is_lost(tmp_path: Path, tool: str) -> None:
    made = diverge(tmp_path, COPY_NAMES[tool])
    ids = made.ids
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(30)) as journal:
        [report] = journal.take_merges()
        shown = {a.id: a for a in journal.list_attempts()}
        challenge = journal.find_challenge("C1")
        goal = journal.weekly_goal()
    assert report.merged and report.copy == made.copy
    # Every record once: A3 deleted on the other device; A4 edited here after that deletion.
    assert sorted(shown) == sorted(ids[k] for k in ("A1", "A2", "A4", "B1", "D1"))
    assert all(len(docs) == 1 for docs in attempts_by_id(stored(made.journal)).values())
    assert shown[ids["A1"]].outcome is Outcome.REJECTED and shown[ids["A1"]].fear_after == 35  # newer
    assert shown[ids["A2"]].outcome is Outcome.PARTIAL
    assert shown[ids["A4"]].note.startswith("A4, a note added after")
    assert challenge is not None and challenge.title == "Ask for a discount on tea"
    assert goal == 4
    # The copy is put away; the versions not kept can be opened as a journal.
    assert not made.copy.exists() and report.moved_to == merged_dir(made.journal) / made.copy.name
    assert report.older is not None and report.older.parent == merged_dir(made.journal)
    with Journal.open(report.older, reader=True) as older:
        kept = {a.id: a for a in older.list_attempts()}
        assert older.find_challenge("C1") is not None
    assert kept[ids["A1"]].fear_after == 20  # the other device's rating, which lost
    assert kept[ids["A3"]].note == "A3 as planned"  # deleted there: still recoverable here
    assert any("before-merge" in p.name for p in backup_dir(made.journal).iterdir())
    text = report.text()
    assert "Merged " + made.copy.name in text and "added" in text and str(report.older) in text


def test_merging_again_changes_nothing(tmp_path: Path) -> None:
    made = diverge(tmp_path, COPY_NAMES["Syncthing"])
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(30)):
        pass
    after_first = made.journal.read_bytes()
    moved = merged_dir(made.journal) / made.copy.name
    again = moved.read_bytes()
    made.copy.write_bytes(again)  # the same copy comes back (a sync tool syncing the folder again)
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(40)) as journal:
        [report] = journal.take_merges()
    assert report.merged and made.journal.read_bytes() == after_first


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"meta": {"1": {"schema_version": 2}}, "attempts": {"1": {"id": "a"', "cannot be read"),
        (
            b'{"meta": {"1": {"schema_version": 99, "created_at": "2026-11-01T09:00:00+00:00"}}}',
            "newer version",
        ),
        (
            b'{"meta": {"1": {"schema_version": 2, "created_at": "2026-11-01T09:00:00+00:00"}}, '
            b'"attempts": {"1": {"id": "x", "fear_before": 900}}}',
            "cannot be read",
        ),
    ],
    ids=["truncated", "newer schema", "records failing the contract"],
)
def test_a_bad_copy_is_reported_and_never_merged_moved_or_changed(
    tmp_path: Path, content: bytes, why: str
) -> None:
    made = diverge(tmp_path, COPY_NAMES["Syncthing"])
    made.copy.write_bytes(content)
    made.copy.chmod(0o600)
    before = made.journal.read_bytes()
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(30)) as journal:
        [report] = journal.take_merges()
        assert journal.merge_copies() == []  # told once a session, not at every look
    assert not report.merged and why in (report.problem or "")
    assert "left where it is" in report.text()
    assert made.copy.read_bytes() == content and made.journal.read_bytes() == before


def test_a_same_named_journal_that_is_not_a_copy_of_this_one_is_left_alone(tmp_path: Path) -> None:
    made = diverge(tmp_path, COPY_NAMES["Syncthing"])
    made.copy.unlink()
    stranger = tmp_path / "journal 2.json"  # named like an iCloud copy, but another journal
    with device("other", tmp_path), Journal.open(stranger, clock=Clock().at(-100)):
        pass
    work = tmp_path / "journal-work.json"  # a second journal kept on purpose
    work.write_bytes(made.journal.read_bytes())
    before = made.journal.read_bytes(), stranger.read_bytes()
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(30)) as journal:
        assert journal.take_merges() == []
    assert (made.journal.read_bytes(), stranger.read_bytes()) == before and work.exists()


def test_an_encrypted_journal_merges_its_encrypted_copy(tmp_path: Path) -> None:
    from rejection_tui.storage.encryption import encrypt

    made = diverge(tmp_path, COPY_NAMES["Dropbox"])
    with device("this", tmp_path), Journal.open(made.journal, merge_copies=False) as journal:
        encrypt(journal, "correct horse battery", None)
        keys = journal.storage().keys
    assert keys is not None
    made.copy.write_bytes(keys.seal(made.copy.read_bytes()))  # the other device's save, sealed
    with (
        device("this", tmp_path),
        Journal.open(
            made.journal, passphrase=lambda: "correct horse battery", clock=Clock().at(30)
        ) as journal,
    ):
        [report] = journal.take_merges()
        assert report.merged and len(journal.list_attempts()) == 5
    assert made.journal.read_bytes().startswith(b"RJTUI-ENC")
    assert report.older is not None and report.older.read_bytes().startswith(b"RJTUI-ENC")
    assert report.moved_to is not None and report.moved_to.read_bytes().startswith(b"RJTUI-ENC")


def test_an_encrypted_copy_is_not_merged_into_a_plain_journal(tmp_path: Path) -> None:
    from rejection_tui.storage.migrations import SCHEMA_VERSION
    from rejection_tui.storage.sealed import Keys

    made = diverge(tmp_path, COPY_NAMES["Nextcloud"])
    keys = Keys.new("another passphrase", SCHEMA_VERSION)
    made.copy.write_bytes(keys.seal(made.copy.read_bytes()))
    sealed = made.copy.read_bytes()
    with device("this", tmp_path), Journal.open(made.journal, clock=Clock().at(30)) as journal:
        [report] = journal.take_merges()
    assert not report.merged and "encrypted" in (report.problem or "")
    assert made.copy.read_bytes() == sealed


def test_a_save_that_finds_an_older_version_in_place_keeps_that_version(journal_path: Path) -> None:
    """Found by review: when this side was the newer in every record, the save dropped the
    other file (its only copy) without keeping its versions."""
    from tests.conftest import NOW, planned
    from tests.sync.histories import Clock

    with Journal.open(journal_path, clock=Clock().at(10)) as journal:
        from rejection_tui.domain.library import builtin_challenges

        ours = journal.add_attempt(planned(builtin_challenges()[0], at=NOW))
        document = stored(journal_path)
        [doc] = document["attempts"].values()
        doc.update(note="the other device's note", updated_at="2026-11-20T17:00:00.000000+00:00")
        doc["updated_by"] = "0ther0device0000"
        journal_path.write_text(json.dumps(document), encoding="utf-8")
        journal.add_attempt(planned(builtin_challenges()[1], at=NOW))
        notices = journal.take_notices()
        assert journal.get_attempt(ours.id) == ours  # ours is the newer: kept
    assert any("were merged" in n and "1 attempt kept as here" in n for n in notices), notices
    [older] = merged_dir(journal_path).glob("journal-older-versions-*.json")
    assert [d["note"] for d in stored(older)["attempts"].values()] == ["the other device's note"]
