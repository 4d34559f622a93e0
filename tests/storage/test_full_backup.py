"""Issue 11, point 4: moving machines keeps everything.

The JSON export is a full backup (attempts, custom challenges with archived
ones, the ladder, every setting, the unreadable entries) that an import
into a fresh journal brings back whole; an import never overwrites a
person's own ladder or settings; everything lands in one write; a file is
judged as the format it is.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Challenge, Outcome
from rejection_tui.domain.programs import Program, ProgramKind
from rejection_tui.storage.formats import (
    BACKUP_KIND,
    ImportProblem,
    export_csv,
    read_import,
    read_import_file,
)
from rejection_tui.storage.journal import Journal, MergeResult
from rejection_tui.storage.safe_storage import SafeJSONStorage
from tests.conftest import NOW, done, planned

LIB = {c.id: c for c in builtin_challenges()}
TIME, RAISE = LIB["ask-the-time"], LIB["ask-for-raise"]
MINE = Challenge("my-coffee", "Ask the café for a free refill", 3, "shops", tip="Smile", source="custom")
OLD = Challenge("my-old", "Ask a neighbour for sugar", 2, "favours", source="custom", archived=True)
SETTINGS = {
    "weekly_goal": 5,
    "program": Program(ProgramKind.DAYS_30, date(2026, 11, 1)).to_dict(),
    "rest_days": ["2026-11-15", "2026-11-22"],
    "theme": "gruvbox",
    "keymap": {"new_attempt": "ctrl+n"},
    "welcomed": True,
    "a_later_versions_setting": {"anything": [1, 2]},
}
UNREADABLE = {"id": "broken-1", "challenge_title": "Half-edited", "fear_before": "banana"}


def a_ladder(*challenges: Challenge, current: int = 0) -> Ladder:
    return Ladder(tuple(Rung.of(c, 30 + 10 * i) for i, c in enumerate(challenges)), current)


def rich_journal(path: Path) -> None:
    """Every kind of thing a journal holds, one unreadable attempt included."""
    with Journal.open(path, clock=lambda: NOW) as journal:
        journal.add_attempt(done(TIME, at=NOW - timedelta(days=2)))
        journal.add_attempt(done(MINE, outcome=Outcome.ACCEPTED, at=NOW - timedelta(days=1)))
        journal.add_attempt(planned(RAISE, fear=80))
        journal.add_challenge(MINE)
        journal.add_challenge(OLD)
        journal.save_ladder(a_ladder(TIME, MINE, RAISE, current=1))
        for key, value in SETTINGS.items():
            journal.set_setting(key, value)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["attempts"]["99"] = UNREADABLE
    path.write_text(json.dumps(document), encoding="utf-8")


def everything(journal: Journal) -> dict[str, object]:
    return {
        "attempts": sorted((a.to_dict() for a in journal.list_attempts()), key=lambda a: a["id"]),
        "unreadable": journal.unreadable_documents(),
        "challenges": journal.custom_challenges(include_archived=True),
        "ladder": journal.ladder(),
        "settings": {key: journal.get_setting(key) for key in SETTINGS},
        "typed": (journal.weekly_goal(), journal.program(), journal.rest_days()),
    }


def export_to(tmp_path: Path, source: Path) -> Path:
    target = tmp_path / "moving" / "backup.json"
    target.parent.mkdir()
    with Journal.open(source, clock=lambda: NOW) as journal:
        target.write_text(journal.export_text("json", NOW), encoding="utf-8")
    return target


def import_into(path: Path, backup: Path) -> tuple[Journal, MergeResult]:
    imported = read_import_file(backup)
    journal = Journal.open(path, clock=lambda: NOW)
    result = journal.merge(imported.attempts, imported.unreadable, validated=True, backup=imported.backup)
    return journal, result


def test_a_full_backup_round_trips_into_a_fresh_journal(tmp_path: Path) -> None:
    source = tmp_path / "old-machine" / "journal.json"
    rich_journal(source)
    backup = export_to(tmp_path, source)
    journal, result = import_into(tmp_path / "new-machine" / "journal.json", backup)
    with journal, Journal.open(source, clock=lambda: NOW) as original:
        assert everything(journal) == everything(original)
        assert journal.ladder().current == 1 and len(journal.ladder().rungs) == 3
        assert [c.id for c in journal.custom_challenges(include_archived=True)] == ["my-coffee", "my-old"]
        assert len(journal.problems()) == len(original.problems()) == 2  # the unreadable entry came along
    assert result.notes() == [
        "Your own challenges: 2 added, 0 updated.",
        "Taken from the file: the ladder (3 rungs), weekly goal, program, rest days, theme, keymap, "
        'the setting "a_later_versions_setting".',
    ]
    # Again: nothing new, nothing written.
    before = (tmp_path / "new-machine" / "journal.json").read_bytes()
    journal, result = import_into(tmp_path / "new-machine" / "journal.json", backup)
    journal.close()
    assert result.summary(unreadable=True) == (
        "0 added, 0 updated, 3 already there, 0 unreadable entries kept as they were"
    )
    assert result.notes() == []
    assert (tmp_path / "new-machine" / "journal.json").read_bytes() == before


def test_the_backup_keeps_the_attempts_list_older_readers_look_for(tmp_path: Path) -> None:
    source = tmp_path / "journal.json"
    rich_journal(source)
    document = json.loads(export_to(tmp_path, source).read_text(encoding="utf-8"))
    assert document["kind"] == BACKUP_KIND and document["version"] == 2
    assert len(document["attempts"]) == 3 and document["unreadable"] == [UNREADABLE]
    assert [c["id"] for c in document["challenges"]] == ["my-coffee", "my-old"]
    assert document["challenges"][1]["archived"] is True
    assert document["ladder"]["current"] == 1 and document["settings"] == SETTINGS
    # An attempts-only file (version 1, or one cut down by hand) still imports: no backup part.
    attempts_only = {"attempts": document["attempts"]}
    assert read_import(json.dumps(attempts_only)).backup is None


def test_an_import_never_overwrites_your_ladder_or_settings(journal: Journal, journal_path: Path) -> None:
    mine = a_ladder(RAISE, TIME)
    journal.save_ladder(mine)
    journal.set_weekly_goal(2)
    journal.set_setting("theme", "gruvbox")  # the same as the file's: nothing to say
    theirs = {
        "attempts": [done(TIME).to_dict()],
        "ladder": a_ladder(TIME, MINE).to_dict(),
        "settings": {"weekly_goal": 6, "theme": "gruvbox", "rest_days": ["2026-11-18"], "welcomed": True},
    }
    imported = read_import(json.dumps(theirs))
    result = journal.merge(imported.attempts, validated=True, backup=imported.backup)
    assert journal.ladder() == mine and journal.weekly_goal() == 2
    assert journal.rest_days() == {date(2026, 11, 18)} and journal.get_setting("welcomed") is True
    assert result.added == 1 and result.kept == ("ladder", "weekly goal")
    assert result.notes() == [
        "Taken from the file: rest days.",
        "Kept your own ladder and weekly goal: the file's differ and were not taken.",
    ]


def test_a_setting_you_have_but_cannot_use_is_replaced_and_one_the_file_cannot_use_is_refused(
    journal: Journal,
) -> None:
    journal.set_setting("weekly_goal", "lots")  # hand-edited: the default 3 is used
    journal.save_ladder(Ladder())  # an empty ladder is no ladder
    theirs = {
        "attempts": [],
        "ladder": a_ladder(TIME).to_dict(),
        "settings": {"weekly_goal": 4, "theme": 42},
    }
    imported = read_import(json.dumps(theirs))
    result = journal.merge(imported.attempts, validated=True, backup=imported.backup)
    assert journal.weekly_goal() == 4 and journal.get_setting("theme") is None
    assert journal.ladder() == a_ladder(TIME) and journal.problems() == []
    assert result.notes() == [
        "Taken from the file: the ladder (1 rung), weekly goal.",
        "Not taken, as this version cannot use it: theme (The theme must be text).",
    ]


def test_custom_challenges_merge_by_id_like_attempts(journal: Journal) -> None:
    journal.add_challenge(MINE)
    renamed = Challenge(**{**MINE.to_dict(), "title": "Ask for a refill, kindly"})
    theirs = {"attempts": [], "challenges": [renamed.to_dict(), OLD.to_dict()]}
    imported = read_import(json.dumps(theirs))
    result = journal.merge(imported.attempts, validated=True, backup=imported.backup)
    assert (result.challenges_added, result.challenges_updated) == (1, 1)
    assert journal.custom_challenges(include_archived=True) == [renamed, OLD]


def test_attempts_challenges_ladder_and_settings_land_in_one_write(
    journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = tmp_path / "source" / "journal.json"
    rich_journal(source)
    imported = read_import_file(export_to(tmp_path, source))
    writes: list[object] = []
    real_write = SafeJSONStorage.write

    def counted_write(self: SafeJSONStorage, data: dict[str, dict[str, dict[str, Any]]]) -> None:
        writes.append(data)
        real_write(self, data)

    monkeypatch.setattr(SafeJSONStorage, "write", counted_write)
    journal.merge(imported.attempts, imported.unreadable, validated=True, backup=imported.backup)
    assert len(writes) == 1
    # And a failed write leaves all of it out, memory included.
    fresh = tmp_path / "fresh" / "journal.json"
    with Journal.open(fresh, clock=lambda: NOW) as other:
        before = fresh.read_bytes()

        def failing_write(self: SafeJSONStorage, data: dict[str, object]) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(SafeJSONStorage, "write", failing_write)
        with pytest.raises(OSError):
            other.merge(imported.attempts, imported.unreadable, validated=True, backup=imported.backup)
        assert fresh.read_bytes() == before
        assert other.count_attempts() == 0 and other.ladder() == Ladder()
        assert other.custom_challenges(include_archived=True) == [] and other.get_setting("theme") is None


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        ({"challenges": [{**MINE.to_dict(), "level": 0}]}, "challenge 1: Level must be"),
        ({"challenges": [TIME.to_dict()]}, "is not a custom one; built-in challenges come with the app"),
        (
            {"challenges": [{**TIME.to_dict(), "source": "custom"}]},
            'has the id "ask-the-time", which a built-in challenge has',
        ),
        ({"challenges": [MINE.to_dict(), MINE.to_dict()]}, 'challenge 2: the id "my-coffee" appears twice'),
        ({"challenges": "all of them"}, "'challenges' of a backup must be a list of objects"),
        ({"ladder": {"rungs": [{"title": "x"}], "current": 0}}, "the ladder: Rung 1 must have exactly"),
        ({"ladder": [1]}, "'ladder' of a backup must be an object, or null"),
        ({"settings": ["weekly_goal"]}, "'settings' of a backup must be an object"),
    ],
)
def test_a_bad_backup_part_rejects_the_whole_file(
    journal: Journal, journal_path: Path, part: dict[str, object], reason: str
) -> None:
    journal.add_attempt(done(TIME))
    before = journal_path.read_bytes()
    with pytest.raises(ImportProblem, match=reason.replace("(", r"\(")):
        read_import(json.dumps({"attempts": [done(RAISE).to_dict()], **part}))
    assert journal_path.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("backup.json", '{"attempts": [', "not valid JSON (Expecting value at line 1, column 15)"),
        ("backup.json", "hello", "not valid JSON (Expecting value at line 1, column 1)"),
        ("backup.json", "", "the file is empty"),
        ("backup.json", "[1, 2]", "a JSON import must be an object with an 'attempts' list"),
        ("report.md", "# Rejection practice report\n\n## Summary\n", "this is a Markdown report"),
        ("report.txt", "# Rejection practice report\n", "this is a Markdown report"),
        ("notes.md", "some notes", "this is a Markdown report"),
    ],
)
def test_a_file_is_judged_as_the_format_it_is(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblem) as problem:
        read_import_file(path)
    assert reason in str(problem.value)
    assert "not a rejection-tui CSV export" not in str(problem.value)


def test_a_csv_export_imports_whatever_it_is_called(tmp_path: Path) -> None:
    path = tmp_path / "renamed.json"
    path.write_text(export_csv([done(TIME)]), encoding="utf-8")
    assert len(read_import_file(path).attempts) == 1
