from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.after_no import (
    AFTER_NO_LABELS,
    BECAUSE_HINT,
    BECAUSE_MAX_LEVEL,
    AfterNo,
    after_no_error,
    because_hint,
    converted_nos,
    counts_as_rejection,
    is_converted,
    no_became_yes_error,
    normalised,
    parse_after_no,
    to_stored,
)
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.validation import ValidationError

REJECTED = Outcome.REJECTED


@dataclass(frozen=True)
class Rated:
    """Stands in for an attempt (models.Attempt gets ``after_no`` and ``no_became_yes`` later)."""

    outcome: Outcome | None
    no_became_yes: bool = False


def test_stored_values_are_stable() -> None:
    assert [c.value for c in AfterNo] == ["asked_why", "gave_reason", "tried_someone_else"]
    assert [c.label for c in AfterNo] == ["I asked why", "I gave a reason", "I tried someone else"]
    assert list(AFTER_NO_LABELS) == list(AfterNo)


def test_choices_are_stored_once_each_in_a_fixed_order() -> None:
    picked = [AfterNo.TRIED_SOMEONE_ELSE, AfterNo.ASKED_WHY, AfterNo.TRIED_SOMEONE_ELSE]
    assert normalised(picked) == (AfterNo.ASKED_WHY, AfterNo.TRIED_SOMEONE_ELSE)
    assert to_stored(picked) == ["asked_why", "tried_someone_else"]
    assert to_stored([]) == []


def test_a_valid_list_parses() -> None:
    assert parse_after_no(["gave_reason", "asked_why"], REJECTED) == (AfterNo.ASKED_WHY, AfterNo.GAVE_REASON)
    assert parse_after_no(None, REJECTED) == ()
    assert parse_after_no([], Outcome.ACCEPTED) == ()  # an empty list fits any outcome
    assert parse_after_no(None, None) == ()


@pytest.mark.parametrize(
    ("raw", "outcome", "words"),
    [
        ("asked_why", REJECTED, "must be a list"),
        ({"asked_why": True}, REJECTED, "must be a list"),
        (["asked why"], REJECTED, '(not "asked why")'),
        (["asked_why", 3], REJECTED, "(not 3)"),
        (["Asked_Why"], REJECTED, "must be among asked_why, gave_reason, tried_someone_else"),
        (["asked_why", "asked_why"], REJECTED, "twice"),
        (["asked_why"], Outcome.ACCEPTED, "only with a rejected ask"),
        (["tried_someone_else"], Outcome.NOT_ASKED, "only with a rejected ask"),
        (["gave_reason"], None, "only with a rejected ask"),  # a planned attempt
    ],
)
def test_a_wrong_list_is_named(raw: object, outcome: Outcome | None, words: str) -> None:
    error = after_no_error(raw, outcome)
    assert error is not None and words in error
    with pytest.raises(ValidationError) as raised:
        parse_after_no(raw, outcome)
    assert raised.value.fields == ["after_no"]


@given(st.lists(st.sampled_from(list(AfterNo))))
def test_stored_choices_round_trip(choices: list[AfterNo]) -> None:
    stored = to_stored(choices)
    assert after_no_error(stored, REJECTED) is None
    assert parse_after_no(stored, REJECTED) == normalised(choices)
    assert set(parse_after_no(stored, REJECTED)) == set(choices)


def test_the_no_became_yes_flag() -> None:
    assert no_became_yes_error(True, REJECTED) is None
    assert no_became_yes_error(False, Outcome.ACCEPTED) is None
    assert no_became_yes_error(None, Outcome.ACCEPTED) is None
    assert "only with a rejected ask" in (no_became_yes_error(True, Outcome.ACCEPTED) or "")
    assert "true or false" in (no_became_yes_error("yes", REJECTED) or "")
    assert "true or false" in (no_became_yes_error(1, REJECTED) or "")


def test_a_converted_no_is_counted_apart_and_never_as_a_rejection() -> None:
    records = [
        Rated(REJECTED),
        Rated(REJECTED, no_became_yes=True),
        Rated(REJECTED, no_became_yes=True),
        Rated(Outcome.ACCEPTED),
        Rated(Outcome.ACCEPTED, no_became_yes=True),  # not a rejection, so not a conversion either
        Rated(Outcome.PARTIAL),
        Rated(None),
    ]
    assert converted_nos(records) == 2
    assert [counts_as_rejection(r) for r in records] == [True, False, False, False, False, False, False]
    assert [is_converted(r) for r in records] == [False, True, True, False, False, False, False]


@given(st.lists(st.tuples(st.sampled_from([*Outcome, None]), st.booleans())))
def test_every_no_is_either_a_rejection_or_a_conversion(pairs: list[tuple[Outcome | None, bool]]) -> None:
    records = [Rated(outcome, flag) for outcome, flag in pairs]
    nos = sum(1 for r in records if r.outcome == REJECTED)
    assert converted_nos(records) + sum(counts_as_rejection(r) for r in records) == nos
    assert not any(counts_as_rejection(r) and is_converted(r) for r in records)


def test_the_because_hint_shows_before_small_asks_only() -> None:
    assert BECAUSE_MAX_LEVEL == 3
    assert [because_hint(level) is not None for level in range(1, 11)] == [True] * 3 + [False] * 7
    assert because_hint(2) == BECAUSE_HINT
    assert "because" in BECAUSE_HINT and "\n" not in BECAUSE_HINT
    assert len(BECAUSE_HINT) <= 110  # one line in a wide form; wraps once at 80 columns


def test_the_because_hint_never_contradicts_a_challenges_own_tip() -> None:
    from rejection_tui.domain.after_no import BECAUSE_HINT, because_hint

    assert because_hint(1, "A small, ordinary ask: say it plainly and don't explain why.") is None
    assert because_hint(2, "Give a reason if you like.") is None
    assert because_hint(2, "Smile first.") == BECAUSE_HINT
    assert because_hint(2) == BECAUSE_HINT
