from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Outcome, Status
from rejection_tui.domain.validation import ValidationError
from tests.conftest import NOW, done, planned


def test_plan_then_rate_makes_a_done_attempt_with_a_gap(challenge: Challenge) -> None:
    attempt = planned(challenge, fear=70)
    assert attempt.status == Status.PLANNED and attempt.fear_after is None
    rated = attempt.rate(fear_after=40, outcome=Outcome.REJECTED, worry_happened=False, now=NOW)
    assert rated.status == Status.DONE
    assert rated.gap == 30
    assert rated.done_at == NOW
    assert rated.challenge_title == challenge.title and rated.level == challenge.level


def test_plan_refuses_a_bad_fear(challenge: Challenge) -> None:
    with pytest.raises(ValidationError) as caught:
        Attempt.plan(challenge, fear_before=120, now=NOW)
    assert caught.value.messages == ["Fear before must be a whole number from 0 to 100"]


def test_rate_refuses_bad_after_values(challenge: Challenge) -> None:
    with pytest.raises(ValidationError, match="Fear after must be a whole number"):
        planned(challenge).rate(fear_after=-3, outcome=Outcome.ACCEPTED, now=NOW)


def test_planned_attempt_cannot_carry_after_ratings(challenge: Challenge) -> None:
    with pytest.raises(ValidationError, match="cannot have after ratings"):
        replace(planned(challenge), fear_after=20).validated()


def test_done_attempt_needs_an_outcome(challenge: Challenge) -> None:
    broken = replace(done(challenge), outcome=None)
    assert "Outcome must be one of: rejected, accepted, partial, not_asked" in broken.problems()


def test_to_dict_has_every_contract_field(challenge: Challenge) -> None:
    assert set(done(challenge).to_dict()) == {
        "id", "challenge_id", "challenge_title", "level", "category", "status", "created_at",
        "done_at", "fear_before", "p_rejection", "worry", "worry_cost", "fear_after", "outcome",
        "worry_happened", "lesson", "note", "safety_behaviours",
    }  # fmt: skip


def test_dict_round_trip_keeps_offsets(challenge: Challenge) -> None:
    attempt = done(challenge)
    data = attempt.to_dict()
    assert data["created_at"] == "2026-11-20T18:30:00+01:00"
    assert Attempt.from_dict(data) == attempt


def test_from_dict_collects_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        Attempt.from_dict({"status": "maybe", "created_at": "2026-01-01T10:00:00", "outcome": "won"})
    assert caught.value.messages == [
        "Created at must include a time zone",
        "Status must be planned or done",
        "Outcome must be one of: rejected, accepted, partial, not_asked",
    ]


def test_from_dict_refuses_non_objects() -> None:
    with pytest.raises(ValidationError, match="must be an object"):
        Attempt.from_dict([1, 2])  # type: ignore[arg-type]


def test_challenge_round_trip_and_validation() -> None:
    custom = Challenge("c1", "Ask a neighbour for sugar", 2, "favours", source="custom")
    assert Challenge.from_dict(custom.to_dict()) == custom
    with pytest.raises(ValidationError) as caught:
        Challenge.from_dict({"id": "x", "title": "", "level": 11, "category": "nope"})
    assert caught.value.messages[:2] == ["Title cannot be empty", "Level must be a whole number from 1 to 10"]


scores = st.integers(0, 100)
texts = st.text(max_size=60).filter(
    lambda s: "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30))]),
)  # fmt: skip


@given(
    before=scores, after=scores, p=st.none() | scores, cost=st.none() | scores,
    worry=texts, lesson=texts, note=texts, outcome=st.sampled_from(list(Outcome)),
    happened=st.sampled_from([None, True, False]), created=moments, finished=moments,
    behaviours=st.lists(st.sampled_from(["rehearsed", "apologised", "other"]), unique=True),
)  # fmt: skip
def test_any_valid_attempt_survives_the_dict_round_trip(
    before: int, after: int, p: int | None, cost: int | None, worry: str,
    lesson: str, note: str, outcome: Outcome, happened: bool | None, created: datetime,
    finished: datetime, behaviours: list[str],
) -> None:  # fmt: skip
    challenge = builtin_challenges()[0]
    attempt = Attempt.plan(
        challenge, fear_before=before, p_rejection=p, worry=worry, worry_cost=cost, note=note, now=created
    )
    attempt = attempt.rate(
        fear_after=after, outcome=outcome, worry_happened=happened, lesson=lesson,
        safety_behaviours=tuple(behaviours), now=finished,
    )  # fmt: skip
    assert Attempt.from_dict(attempt.to_dict()) == attempt
