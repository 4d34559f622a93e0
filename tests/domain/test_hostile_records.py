"""Issue 10, point 8: whatever a hand-edited file holds, the readers of records and
settings raise ValidationError with sentences, never anything else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rejection_tui.domain.ladder import Ladder, Rung
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge
from rejection_tui.domain.settings import READERS, setting_problems
from rejection_tui.domain.validation import ValidationError, shown
from tests.conftest import NOW, done

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["done", "planned", "rejected", "2026-11-20T18:30:00+01:00", "9999-12-31T23:59:59+00:00",
                     "0001-01-01T00:00:00+00:00", "2026-11-20", "small_talk", "custom", "²", "30-day"]),
)  # fmt: skip
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip

ATTEMPT_KEYS = list(done(builtin_challenges()[0]).to_dict())
CHALLENGE_KEYS = [f.name for f in fields(Challenge)]
RUNG_KEYS = [f.name for f in fields(Rung)]


def mutated(base: dict[str, Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid record with some fields replaced by anything JSON can hold."""
    return st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys)).map(
        lambda changes: {**base, **changes}
    )


def only_validation_errors(read: Callable[[Any], object], value: object) -> None:
    try:
        read(value)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
        assert len(error.fields) == len(error.messages)


GOOD_ATTEMPT = done(builtin_challenges()[0], at=NOW).to_dict()
GOOD_CHALLENGE = Challenge("c1", "Ask a neighbour for sugar", 2, "favours", source="custom").to_dict()
GOOD_LADDER = Ladder((Rung.of(builtin_challenges()[0], 30),), 0).to_dict()


@settings(max_examples=300)
@given(json_values | mutated(GOOD_ATTEMPT, ATTEMPT_KEYS))
def test_attempt_from_dict_raises_only_validation_error(value: object) -> None:
    only_validation_errors(Attempt.from_dict, value)


@settings(max_examples=200)
@given(json_values | mutated(GOOD_CHALLENGE, CHALLENGE_KEYS))
def test_challenge_from_dict_raises_only_validation_error(value: object) -> None:
    only_validation_errors(Challenge.from_dict, value)


@settings(max_examples=200)
@given(
    json_values
    | mutated(GOOD_LADDER, ["rungs", "current"])
    | mutated(GOOD_LADDER["rungs"][0], RUNG_KEYS).map(lambda rung: {"rungs": [rung], "current": 0})
)
def test_ladder_from_dict_raises_only_validation_error(value: object) -> None:
    only_validation_errors(Ladder.from_dict, value)


@settings(max_examples=100)
@given(st.sampled_from(sorted(READERS)), json_values | st.fixed_dictionaries({"kind": json_values, "started_on": json_values}))
def test_settings_readers_raise_only_validation_error(key: str, value: object) -> None:
    only_validation_errors(READERS[key], value)
    assert all(isinstance(m, str) for m in setting_problems(key, value))


@given(json_values)
def test_shown_is_short_for_any_value(value: object) -> None:
    assert len(shown(value)) <= 45


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outcome": []}, "Outcome must be one of"),
        ({"outcome": {"a": 1}}, "Outcome must be one of"),
        ({"status": ["done"]}, "Status must be planned or done"),
        ({"worry": []}, "What you were afraid of must be text"),
        ({"note": 0}, "Note must be text"),
        ({"worry_happened": 1}, "Whether the feared thing happened must be yes, no or empty"),
        ({"safety_behaviours": "rehearsed"}, "Safety behaviours must be a list of names"),
        ({"safety_behaviours": [["x"]]}, "Safety behaviours must be a list of names"),
        ({"done_at": "9999-12-31T23:59:59+00:00"}, "Done at must be in the years 2000 to 2200"),
        ({"created_at": "0001-01-01T00:00:00+00:00"}, "Created at must be in the years 2000 to 2200"),
    ],
)
def test_wrong_types_in_an_attempt_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Attempt.from_dict({**GOOD_ATTEMPT, **changes})
    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages
    assert set(caught.value.fields) <= set(changes)


def test_a_custom_challenge_with_a_list_category_and_a_ladder_with_a_text_current() -> None:
    with pytest.raises(ValidationError) as caught:
        Challenge.from_dict({**GOOD_CHALLENGE, "category": []})
    assert caught.value.fields == ["category"]
    with pytest.raises(ValidationError) as caught:
        Ladder.from_dict({**GOOD_LADDER, "current": "abc"})
    assert caught.value.messages == ["The current rung must be a whole number"]
    assert caught.value.fields == ["current"]
    with pytest.raises(ValidationError, match="Rung 1: Expected fear"):
        Ladder.from_dict({"rungs": [{**GOOD_LADDER["rungs"][0], "expected_fear": "high"}], "current": 0})
