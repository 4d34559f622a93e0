"""The Dashboard's numbers in one pass (domain.overview) equal the functions they replace."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.models import Attempt, Outcome, Status
from rejection_tui.domain.overview import overview
from rejection_tui.domain.progress import attempts_this_week, practice_streak, recent_asks, rejections
from rejection_tui.domain.stats import latest_gap, weekly_gaps

ZONES = [UTC, timezone(timedelta(hours=-9, minutes=-30)), timezone(timedelta(hours=13))]


def newest_first(attempts: list[Attempt]) -> list[Attempt]:
    return sorted(attempts, key=lambda a: a.done_at or a.created_at, reverse=True)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 40, 400])
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("seed", [1, 2])
def test_overview_gives_the_answers_of_the_functions_it_replaces(count: int, zone: timezone, seed: int) -> None:
    end = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    attempts = newest_first(sample_attempts(count, seed=seed, end=end))
    for now in (end.astimezone(zone), (end + timedelta(days=1, hours=3)).astimezone(zone)):
        rest = {now.date() - timedelta(days=d) for d in (0, 2, 9)} if seed == 2 else set()
        numbers = overview(attempts, rest, now, weeks=12)
        assert numbers.this_week == attempts_this_week(attempts, now)
        assert numbers.streak == practice_streak(attempts, rest, now)
        assert numbers.rejections == rejections(attempts)
        assert numbers.weekly_gaps == weekly_gaps(attempts, now, weeks=12)
        assert numbers.latest_gap == latest_gap(numbers.weekly_gaps)
        assert numbers.any_done == any(a.status == Status.DONE for a in attempts)
        assert numbers.planned == [a for a in attempts if a.status == Status.PLANNED]
        assert numbers.recent_done == [a for a in attempts if a.status == Status.DONE][:5]


def test_recent_asks_breaks_ties_as_the_stable_sort_did() -> None:
    same = datetime(2026, 11, 20, 12, tzinfo=UTC)  # every done attempt at one moment
    tied = [replace(a, done_at=same) if a.is_done else a for a in sample_attempts(30, seed=4)]
    asked = [a for a in tied if a.is_done and a.outcome != Outcome.NOT_ASKED]
    for window in (1, 5, 10, 40):
        expected = sorted(asked, key=lambda a: a.done_at or a.created_at)[-window:]
        assert [id(a) for a in recent_asks(tied, window)] == [id(a) for a in expected]
