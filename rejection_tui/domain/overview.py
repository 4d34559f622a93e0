"""The Dashboard's numbers in one pass over the history (issue 12).

``attempts_this_week``, ``practice_streak``, ``rejections`` and
``weekly_gaps`` each walk the whole history and convert every attempt's
time to the local day again; with tens of thousands of attempts that was
most of the Dashboard's start-up. :func:`overview` walks it once and gives
exactly their answers (``tests/domain/test_overview.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from rejection_tui.domain.models import Attempt, Outcome, Status
from rejection_tui.domain.progress import monday


@dataclass(frozen=True)
class Overview:
    this_week: int
    """Done attempts this Monday–Sunday week (``attempts_this_week``)."""
    streak: int
    """``practice_streak``."""
    rejections: int
    """``rejections``."""
    weekly_gaps: list[float | None]
    """``weekly_gaps`` for the last ``weeks`` weeks."""
    latest_gap: float | None
    """``stats.latest_gap`` of those (domain.stats itself loads only when first used)."""
    any_done: bool
    planned: list[Attempt]
    """The planned attempts, in the order given."""
    recent_done: list[Attempt]
    """The first ``recent`` done attempts, in the order given (newest first from ``list_attempts``)."""


def overview(
    attempts: list[Attempt], rest_days: AbstractSet[date], now: datetime, *, weeks: int = 12, recent: int = 5
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
        if attempt.outcome == rejected_outcome:
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
    cursor = today if today in days or today in rest_days else today - timedelta(days=1)
    streak = 0
    while cursor in days or cursor in rest_days:
        streak += cursor in days
        cursor -= timedelta(days=1)
    weekly = [fmean(g) if g else None for g in gaps]
    return Overview(
        this_week=this_week,
        streak=streak,
        rejections=rejected,
        weekly_gaps=weekly,
        latest_gap=next((g for g in reversed(weekly) if g is not None), None),
        any_done=any_done,
        planned=planned,
        recent_done=recent_done,
    )
