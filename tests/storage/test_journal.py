from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rejection_tui.domain.models import Attempt, Challenge, Outcome, Status
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.backups import backup_dir
from rejection_tui.storage.errors import JournalTooNew, JournalUnreadable, JournalWriteFailed
from rejection_tui.storage.journal import Journal, NotFound
from rejection_tui.storage.migrations import SCHEMA_VERSION
from tests.conftest import NOW, done, planned

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def reopen(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


def test_a_new_journal_has_meta_with_the_schema_version(journal: Journal) -> None:
    assert journal.created
    assert journal.meta() == {"schema_version": SCHEMA_VERSION, "created_at": NOW.isoformat()}


def test_add_get_and_list_newest_first(journal: Journal, journal_path: Path, challenge: Challenge) -> None:
    older = journal.add_attempt(done(challenge, at=NOW.replace(day=10)))
    newer_plan = journal.add_attempt(planned(challenge, at=NOW.replace(day=12)))
    newest = journal.add_attempt(done(challenge, at=NOW.replace(day=15)))
    assert [a.id for a in journal.list_attempts()] == [newest.id, newer_plan.id, older.id]
    assert [a.id for a in journal.list_attempts(Status.PLANNED)] == [newer_plan.id]
    assert journal.get_attempt(older.id) == older
    journal.close()
    with reopen(journal_path) as again:
        assert again.list_attempts() == [newest, newer_plan, older]


def test_update_keeps_fields_it_does_not_know(
    journal: Journal, journal_path: Path, challenge: Challenge
) -> None:
    attempt = journal.add_attempt(planned(challenge))
    raw = json.loads(journal_path.read_text(encoding="utf-8"))
    raw["attempts"]["1"]["mood"] = "hopeful"  # a field from a newer version
    journal.close()
    journal_path.write_text(json.dumps(raw), encoding="utf-8")
    with reopen(journal_path) as again:
        again.update_attempt(attempt.rate(fear_after=20, outcome=Outcome.ACCEPTED, now=NOW))
    saved = json.loads(journal_path.read_text(encoding="utf-8"))["attempts"]["1"]
    assert saved["mood"] == "hopeful" and saved["fear_after"] == 20 and saved["status"] == "done"


def test_delete_returns_the_attempt_for_undo(journal: Journal, challenge: Challenge) -> None:
    attempt = journal.add_attempt(done(challenge))
    removed = journal.delete_attempt(attempt.id)
    assert journal.list_attempts() == []
    journal.add_attempt(removed)  # undo
    assert journal.list_attempts() == [attempt]
    with pytest.raises(NotFound):
        journal.delete_attempt("no-such-id")


def test_bad_values_are_refused_before_anything_is_written(
    journal: Journal, journal_path: Path, challenge: Challenge
) -> None:
    good = journal.add_attempt(planned(challenge))
    before = journal_path.read_bytes()
    with pytest.raises(ValidationError, match="Fear before must be a whole number"):
        journal.add_attempt(replace(good, id="other", fear_before=150))
    with pytest.raises(ValidationError, match="Note must be at most 2,000"):
        journal.update_attempt(replace(good, note="x" * 2001))
    with pytest.raises(ValidationError, match="already exists"):
        journal.add_attempt(good)
    with pytest.raises(NotFound):
        journal.update_attempt(replace(good, id="missing"))
    with pytest.raises(ValidationError, match="cannot be saved"):
        journal.set_setting("theme", float("inf"))
    assert journal_path.read_bytes() == before
    assert journal.list_attempts() == [good]


def test_custom_challenges_add_update_archive(journal: Journal, journal_path: Path) -> None:
    mine = Challenge(
        "mine-1", "Ask the baker for yesterday's bread", 3, "shops", tip="Ask kindly", source="custom"
    )
    journal.add_challenge(mine)
    assert mine in journal.all_challenges()
    journal.update_challenge(replace(mine, level=4))
    assert journal.find_challenge("mine-1") == replace(mine, level=4)
    journal.archive_challenge("mine-1")
    assert all(c.id != "mine-1" for c in journal.all_challenges())
    assert journal.custom_challenges(include_archived=True)[0].archived
    journal.archive_challenge("mine-1", archived=False)
    assert journal.find_challenge("mine-1") in journal.all_challenges()
    with pytest.raises(ValidationError, match="Built-in challenges cannot be edited"):
        journal.update_challenge(journal.all_challenges()[0])
    with pytest.raises(ValidationError, match="already exists"):
        journal.add_challenge(replace(mine, id="ask-the-time"))
    before = journal_path.read_bytes()
    with pytest.raises(ValidationError, match="Level must be"):
        journal.add_challenge(replace(mine, id="mine-2", level=0))
    assert journal_path.read_bytes() == before


def test_settings_get_and_set(journal: Journal, journal_path: Path) -> None:
    assert journal.get_setting("weekly_goal", 3) == 3
    journal.set_setting("weekly_goal", 5)
    journal.set_setting("weekly_goal", 4)
    journal.set_setting("theme", "nord")
    journal.close()
    with reopen(journal_path) as again:
        assert again.get_setting("weekly_goal") == 4
        assert again.get_setting("theme") == "nord"


def test_invalid_attempts_in_the_file_are_kept_untouched_not_dropped(
    journal_path: Path, challenge: Challenge
) -> None:
    with reopen(journal_path) as journal:
        journal.add_attempt(planned(challenge))
    raw = json.loads(journal_path.read_text(encoding="utf-8"))
    raw["attempts"]["2"] = {"id": "hand-edited", "fear_before": "very"}
    journal_path.write_text(json.dumps(raw), encoding="utf-8")
    with reopen(journal_path) as journal:
        assert journal.count_attempts() == 1
        assert journal.unreadable[0][0] == 2
        journal.add_attempt(planned(challenge))
    assert json.loads(journal_path.read_text(encoding="utf-8"))["attempts"]["2"]["fear_before"] == "very"


def test_a_failed_write_leaves_the_cache_as_the_file(
    journal: Journal, challenge: Challenge, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rejection_tui.storage import files

    def broken_link(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    journal.set_weekly_goal(3)  # the day's backup is taken: the next save fails at the journal itself
    before = journal.path.read_bytes()
    with monkeypatch.context() as patched:
        patched.setattr(files.os, "link", broken_link)
        with pytest.raises(JournalWriteFailed, match="Permission denied"):
            journal.add_attempt(planned(challenge))
    assert journal.path.read_bytes() == before
    assert journal.list_attempts() == []
    assert journal._storage.read().get("attempts", {}) == {}


def test_migrates_a_version_0_fixture_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    shutil.copy(FIXTURES / "journal_v0.json", path)
    original = path.read_bytes()
    with reopen(path) as journal:
        assert journal.meta()["schema_version"] == SCHEMA_VERSION
        attempts = {a.id[-1]: a for a in journal.list_attempts()}
        assert attempts["1"].status == Status.DONE and attempts["1"].outcome == Outcome.ACCEPTED
        assert attempts["1"].safety_behaviours == () and attempts["1"].lesson == ""
        assert attempts["2"].status == Status.PLANNED
    migrated = json.loads(path.read_text(encoding="utf-8"))
    assert migrated["attempts"]["1"]["mood"] == "ok"  # unknown fields survive
    # Schema 2 (issue 15): stamped from the record itself (rated, else planned), by no device.
    stamps = [(doc["updated_at"], doc["updated_by"]) for doc in migrated["attempts"].values()]
    assert stamps == [("2026-03-01T09:40:00.000000+00:00", ""), ("2026-03-02T11:00:00.000000+00:00", "")]
    backups = list(backup_dir(path).glob(f"journal-*-before-v{SCHEMA_VERSION}.json"))
    assert [b.read_bytes() for b in backups] == [original]


def test_a_newer_schema_is_refused_and_left_alone(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    newer = json.dumps({"meta": {"1": {"schema_version": SCHEMA_VERSION + 1}}}).encode()
    journal_path.write_bytes(newer)
    with pytest.raises(JournalTooNew, match="newer rejection-tui"):
        reopen(journal_path)
    assert journal_path.read_bytes() == newer


def test_a_foreign_tinydb_file_is_refused(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    foreign = b'{"recipes": {"1": {"name": "soup"}}}'
    journal_path.write_bytes(foreign)
    with pytest.raises(JournalUnreadable, match="does not look like a rejection-tui journal"):
        reopen(journal_path)
    assert journal_path.read_bytes() == foreign


def test_attempt_round_trips_through_the_file(journal_path: Path, challenge: Challenge) -> None:
    attempt = planned(challenge, worry="They'll laugh at me 😬").rate(
        fear_after=35, outcome=Outcome.PARTIAL, worry_happened=False, lesson="People are kind",
        safety_behaviours=("rehearsed",), now=NOW,
    )  # fmt: skip
    with reopen(journal_path) as journal:
        journal.add_attempt(attempt)
    with reopen(journal_path) as journal:
        assert journal.get_attempt(attempt.id) == attempt
    assert isinstance(attempt, Attempt)
