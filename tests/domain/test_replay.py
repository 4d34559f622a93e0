from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_tui.domain.replay import (
    HIGH_REPLAY,
    REPLAY_QUESTION,
    SELF_COMPASSION_LINES,
    due_replays,
    is_high_replay,
    next_replay,
    replay_due,
    replay_error,
    replay_prompt,
)

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Rated:
    """Stands in for an attempt (models.Attempt gets ``replay`` and ``replay_skipped`` later)."""

    id: str
    done_at: datetime | None
    replay: int | None = None
    replay_skipped: bool = False


def due(done_at: datetime, now: datetime) -> bool:
    return replay_due(done_at, now, answered=False, skipped=False)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two moments (subtracting in one zone would give wall-clock time)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def test_due_only_on_the_next_local_day() -> None:
    done_at = datetime(2026, 11, 19, 21, 0, tzinfo=BERLIN)
    assert not due(done_at, datetime(2026, 11, 19, 23, 59, tzinfo=BERLIN))  # the same day
    assert due(done_at, datetime(2026, 11, 20, 0, 1, tzinfo=BERLIN))  # three hours later, but the next day
    assert due(done_at, datetime(2026, 11, 20, 23, 59, tzinfo=BERLIN))
    assert not due(done_at, datetime(2026, 11, 21, 0, 0, tzinfo=BERLIN))  # the day after next: too late
    assert not due(done_at, datetime(2026, 11, 18, 12, 0, tzinfo=BERLIN))  # a clock set back


def test_never_due_once_answered_or_skipped() -> None:
    done_at = datetime(2026, 11, 19, 21, 0, tzinfo=BERLIN)
    now = datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN)
    assert replay_due(done_at, now, answered=False, skipped=False)
    assert not replay_due(done_at, now, answered=True, skipped=False)
    assert not replay_due(done_at, now, answered=False, skipped=True)


def test_spring_forward_in_berlin_counts_local_days_not_24_hours() -> None:
    # Clocks went from 02:00 to 03:00 on Sunday 29 March 2026: that day has 23 hours.
    done_at = datetime(2026, 3, 28, 23, 30, tzinfo=BERLIN)  # Saturday, CET (+1)
    sunday_late = datetime(2026, 3, 29, 23, 50, tzinfo=BERLIN)  # CEST (+2): 23h20m later
    monday_early = datetime(2026, 3, 30, 0, 10, tzinfo=BERLIN)  # 23h40m later, yet two days on
    assert elapsed(done_at, sunday_late) == timedelta(hours=23, minutes=20)
    assert elapsed(done_at, monday_early) == timedelta(hours=23, minutes=40)
    assert due(done_at, sunday_late)
    assert not due(done_at, monday_early)
    # An ask at 01:30 on the Sunday, just before the clocks jumped.
    night = datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN)
    assert due(night, datetime(2026, 3, 30, 8, 0, tzinfo=BERLIN))
    assert not due(night, datetime(2026, 3, 29, 23, 0, tzinfo=BERLIN))


def test_fall_back_in_berlin_counts_local_days_not_24_hours() -> None:
    # Clocks went from 03:00 back to 02:00 on Sunday 25 October 2026: that day has 25 hours.
    done_at = datetime(2026, 10, 24, 0, 10, tzinfo=BERLIN)  # Saturday just after midnight, CEST
    sunday_late = datetime(2026, 10, 25, 23, 50, tzinfo=BERLIN)  # CET: 48h40m later, still the next day
    assert elapsed(done_at, sunday_late) == timedelta(hours=48, minutes=40)
    assert due(done_at, sunday_late)
    # Late on Saturday, then Sunday night: 25 hours apart, the next day.
    saturday_late = datetime(2026, 10, 24, 23, 30, tzinfo=BERLIN)
    assert due(saturday_late, datetime(2026, 10, 25, 23, 45, tzinfo=BERLIN))
    assert not due(saturday_late, datetime(2026, 10, 26, 0, 15, tzinfo=BERLIN))
    # The repeated hour: 02:30 happens twice; both are Sunday, both asked about on Monday.
    first = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0)
    second = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1)
    assert first.utcoffset() == timedelta(hours=2) and second.utcoffset() == timedelta(hours=1)
    monday = datetime(2026, 10, 26, 7, 0, tzinfo=BERLIN)
    assert due(first, monday) and due(second, monday)


def test_the_day_is_where_the_person_is_now() -> None:
    # Stored with a UTC offset: 23:30 UTC on the 19th is 00:30 on the 20th in Berlin.
    done_at = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    assert not due(done_at, datetime(2026, 11, 20, 20, 0, tzinfo=BERLIN))  # the same Berlin day
    assert due(done_at, datetime(2026, 11, 21, 8, 0, tzinfo=BERLIN))
    # After flying to New York (UTC-5) it was still the 19th there.
    new_york = timezone(timedelta(hours=-5))
    assert due(done_at, datetime(2026, 11, 20, 8, 0, tzinfo=new_york))


@given(
    moment=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    hour=st.integers(0, 23),
)
def test_due_on_exactly_one_day_around_the_attempt(moment: datetime, hour: int) -> None:
    done_at = moment.replace(tzinfo=BERLIN)
    day = done_at.date()
    checks = {offset: due(done_at, berlin(day + timedelta(days=offset), hour)) for offset in range(-2, 4)}
    assert [offset for offset, is_due in checks.items() if is_due] == [1]


def test_the_oldest_due_attempt_comes_first_one_at_a_time() -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN)
    yesterday = now.date() - timedelta(days=1)
    morning = Rated("morning", berlin(yesterday, 8))
    evening = Rated("evening", berlin(yesterday, 20))
    answered = Rated("answered", berlin(yesterday, 7), replay=40)
    skipped = Rated("skipped", berlin(yesterday, 6), replay_skipped=True)
    older = Rated("older", berlin(yesterday - timedelta(days=1), 12))
    today = Rated("today", berlin(now.date(), 8))
    planned = Rated("planned", None)
    attempts = [evening, planned, today, answered, older, morning, skipped]
    assert [a.id for a in due_replays(attempts, now)] == ["morning", "evening"]
    assert next_replay(attempts, now) == morning
    # Answering (or skipping) it brings up the next.
    after = [Rated("morning", morning.done_at, replay=10) if a is morning else a for a in attempts]
    assert next_replay(after, now) == evening
    assert next_replay([older, today, planned], now) is None
    assert next_replay([], now) is None


def test_a_zero_answer_counts_as_answered() -> None:
    now = datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN)
    assert next_replay([Rated("a", now - timedelta(days=1), replay=0)], now) is None


def test_high_replay_threshold() -> None:
    assert HIGH_REPLAY == 50
    assert is_high_replay(HIGH_REPLAY)
    assert is_high_replay(100)
    assert not is_high_replay(HIGH_REPLAY - 1)
    assert not is_high_replay(None)


def test_three_kind_lines_that_promise_nothing() -> None:
    assert len(SELF_COMPASSION_LINES) == 3
    for line in SELF_COMPASSION_LINES:
        assert line.endswith(".") and len(line) <= 100  # fits an 80-column dialog in two lines at most
        lowered = line.lower()
        assert not any(word in lowered for word in ("works", "cure", "therapy", "should", "must"))


@pytest.mark.parametrize("value", [-1, 101, 50.5, True, "50"])
def test_replay_answer_is_a_score(value: object) -> None:
    assert replay_error(value) is not None


def test_replay_answer_may_be_empty_or_0_to_100() -> None:
    assert replay_error(None) is None
    assert replay_error(0) is None
    assert replay_error(100) is None


def test_prompt_names_the_ask() -> None:
    assert replay_prompt("Ask for a discount") == f"Yesterday: Ask for a discount. {REPLAY_QUESTION}"
    assert REPLAY_QUESTION == "How much have you gone over it since? (0–100)"
