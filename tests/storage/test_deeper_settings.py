"""Issue 16, items 5 and 6 in the journal: the "pauses" and "thresholds" settings.

Each is validated like the other settings: a bad stored value is named by
``problems()`` and the default is used; the typed accessors refuse what
could not be read back, and write nothing then.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rejection_tui.domain.pauses import Pause
from rejection_tui.domain.settings import MAX_PAUSES, read_pauses, read_thresholds, setting_problems
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.formats import read_import
from rejection_tui.storage.journal import Journal
from tests.conftest import NOW

FLU = Pause(date(2026, 11, 2), date(2026, 11, 6), "flu")
TRIP = Pause(date(2026, 12, 20), date(2027, 1, 3))


def reopen(path: Path) -> Journal:
    return Journal.open(path, clock=lambda: NOW)


def stored_settings(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {doc["key"]: doc["value"] for doc in document["settings"].values()}


# -- the readers -------------------------------------------------------------------


def test_pauses_are_read_sorted_and_checked_one_by_one() -> None:
    assert read_pauses([TRIP.to_dict(), FLU.to_dict()]) == (FLU, TRIP)
    assert read_pauses([]) == ()
    assert setting_problems("pauses", [FLU.to_dict()]) == []
    assert setting_problems("pauses", {"start": "2026-11-02"}) == [
        "Pauses must be a list of pauses, each with a start and an end date"
    ]
    backwards = {"start": "2026-11-06", "end": "2026-11-02"}
    assert setting_problems("pauses", [FLU.to_dict(), backwards]) == [
        "Pause 2: A pause ends on or after the day it starts"
    ]
    assert setting_problems("pauses", [{"start": "soon", "end": "2026-11-02", "reason": 7}]) == [
        "Pause 1: The first day of a pause must be a date written as YYYY-MM-DD"
    ]
    assert setting_problems("pauses", [FLU.to_dict()] * (MAX_PAUSES + 1)) != []


def test_overlapping_stored_pauses_are_read_as_they_are() -> None:
    # Only adding one is refused (pauses.add_pause); a hand-written overlap harms nothing.
    longer = Pause(date(2026, 11, 4), date(2026, 11, 10))
    assert read_pauses([longer.to_dict(), FLU.to_dict()]) == (FLU, longer)


def test_thresholds_are_read_with_defaults_for_what_is_missing() -> None:
    assert read_thresholds(None) == DEFAULT_THRESHOLDS
    assert read_thresholds({}) == DEFAULT_THRESHOLDS
    assert read_thresholds({"calm_fear": 25}) == Thresholds(calm_fear=25)
    assert setting_problems("thresholds", {"calm_fear": 25, "easy_rate": 33.5}) == []
    assert setting_problems("thresholds", {"calm_fear": 80}) == [
        "Calm enough: felt fear at most must be a whole number from 0 to 50"
    ]
    assert setting_problems("thresholds", {"calm_feer": 20}) == ["Unknown threshold: calm_feer"]
    assert setting_problems("thresholds", [30, 2]) == ["The thresholds must be an object"]


# -- the accessors -------------------------------------------------------------------


def test_pauses_round_trip_sorted_through_the_file(journal: Journal, journal_path: Path) -> None:
    assert journal.pauses() == ()
    journal.set_pauses([TRIP, FLU])
    assert stored_settings(journal_path)["pauses"] == [
        {"start": "2026-11-02", "end": "2026-11-06", "reason": "flu"},
        {"start": "2026-12-20", "end": "2027-01-03", "reason": ""},
    ]
    journal.close()
    with reopen(journal_path) as again:
        assert again.pauses() == (FLU, TRIP)
        assert again.problems() == []
        again.set_pauses([TRIP])
        assert again.pauses() == (TRIP,)


def test_thresholds_round_trip_keeping_only_what_differs_from_the_defaults(
    journal: Journal, journal_path: Path
) -> None:
    assert journal.thresholds() == DEFAULT_THRESHOLDS
    adjusted = Thresholds(calm_fear=20, calm_days=3, easy_rate=30.5)
    journal.set_thresholds(adjusted)
    # The rest follow the defaults, so a later version's better default reaches them.
    assert stored_settings(journal_path)["thresholds"] == {"calm_fear": 20, "calm_days": 3, "easy_rate": 30.5}
    journal.close()
    with reopen(journal_path) as again:
        assert again.thresholds() == adjusted
        again.set_thresholds(DEFAULT_THRESHOLDS)  # back to the defaults
        assert stored_settings(journal_path)["thresholds"] == {}
        assert again.thresholds() == DEFAULT_THRESHOLDS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda j: j.set_pauses([FLU, Pause(date(2026, 11, 9), date(2026, 11, 8))]), "ends on or after"),
        (lambda j: j.set_pauses([Pause(date(2026, 1, 1), date(2027, 6, 1))]), "at most 366 days"),
        (lambda j: j.set_thresholds(Thresholds(backed_out_in_a_row=0)), "from 1 to 10"),
        (lambda j: j.set_thresholds(Thresholds(easy_rate=50)), "from 0 to 49"),
    ],
)
def test_what_could_not_be_read_back_is_refused_and_nothing_is_written(
    journal: Journal, journal_path: Path, change: Any, message: str
) -> None:
    journal.set_pauses([FLU])
    before = journal_path.read_bytes()
    with pytest.raises(ValidationError) as refused:
        change(journal)
    assert message in " ".join(refused.value.messages)
    assert journal_path.read_bytes() == before
    assert journal.pauses() == (FLU,) and journal.thresholds() == DEFAULT_THRESHOLDS


def test_a_hand_edited_bad_value_is_named_and_the_default_used(journal: Journal, journal_path: Path) -> None:
    journal.set_setting("pauses", [FLU.to_dict(), {"start": "2026-11-20", "end": "next week"}])
    journal.set_setting("thresholds", {"calm_fear": 30, "calm_days": "two"})
    journal.close()
    with reopen(journal_path) as again:
        # A damaged list pauses nothing at all: no day is paused that nobody chose.
        assert again.pauses() == ()
        assert again.thresholds() == DEFAULT_THRESHOLDS
        problems = again.problems()
        assert any(
            '("pauses")' in p
            and "Pause 2: The last day of a pause must be a date written as YYYY-MM-DD" in p
            and "so the default is used" in p
            for p in problems
        ), problems
        assert any(
            '("thresholds")' in p and "Calm on this many different days must be a whole number" in p
            for p in problems
        ), problems
    # Left as it is in the file, for the person to mend.
    assert stored_settings(journal_path)["thresholds"] == {"calm_fear": 30, "calm_days": "two"}


def test_a_full_backup_brings_pauses_and_thresholds_and_refuses_bad_ones(journal: Journal) -> None:
    theirs = {
        "attempts": [],
        "settings": {"pauses": [FLU.to_dict()], "thresholds": {"calm_fear": 90}},
    }
    imported = read_import(json.dumps(theirs))
    result = journal.merge(imported.attempts, validated=True, backup=imported.backup)
    assert journal.pauses() == (FLU,) and journal.thresholds() == DEFAULT_THRESHOLDS
    assert result.notes() == [
        "Taken from the file: pauses.",
        "Not taken, as this version cannot use it: ladder thresholds "
        "(Calm enough: felt fear at most must be a whole number from 0 to 50).",
    ]
