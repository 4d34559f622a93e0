from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain import ladder
from rejection_tui.domain.ladder import Ladder, Rung, coach, mastery, too_easy, too_hard
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Outcome
from rejection_tui.domain.progress import EASY_RATE, EASY_WINDOW
from rejection_tui.domain.thresholds import (
    DEFAULT_THRESHOLDS,
    REJECTION_AIM,
    THRESHOLD_INFO,
    Thresholds,
    threshold_problems,
)
from rejection_tui.domain.validation import ValidationError
from tests.conftest import done

LIB = builtin_challenges()
NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)


def test_the_defaults_are_todays_numbers_and_valid() -> None:
    t = Thresholds()
    assert (t.calm_fear, t.calm_days, t.disconfirmed, t.backed_out_in_a_row) == (30, 2, 3, 2)
    assert (t.easy_rate, t.easy_window) == (EASY_RATE, EASY_WINDOW) == (40.0, 10)
    assert threshold_problems(t) == []
    assert t.validated() is t
    assert t.is_default and t == DEFAULT_THRESHOLDS
    assert not Thresholds(calm_fear=20).is_default


def test_the_ladder_uses_the_same_class() -> None:
    # ladder.Thresholds keeps working for code and tests that import it from there.
    assert ladder.Thresholds is Thresholds


def test_every_threshold_has_a_label_a_range_holding_its_default_and_a_reason() -> None:
    names = [f.name for f in fields(Thresholds)]
    assert list(THRESHOLD_INFO) == names
    for name in names:
        info = THRESHOLD_INFO[name]
        default = getattr(DEFAULT_THRESHOLDS, name)
        assert info.low <= default <= info.high, name
        assert info.label and info.why.endswith(".")
        assert "works" not in info.why


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("calm_fear", -1),
        ("calm_fear", 51),  # above 50 is not a calm fear
        ("calm_fear", 30.5),
        ("calm_fear", True),
        ("calm_fear", "30"),
        ("calm_days", 0),
        ("calm_days", 11),
        ("disconfirmed", 0),
        ("easy_rate", 50),  # on the ~50 % aim: a person right on it would hear "too easy"
        ("easy_rate", -0.5),
        ("easy_rate", float("nan")),
        ("easy_rate", float("inf")),
        ("easy_window", 4),
        ("easy_window", 51),
        ("backed_out_in_a_row", 0),
        ("backed_out_in_a_row", None),
    ],
)
def test_out_of_range_values_are_named_field_by_field(field: str, value: object) -> None:
    t = Thresholds(**{field: value})  # type: ignore[arg-type]
    problems = threshold_problems(t)
    assert [p.field for p in problems] == [f"thresholds.{field}"]
    assert THRESHOLD_INFO[field].label in problems[0].message
    with pytest.raises(ValidationError) as raised:
        t.validated()
    assert raised.value.fields == [f"thresholds.{field}"]


def test_the_too_easy_rate_stays_below_the_rejection_aim() -> None:
    assert THRESHOLD_INFO["easy_rate"].high < REJECTION_AIM
    assert threshold_problems(Thresholds(easy_rate=49.5)) != []
    assert threshold_problems(Thresholds(easy_rate=0)) == []  # 0 turns the note off
    assert threshold_problems(Thresholds(easy_rate=45.5)) == []


def test_stored_form_round_trips_and_fills_missing_fields_with_defaults() -> None:
    t = Thresholds(calm_fear=25, calm_days=3, easy_rate=35.0)
    assert Thresholds.from_dict(t.to_dict()) == t
    assert Thresholds.from_dict({"calm_fear": 20}) == Thresholds(calm_fear=20)
    assert Thresholds.from_dict({}) == Thresholds.from_dict(None) == DEFAULT_THRESHOLDS


def test_stored_form_refuses_unknown_fields_wrong_shapes_and_bad_values() -> None:
    with pytest.raises(ValidationError, match="Unknown threshold: calm_feer"):
        Thresholds.from_dict({"calm_feer": 20})
    with pytest.raises(ValidationError, match="must be an object"):
        Thresholds.from_dict([30, 2])
    with pytest.raises(ValidationError) as raised:
        Thresholds.from_dict({"calm_fear": 80, "calm_days": 0})
    assert raised.value.fields == ["thresholds.calm_fear", "thresholds.calm_days"]


@given(
    st.builds(
        Thresholds,
        calm_fear=st.integers(0, 50),
        calm_days=st.integers(1, 10),
        disconfirmed=st.integers(1, 10),
        easy_rate=st.floats(0, 49, allow_nan=False),
        easy_window=st.integers(5, 50),
        backed_out_in_a_row=st.integers(1, 10),
    )
)
def test_any_thresholds_in_range_are_valid_and_round_trip(t: Thresholds) -> None:
    assert threshold_problems(t) == []
    assert Thresholds.from_dict(t.to_dict()) == t


def _rung() -> Rung:
    return Rung.of(LIB[0], 40)


def test_mastery_follows_adjusted_thresholds() -> None:
    r = _rung()
    calm = [done(LIB[0], after=25, at=NOW - timedelta(days=d)) for d in (1, 2)]
    assert mastery(r, calm, NOW) is not None  # defaults: ≤ 30 on two days
    assert mastery(r, calm, NOW, Thresholds(calm_fear=20)) is None  # stricter: 25 is not calm enough
    assert mastery(r, calm, NOW, Thresholds(calm_days=3)) is None
    assert mastery(r, calm[:1], NOW, Thresholds(calm_days=1)) is not None


def test_too_easy_follows_adjusted_thresholds() -> None:
    # Three "no" in the last ten asks: 30 %, under the default 40 %.
    asks = [
        done(LIB[0], outcome=Outcome.REJECTED if i < 3 else Outcome.ACCEPTED, at=NOW - timedelta(hours=i))
        for i in range(10)
    ]
    assert too_easy(asks) is not None
    assert too_easy(asks, Thresholds(easy_rate=25)) is None
    assert too_easy(asks, Thresholds(easy_window=20)) is None  # not yet twenty asks


def test_too_hard_follows_an_adjusted_count_and_says_it() -> None:
    ladder_ = Ladder((_rung(),), 0)
    backed_out = [done(LIB[0], outcome=Outcome.NOT_ASKED, at=NOW - timedelta(hours=h)) for h in (1, 2, 3)]
    assert "twice in a row" in (too_hard(ladder_, backed_out[:2]) or "")
    assert too_hard(ladder_, backed_out[:2], Thresholds(backed_out_in_a_row=3)) is None
    assert "3 times in a row" in (too_hard(ladder_, backed_out, Thresholds(backed_out_in_a_row=3)) or "")
    once = too_hard(ladder_, backed_out[:1], Thresholds(backed_out_in_a_row=1)) or ""
    assert "stopped you once;" in once


def test_coach_with_default_thresholds_is_unchanged() -> None:
    r = _rung()
    lad = Ladder((r, Rung.of(LIB[1], 50)), 0)
    calm = [done(LIB[0], after=25, at=NOW - timedelta(days=d)) for d in (1, 2)]
    assert coach(lad, calm, NOW) == coach(lad, calm, NOW, DEFAULT_THRESHOLDS)
    assert coach(lad, calm, NOW).step_up
