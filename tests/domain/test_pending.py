"""What waits to be rated (domain/pending.py) and retro entries in the statistics."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.domain.overview import overview
from rejection_tui.domain.pending import (
    newest,
    remind_text,
    status_text,
    waited_phrase,
    waited_text,
    waiting,
)
from rejection_tui.domain.stats import (
    calibration,
    challenge_series,
    fear_by_level,
    fear_over_time,
    mean_fears,
    weekly_gaps,
)
from tests.conftest import NOW, done, planned


def test_the_longest_waiting_come_first_and_a_day_makes_one_overdue(challenge: Challenge) -> None:
    old = planned(challenge, at=NOW - timedelta(days=2))
    day = planned(challenge, at=NOW - timedelta(hours=24))
    fresh = planned(challenge, at=NOW - timedelta(hours=23, minutes=59))
    finished = done(challenge, at=NOW - timedelta(days=5))
    queue = waiting([fresh, finished, old, day], NOW)
    assert [w.attempt for w in queue] == [old, day, fresh]
    assert [w.overdue for w in queue] == [True, True, False]
    assert newest(queue) is not None and newest(queue).attempt == fresh  # type: ignore[union-attr]
    assert newest([]) is None


def test_a_plan_from_a_clock_ahead_never_waits_a_negative_time(challenge: Challenge) -> None:
    (ahead,) = waiting([planned(challenge, at=NOW + timedelta(hours=1))], NOW)
    assert ahead.waited == timedelta(0) and not ahead.overdue


@pytest.mark.parametrize(
    ("waited", "text"),
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=59), "59 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=47), "47 hours"),
        (timedelta(hours=48), "2 days"),
        (timedelta(days=400), "400 days"),
    ],
)
def test_waited_text(waited: timedelta, text: str) -> None:
    assert waited_text(waited) == text
    assert waited_phrase(waited) == ("planned just now" if text == "just now" else f"planned {text} ago")


def test_the_reminder_and_the_status_never_hold_a_title(challenge: Challenge) -> None:
    secret = replace(challenge, title="Tell my boss about the panic attacks")
    queue = waiting([planned(secret, at=NOW - timedelta(days=1)), planned(secret)], NOW)
    assert remind_text(len(queue)) == "2 planned asks are waiting to be rated — rejection-tui rate"
    assert remind_text(1) == "1 planned ask is waiting to be rated — rejection-tui rate"
    assert remind_text(0) is None
    status = status_text(queue)
    assert status == f"pending=2\noldest={int((NOW - timedelta(days=1)).timestamp())}\n"
    assert status_text([]) == "pending=0\noldest=0\n"


def retro(attempt: Attempt) -> Attempt:
    return replace(attempt, retro=True, via="shell")


def test_retro_entries_stay_out_of_the_gap_its_charts_and_calibration(challenge: Challenge) -> None:
    forecast = done(challenge, before=70, after=40, at=NOW - timedelta(days=1))
    hindsight = retro(done(challenge, before=90, after=10, at=NOW - timedelta(days=1)))
    assert forecast.gap == 30 and hindsight.gap is None
    both = [forecast, hindsight]
    assert mean_fears(both) == mean_fears([forecast])
    assert weekly_gaps(both, NOW) == weekly_gaps([forecast], NOW)
    assert overview(both, set(), NOW).weekly_gaps == overview([forecast], set(), NOW).weekly_gaps
    series = fear_over_time(both, NOW, 50)
    assert series.before == [70.0] and series.after == [40.0]
    assert fear_by_level(both) == fear_by_level([forecast])
    assert challenge_series(both, challenge.id) == challenge_series([forecast], challenge.id)
    assert calibration(both) == calibration([forecast])
    # Still practice: it counts for the week, the streak and the rejections.
    numbers = overview(both, set(), NOW)
    assert numbers.rejections == 2 and numbers.this_week == overview([forecast], set(), NOW).this_week + 1


def test_retro_and_via_round_trip_and_are_checked(challenge: Challenge) -> None:
    attempt = retro(done(challenge, outcome=Outcome.ACCEPTED))
    assert Attempt.from_dict(attempt.to_dict()) == attempt
    plain = done(challenge)
    assert "retro" not in plain.to_dict() and "via" not in plain.to_dict()
    assert Attempt.from_dict({**plain.to_dict(), "retro": None, "via": None}) == plain
    assert replace(plain, retro="yes").problems() == ["Retro must be true or false"]  # type: ignore[arg-type]
    assert replace(plain, via="fax").problems() == ["Via must be app or shell"]
