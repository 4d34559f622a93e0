from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.forecast import (
    HAPPENED,
    as_outcome,
    forecast_change,
    forecast_sentence,
    forecast_series,
)
from rejection_tui.domain.models import Outcome

scores = st.none() | st.integers(0, 100)
outcomes = st.sampled_from([*Outcome, *(o.value for o in Outcome), None])


def test_the_sentence_from_the_issue() -> None:
    assert forecast_sentence(70, 40) == "You expected a 70 % chance of a no; next time you'd say 40 %."


def test_the_sentence_says_what_happened() -> None:
    assert (
        forecast_sentence(70, 40, Outcome.ACCEPTED)
        == "You expected a 70 % chance of a no and heard a yes; next time you'd say 40 %."
    )
    assert (
        forecast_sentence(30, 60, "rejected")
        == "You expected a 30 % chance of a no and heard a no; next time you'd say 60 %."
    )
    assert forecast_sentence(50, 45, Outcome.PARTIAL) == (
        "You expected a 50 % chance of a no and got a partly yes; next time you'd say 45 %."
    )
    # Nothing was heard when the ask wasn't made.
    assert forecast_sentence(80, 90, Outcome.NOT_ASKED) == (
        "You expected an 80 % chance of a no; next time you'd say 90 %."
    )
    assert forecast_sentence(8, 5, Outcome.REJECTED) == (
        "You expected an 8 % chance of a no and heard a no; next time you'd say 5 %."
    )
    assert (forecast_sentence(18, 5) or "").startswith("You expected an 18 %")
    assert (forecast_sentence(100, 5) or "").startswith("You expected a 100 %")


def test_the_same_forecast_again() -> None:
    assert forecast_sentence(50, 50, Outcome.REJECTED) == (
        "You expected a 50 % chance of a no and heard a no; you'd say the same next time."
    )


def test_no_sentence_without_a_new_forecast_and_a_short_one_without_the_old() -> None:
    assert forecast_sentence(70, None, Outcome.REJECTED) is None
    assert forecast_sentence(None, None) is None
    assert forecast_sentence(None, 35, Outcome.ACCEPTED) == "Next time you'd put the chance of a no at 35 %."


@given(before=st.integers(0, 100), after=st.integers(0, 100), outcome=outcomes)
def test_every_sentence_has_both_numbers_and_no_verdict(before: int, after: int, outcome: object) -> None:
    sentence = forecast_sentence(before, after, outcome)  # type: ignore[arg-type]
    assert sentence is not None and sentence.endswith(".")
    assert f"{before} %" in sentence
    assert (f"{after} %" in sentence) or (before == after and "the same" in sentence)
    for verdict in ("good", "bad", "wrong", "right", "should", "better", "worse"):
        assert verdict not in sentence


def test_the_change_in_points() -> None:
    assert forecast_change(70, 40) == -30
    assert forecast_change(20, 50) == 30
    assert forecast_change(None, 50) is None
    assert forecast_change(50, None) is None


def test_outcomes_as_enum_or_stored_value() -> None:
    assert as_outcome("partial") == Outcome.PARTIAL
    assert as_outcome(Outcome.REJECTED) is Outcome.REJECTED
    assert as_outcome(None) is None
    with pytest.raises(ValueError, match="Not an outcome: 'maybe'"):
        as_outcome("maybe")


def test_the_series_for_the_chart() -> None:
    triples = [
        (80, 60, Outcome.ACCEPTED),
        (60, None, "rejected"),
        (None, 40, Outcome.PARTIAL),
        (50, 30, Outcome.NOT_ASKED),
    ]
    series = forecast_series(triples)
    assert series.numbers == [1, 2, 3, 4]
    assert series.predicted == [80, 60, None, 50]
    assert series.updated == [60, None, 40, 30]
    assert series.happened == [0, 100, 50, None]
    assert series.points(series.updated) == ([1, 3, 4], [60, 40, 30])
    assert series.points(series.happened) == ([1, 2, 3], [0, 100, 50])


def test_the_series_keeps_the_latest_repetitions_with_their_numbers() -> None:
    triples = [(i, i, Outcome.REJECTED) for i in range(10)]
    series = forecast_series(triples, max_points=3)
    assert series.numbers == [8, 9, 10]
    assert series.predicted == [7, 8, 9]
    assert forecast_series(triples, max_points=0).numbers == [10]  # at least one point
    assert forecast_series(triples, max_points=50).numbers == list(range(1, 11))
    assert forecast_series([]).numbers == []


def test_happened_is_on_the_forecast_scale() -> None:
    assert HAPPENED[Outcome.REJECTED] == 100 and HAPPENED[Outcome.ACCEPTED] == 0
    assert set(HAPPENED) == set(Outcome)


@given(st.lists(st.tuples(scores, scores, outcomes), max_size=40), st.none() | st.integers(1, 20))
def test_series_lengths_agree(
    triples: list[tuple[int | None, int | None, object]], max_points: int | None
) -> None:
    series = forecast_series(triples, max_points)  # type: ignore[arg-type]
    expected = len(triples) if max_points is None else min(len(triples), max_points)
    for values in (series.numbers, series.predicted, series.updated, series.happened):
        assert len(values) == expected
    if triples:
        assert series.numbers[-1] == len(triples)
        assert series.predicted[-1] == triples[-1][0]
