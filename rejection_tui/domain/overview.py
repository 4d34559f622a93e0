"""The Dashboard's numbers in one pass over the history (issue 12).

``attempts_this_week``, ``practice_streak``, ``rejections`` and
``weekly_gaps`` each walk the whole history and convert every attempt's
time to the local day again; with tens of thousands of attempts that was
most of the Dashboard's start-up. :func:`overview` walks it once and gives
exactly their answers (``tests/domain/test_overview.py`` compares them).

Paused days (``pauses.paused_days``) are their own state here as in the
functions it replaces: they neither break nor extend the streak
(``practice_streak(..., paused=...)``), and this week's goal leaves their
share out (``programs.weekly_target``), so a paused week is never missed.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from rejection_tui.domain.after_no import counts_as_rejection
from rejection_tui.domain.models import Attempt, Outcome, Status
from rejection_tui.domain.programs import WeekState, week_state, weekly_target
from rejection_tui.domain.progress import DEFAULT_WEEKLY_GOAL, monday


@dataclass(frozen=True)
class Overview:
    this_week: int
    """Done attempts this Monday–Sunday week (``attempts_this_week``)."""
    streak: int
    """``practice_streak``, paused days included as neither practice nor missed."""
    rejections: int
    """``rejections`` (a no that became a yes is not one)."""
    weekly_gaps: list[float | None]
    """``weekly_gaps`` for the last ``weeks`` weeks."""
    latest_gap: float | None
    """``stats.latest_gap`` of those (domain.stats itself loads only when first used)."""
    any_done: bool
    planned: list[Attempt]
    """The planned attempts, in the order given."""
    recent_done: list[Attempt]
    """The first ``recent`` done attempts, in the order given (newest first from ``list_attempts``)."""
    week_target: int = DEFAULT_WEEKLY_GOAL
    """This week's goal with its paused share left out (``programs.weekly_target``); 0: no goal."""
    week_state: WeekState = WeekState.OPEN
    """This week against its goal: met, open, or paused (no goal this week)."""
    paused_today: bool = False
    """Today is in a pause."""


def overview(
    attempts: list[Attempt],
    rest_days: AbstractSet[date],
    now: datetime,
    *,
    weeks: int = 12,
    recent: int = 5,
    paused: AbstractSet[date] = frozenset(),
    weekly_goal: int = DEFAULT_WEEKLY_GOAL,
) -> Overview:
    tz = now.tzinfo
    today = now.date()
    this_monday = monday(today)
    starts = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {start: i for i, start in enumerate(starts)}
    first_start = starts[0]
    gaps: list[list[int]] = [[] for _ in starts]
    days: set[date] = set()
    planned: list[Attempt] = []
    recent_done: list[Attempt] = []
    this_week = rejected = 0
    any_done = False
    done, rejected_outcome = Status.DONE, Outcome.REJECTED
    for attempt in attempts:
        if attempt.status != done:
            if attempt.status == Status.PLANNED:
                planned.append(attempt)
            continue
        any_done = True
        if len(recent_done) < recent:
            recent_done.append(attempt)
        if attempt.outcome == rejected_outcome and counts_as_rejection(attempt):
            rejected += 1
        if not attempt.done_at:
            continue
        day = attempt.done_at.astimezone(tz).date()  # progress.local_day
        days.add(day)
        if this_monday <= day <= today:
            this_week += 1
        if day >= first_start and attempt.fear_after is not None and not attempt.retro:  # Attempt.gap
            i = index.get(day - timedelta(days=day.weekday()))
            if i is not None:
                gaps[i].append(attempt.fear_before - attempt.fear_after)

    # progress.practice_streak, on the days gathered above.
    def kept(day: date) -> bool:
        return day in days or day in rest_days or day in paused

    cursor = today if kept(today) else today - timedelta(days=1)
    streak = 0
    while kept(cursor):
        streak += cursor in days
        cursor -= timedelta(days=1)
    weekly = [fmean(g) if g else None for g in gaps]
    target = weekly_target(weekly_goal, today, paused)
    return Overview(
        this_week=this_week,
        streak=streak,
        rejections=rejected,
        weekly_gaps=weekly,
        latest_gap=next((g for g in reversed(weekly) if g is not None), None),
        any_done=any_done,
        planned=planned,
        recent_done=recent_done,
        week_target=target,
        week_state=week_state(this_week, target, today, today),
        paused_today=today in paused,
    )
