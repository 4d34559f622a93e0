"""Issue 10, points 3 and 4: records the journal cannot use are named, kept and carried.

The fixture journal_bad_records.json has a bad record in every table, two
attempts that share an id but differ, and an attempt stored twice exactly.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from rejection_tui.domain.ladder import Ladder
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.domain.validation import ValidationError
from rejection_tui.locations import device_id
from rejection_tui.storage.formats import export_csv, read_import
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.migrations import migrate, schema_version
from rejection_tui.storage.stamps import stamp
from tests.conftest import NOW, planned

FIXTURES = Path(__file__).with_name("fixtures")
BAD_ATTEMPTS = {"2", "3", "4", "5", "6", "7"}


@pytest.fixture
def bad_path(tmp_path: Path) -> Path:
    path = tmp_path / "journal.json"
    shutil.copy(FIXTURES / "journal_bad_records.json", path)
    return path


def open_at(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


def spelled(doc: object) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def test_every_bad_record_is_one_sentence_naming_table_record_and_field(bad_path: Path) -> None:
    with open_at(bad_path) as journal:
        problems = journal.problems()
    expected_starts = [
        'attempts, document 2 (id "b-banana", "Ask a stranger for the time"), field fear_before is "banana": '
        "Fear before must be a whole number from 0 to 100.",
        'attempts, document 3 (id "c-negative", "Ask for a discount"), field fear_before is -5:',
        'attempts, document 4 (id "d-101", "Ask a stranger for the time"), field fear_after is 101:',
        'attempts, document 5 (id "e-level0", "Ask a stranger for the time"), field level is 0:',
        'attempts, document 6 (id "f-outcome-list", "Ask a stranger for the time"), field outcome is an empty list:',
        'attempts, document 7 (id "g-year9999", "Ask a stranger for the time"), field done_at is '
        '"9999-12-31T23:59:59+00:00": Done at must be in the years 2000 to 2200',
        'attempts, document 9 (id "h-twin", "Ask a stranger for the time"): uses the same attempt id as document 8',
        'attempts, document 11 (id "i-copy", "Ask a stranger for the time"): an exact copy of document 10',
        'challenges, document 2 (id "mine-bad", "Ask the florist"), field category is an empty list:',
        'ladder, document 1, field current is "abc": The current rung must be a whole number.',
        'settings, document 1 ("weekly_goal"), field value is "abc": The weekly goal must be',
        'settings, document 3 ("rest_days"), field value is a list: Rest day 2 must be in the years 2000 to 2200',
        'settings, document 4 ("program"), field value is an object: A program\'s start must be in the years',
    ]
    assert len(problems) == len(expected_starts), problems
    for problem, start in zip(problems, expected_starts, strict=True):
        assert problem.startswith(start), problem
        assert problem.endswith(".")


def test_a_journal_with_bad_records_reads_without_a_crash(bad_path: Path) -> None:
    with open_at(bad_path) as journal:
        assert {a.id for a in journal.list_attempts()} == {"a-good", "h-twin", "i-copy"}
        assert journal.get_attempt("h-twin").note == "the first one"  # type: ignore[union-attr]
        assert journal.ladder() == Ladder()
        assert [c.id for c in journal.custom_challenges()] == ["mine-ok"]
        assert journal.weekly_goal() == 3 and journal.program() is None
        assert [d.isoformat() for d in journal.rest_days()] == ["2026-11-21"]
        journal.summary(NOW)
        for fmt in ("csv", "json", "markdown"):
            journal.export_text(fmt, NOW)


def test_no_save_of_another_record_drops_a_bad_one(bad_path: Path) -> None:
    original = json.loads(bad_path.read_bytes())
    with open_at(bad_path) as journal:
        challenge = builtin_challenges()[0]
        added = journal.add_attempt(planned(challenge))
        journal.update_attempt(added.rate(fear_after=20, outcome=Outcome.ACCEPTED, now=NOW))
        journal.delete_attempt("a-good")
        journal.add_challenge(Challenge("mine-2", "Ask for a sample", 2, "shops", source="custom"))
        journal.update_challenge(Challenge("mine-ok", "Ask the baker kindly", 2, "shops", source="custom"))
        journal.save_ladder(Ladder.from_dict({"rungs": [], "current": 0}))
        journal.set_setting("theme", "gruvbox")
        journal.set_rest_days({NOW.date()})
        journal.merge_attempts([planned(challenge)])
    saved = json.loads(bad_path.read_bytes())
    # Opening migrated the schema-1 fixture to schema 2: the only change to a bad attempt is
    # its stamp, taken from the record itself (issue 15); nothing else touches it.
    migrated = migrate(original, schema_version(original), NOW)
    for doc_id in BAD_ATTEMPTS | {"9", "11"}:
        assert spelled(saved["attempts"][doc_id]) == spelled(migrated["attempts"][doc_id])
        assert saved["attempts"][doc_id]["updated_by"] == ""
    assert spelled(saved["challenges"]["2"]) == spelled(original["challenges"]["2"])
    # The unreadable ladder is never overwritten: the new one is a document of its own.
    assert spelled(saved["ladder"]["1"]) == spelled(original["ladder"]["1"])
    assert saved["ladder"]["2"] == {
        "rungs": [],
        "current": 0,
        "updated_at": stamp(NOW),
        "updated_by": device_id(),
    }
    assert spelled(saved["settings"]["1"]) == spelled(original["settings"]["1"])
    assert spelled(saved["settings"]["4"]) == spelled(original["settings"]["4"])
    with open_at(bad_path) as journal:
        assert sum(p.startswith("attempts, ") for p in journal.problems()) == 8


def test_twins_that_differ_are_refused_and_nothing_comes_back(bad_path: Path) -> None:
    open_at(bad_path).close()  # the first open migrates the schema-1 fixture to schema 2 (issue 15)
    before = bad_path.read_bytes()
    with open_at(bad_path) as journal:
        twin = journal.get_attempt("h-twin")
        assert twin is not None
        with pytest.raises(ValidationError, match=r"documents 8 and 9\) and they differ"):
            journal.delete_attempt("h-twin")
        with pytest.raises(ValidationError, match="more than one attempt with the id h-twin"):
            journal.update_attempt(replace(twin, note="changed"))
        with pytest.raises(ValidationError, match="h-twin"):
            journal.merge_attempts([replace(twin, note="imported")])
        assert journal.get_attempt("h-twin") == twin
    assert bad_path.read_bytes() == before


def test_exact_copies_go_together_so_a_deleted_attempt_stays_deleted(bad_path: Path) -> None:
    with open_at(bad_path) as journal:
        journal.delete_attempt("i-copy")
        assert journal.get_attempt("i-copy") is None
        assert not any("i-copy" in p for p in journal.problems())
    with open_at(bad_path) as journal:  # after a restart: the copy does not come back
        assert journal.get_attempt("i-copy") is None
        assert all(
            doc.get("id") != "i-copy" for doc in json.loads(bad_path.read_bytes())["attempts"].values()
        )


def test_editing_an_attempt_with_an_exact_copy_removes_the_copy(bad_path: Path) -> None:
    with open_at(bad_path) as journal:
        copy = journal.get_attempt("i-copy")
        assert copy is not None
        journal.update_attempt(replace(copy, note="edited"))
    with open_at(bad_path) as journal:
        assert journal.get_attempt("i-copy").note == "edited"  # type: ignore[union-attr]
        assert not any("i-copy" in p for p in journal.problems())


def test_the_twin_shown_is_the_lower_document_whatever_the_order_in_the_file(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "journal_bad_records.json").read_bytes())
    attempts = document["attempts"]
    document["attempts"] = {"9": attempts["9"], "8": attempts["8"], "1": attempts["1"]}
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with open_at(path) as journal:
        assert journal.get_attempt("h-twin").note == "the first one"  # type: ignore[union-attr]


def test_json_export_carries_unreadable_entries_and_its_import_keeps_them_once(
    bad_path: Path, tmp_path: Path
) -> None:
    with open_at(bad_path) as journal:
        text = journal.export_text("json", NOW)
        stored = json.loads(bad_path.read_bytes())["attempts"]
    unreadable = json.loads(text)["unreadable"]
    assert [spelled(d) for d in unreadable] == [
        spelled(stored[i]) for i in ("2", "3", "4", "5", "6", "7", "9", "11")
    ]
    imported = read_import(text)
    target = tmp_path / "other.json"
    with open_at(target) as fresh:
        result = fresh.merge(imported.attempts, imported.unreadable)
        assert (result.added, result.carried) == (3, 8)
        again = fresh.merge(imported.attempts, imported.unreadable)  # no garbage: nothing twice
        assert (again.added, again.updated, again.carried) == (0, 0, 0)
        problems = fresh.problems()
    with open_at(bad_path) as journal:
        assert len(problems) == len([p for p in journal.problems() if p.startswith("attempts")])
    # And round and round: the new journal's export carries the same entries.
    with open_at(target) as fresh:
        assert sorted(map(spelled, json.loads(fresh.export_text("json", NOW))["unreadable"])) == sorted(
            map(spelled, unreadable)
        )


def test_csv_and_markdown_say_how_many_entries_are_left_out(bad_path: Path) -> None:
    with open_at(bad_path) as journal:
        csv_text = journal.export_text("csv", NOW)
        report = journal.export_text("markdown", NOW)
        shown = journal.list_attempts()
    note = "8 entries in the journal could not be read and are not in this file"
    assert csv_text.splitlines()[-1].startswith(f"# {note}")
    assert note in report
    assert sorted(read_import(csv_text).attempts, key=lambda a: a.id) == sorted(shown, key=lambda a: a.id)
    assert "could not be read" not in export_csv(shown)


def test_zero_padded_document_ids_are_the_same_documents(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "journal_bad_records.json").read_bytes())
    document["attempts"] = {f"00{key}": doc for key, doc in document["attempts"].items()}
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with open_at(path) as journal:
        assert len([p for p in journal.problems() if p.startswith("attempts, document ")]) == 8
        assert len(journal.unreadable_documents()) == 8
        journal.delete_attempt("i-copy")
        good = journal.get_attempt("a-good")
        assert good is not None
        journal.update_attempt(replace(good, note="edited"))
    with open_at(path) as journal:
        assert journal.get_attempt("i-copy") is None
        assert journal.get_attempt("a-good").note == "edited"  # type: ignore[union-attr]
        assert len(journal.problems()) == 12


def test_meta_and_settings_shapes_are_named_too(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "journal_bad_records.json").read_bytes())
    document["meta"]["1"]["created_at"] = "yesterday"
    document["meta"]["2"] = {"schema_version": 1}
    document["settings"]["5"] = {"value": 3}
    document["settings"]["6"] = {"key": "theme", "value": "dark"}
    document["challenges"]["3"] = {**document["challenges"]["1"], "title": "Same id again"}
    document["ladder"]["2"] = {"rungs": [], "current": 0}
    document["ladder"]["3"] = {"rungs": [], "current": 0}
    path = tmp_path / "journal.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with open_at(path) as journal:
        problems = journal.problems()
    for expected in (
        'meta, document 1, field created_at is "yesterday": When the journal was created is not a valid ISO 8601',
        "meta, document 2: only the first meta document is used.",
        "settings, document 5, field key is missing: A setting needs a name as text.",
        'settings, document 6 ("theme"): document 2 has the same setting and is the one used.',
        'challenges, document 3 (id "mine-ok", "Same id again"): document 1 has the same id and is the one used.',
        "ladder, document 2: an older ladder; document 3 is the one used.",
    ):
        assert any(p.startswith(expected) for p in problems), (expected, problems)
