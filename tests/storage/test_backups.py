"""Backups (issue 10, point 15): unique names, one-off backups pruned, big copies kept."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from rejection_tui.storage.backups import (
    KEEP_DAILY,
    KEEP_PER_REASON,
    all_backups,
    backup_before,
    backup_dir,
    daily_backups,
    ensure_daily_backup,
    newest_backup,
    one_off_backups,
)
from tests.conftest import NOW


def content(n: int, pad: int = 0) -> bytes:
    return json.dumps({"attempts": {"1": {"n": n, "pad": "x" * pad}}}).encode()


def test_two_backups_in_the_same_second_are_both_kept(journal_path: Path) -> None:
    first = backup_before(journal_path, content(1), "before-import", NOW)
    second = backup_before(journal_path, content(2), "before-import", NOW)
    assert first != second
    assert first.name == "journal-2026-11-20T183000-before-import.json"
    assert second.name == "journal-2026-11-20T183000-2-before-import.json"
    assert (first.read_bytes(), second.read_bytes()) == (content(1), content(2))
    assert one_off_backups(journal_path, "before-import") == [first, second]  # oldest first


def test_one_off_backups_are_pruned_per_reason_newest_kept(journal_path: Path) -> None:
    ensure_daily_backup(journal_path, content(0), NOW.date())
    migration = backup_before(journal_path, content(0), "before-v2", NOW)
    made = [
        backup_before(journal_path, content(n), "before-import", NOW + timedelta(seconds=n // 2))
        for n in range(KEEP_PER_REASON + 5)
    ]
    kept = one_off_backups(journal_path, "before-import")
    assert kept == made[-KEEP_PER_REASON:]
    assert [json.loads(p.read_bytes())["attempts"]["1"]["n"] for p in kept] == list(range(5, 15))
    # Other reasons and the daily backups are not touched.
    assert migration.exists() and len(daily_backups(journal_path)) == 1


def test_pruning_never_removes_the_only_copy_of_a_journal_that_shrank(journal_path: Path) -> None:
    big = backup_before(journal_path, content(0, pad=5000), "before-import", NOW)
    for n in range(1, KEEP_PER_REASON + 5):
        backup_before(journal_path, content(n), "before-import", NOW + timedelta(seconds=n))
    kept = one_off_backups(journal_path, "before-import")
    assert big in kept and len(kept) == KEEP_PER_REASON + 1
    # Daily rotation follows the same rule.
    ensure_daily_backup(journal_path, content(0, pad=5000), NOW.date())
    for day in range(1, KEEP_DAILY + 5):
        ensure_daily_backup(journal_path, content(day), NOW.date() + timedelta(days=day))
    dailies = daily_backups(journal_path)
    assert len(dailies) == KEEP_DAILY + 1 and json.loads(dailies[0].read_bytes())["attempts"]["1"]["n"] == 0


def test_another_journals_backups_in_the_same_folder_are_not_ours(journal_path: Path) -> None:
    mine = backup_before(journal_path, content(1), "before-import", NOW)
    work = journal_path.with_name("journal-work.json")
    backup_before(work, content(2), "before-import", NOW + timedelta(seconds=1))
    assert all_backups(journal_path) == [mine] and newest_backup(journal_path) == mine
    assert backup_dir(journal_path) == backup_dir(work)
