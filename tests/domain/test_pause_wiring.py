"""Pauses reach the numbers the app shows (issue 16, item 5): the Dashboard's overview.

``overview`` is what the Dashboard draws its week, streak and rejections
from; with pauses it must give the answers of the rules it replaces
(``practice_streak(..., paused=...)``, ``weekly_target``), so a paused day
is neither practice nor missed there either.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from benchmarks.journal_factory import sample_attempts
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Outcome
from rejection_tui.domain.overview import overview
from rejection_tui.domain.pauses import Pause, paused_days
from rejection_tui.domain.programs import WeekState, weekly_target
from rejection_tui.domain.progress import attempts_this_week, practice_streak
from tests.conftest import done

LIB = builtin_challenges()
NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # a Thursday
TODAY = NOW.date()
MONDAY = TODAY - timedelta(days=3)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def on(offset: int, outcome: Outcome = Outcome.REJECTED) -> Attempt:
    return done(LIB[0], outcome=outcome, at=datetime.combine(day(offset), time(12), tzinfo=UTC))


def test_a_pause_keeps_the_dashboard_streak_and_adds_nothing_to_it() -> None:
    attempts = [on(0), on(-4), on(-5)]
    assert overview(attempts, set(), NOW).streak == 1  # three empty days ended it
    flu = paused_days([Pause(day(-3), day(-1), "flu")])
    numbers = overview(attempts, set(), NOW, paused=flu)
    assert numbers.streak == 3  # not broken, and the paused days are not practice
    assert numbers.paused_today is False


def test_the_weekly_goal_leaves_the_paused_share_of_the_week_out() -> None:
    attempts = [on(-3)]  # one ask on Monday
    plain = overview(attempts, set(), NOW, weekly_goal=3)
    assert (plain.this_week, plain.week_target, plain.week_state) == (1, 3, WeekState.OPEN)
    # Paused Tuesday to Sunday: six of seven days, so no goal this week at all.
    away = paused_days([Pause(MONDAY + timedelta(days=1), MONDAY + timedelta(days=6), "exams")])
    paused = overview(attempts, set(), NOW, weekly_goal=3, paused=away)
    assert (paused.this_week, paused.week_target, paused.week_state) == (1, 0, WeekState.PAUSED)
    assert paused.paused_today is True
    # Three paused days: the goal of 3 becomes 2, and the one ask already counts towards it.
    three = paused_days([Pause(MONDAY + timedelta(days=4), MONDAY + timedelta(days=6))])
    partly = overview([on(-3), on(-2)], set(), NOW, weekly_goal=3, paused=three)
    assert (partly.week_target, partly.week_state) == (2, WeekState.MET)


def test_practice_during_a_pause_still_counts() -> None:
    attempts = [on(0), on(-1)]
    numbers = overview(attempts, set(), NOW, paused=paused_days([Pause(day(-1), day(0))]))
    assert numbers.streak == 2 and numbers.this_week == 2 and numbers.rejections == 2


def test_a_no_that_became_a_yes_is_not_among_the_dashboards_rejections() -> None:
    turned = replace(on(-1), no_became_yes=True)
    attempts = [on(0), turned, on(-2, Outcome.ACCEPTED)]
    assert overview(attempts, set(), NOW).rejections == 1


ZONES = [UTC, timezone(timedelta(hours=-9, minutes=-30)), timezone(timedelta(hours=13))]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("goal", [1, 3, 7])
def test_overview_with_pauses_gives_the_answers_of_the_rules(zone: timezone, seed: int, goal: int) -> None:
    end = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    attempts = sorted(
        sample_attempts(300, seed=seed, end=end), key=lambda a: a.done_at or a.created_at, reverse=True
    )
    now = end.astimezone(zone)
    today = now.date()
    pauses = [
        Pause(today - timedelta(days=seed + 2), today - timedelta(days=1)),
        Pause(today - timedelta(days=30), today - timedelta(days=22 - seed)),
        Pause(today + timedelta(days=seed - 2), today + timedelta(days=5)),
    ]
    paused = paused_days(pauses)
    rest = {today - timedelta(days=d) for d in (9, 12)}
    numbers = overview(attempts, rest, now, paused=paused, weekly_goal=goal)
    assert numbers.streak == practice_streak(attempts, rest, now, paused=paused)
    assert numbers.this_week == attempts_this_week(attempts, now)
    assert numbers.week_target == weekly_target(goal, today, paused)
    assert numbers.paused_today == (today in paused)
    # Without pauses, exactly the numbers of before.
    assert overview(attempts, rest, now).streak == practice_streak(attempts, rest, now)
