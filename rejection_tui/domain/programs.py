"""Programs (weekly goal, 30-day and 100-day challenges) and rest days.

Days are local calendar days, as everywhere (see ``progress``); the streak,
which rest days keep going, is ``progress.practice_streak``.

Paused days (``pauses.paused_days``) are their own state here too, never
practice and never missed: a program's clock stops on them (it ends that
many days later), and a week's goal shrinks with the share of the week that
is paused (:func:`weekly_target`); a fully paused week has no goal at all.
Without pauses every rule is exactly what it was before pauses existed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from rejection_tui.domain.after_no import counts_as_rejection
from rejection_tui.domain.models import Attempt
from rejection_tui.domain.progress import done_attempts, local_day, monday
from rejection_tui.domain.text import counted
from rejection_tui.domain.validation import ValidationError

WEEKLY_GOAL_RANGE = (1, 14)
MAX_REST_DAYS_A_WEEK = 2


class ProgramKind(StrEnum):
    DAYS_30 = "30-day"
    DAYS_100 = "100-day"

    @property
    def days(self) -> int:
        return 30 if self == ProgramKind.DAYS_30 else 100


@dataclass(frozen=True)
class Program:
    kind: ProgramKind
    started_on: date

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "started_on": self.started_on.isoformat()}

    @classmethod
    def from_dict(cls, data: Any) -> Program | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(ProgramKind(data["kind"]), date.fromisoformat(data["started_on"]))
        except (KeyError, ValueError, TypeError):
            return None


def weekly_goal_error(value: object) -> str | None:
    low, high = WEEKLY_GOAL_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"The weekly goal must be a whole number from {low} to {high}"
    return None


def rejection_days(attempts: Iterable[Attempt], now: datetime) -> set[date]:
    """Days with at least one rejection: what a rejection-a-day challenge counts (a no that
    became a yes is no rejection: ``after_no.counts_as_rejection``)."""
    done = done_attempts(attempts)
    return {local_day(a.done_at, now) for a in done if a.done_at and counts_as_rejection(a)}


def rest_day_error(rest_days: set[date], day: date, today: date) -> str | None:
    """Rest days are planned ahead, at most two in a Monday–Sunday week."""
    if day < today:
        return "Rest days are planned ahead: pick today or a later day"
    first = monday(day)
    same_week = [d for d in rest_days if first <= d < first + timedelta(days=7) and d != day]
    if len(same_week) >= MAX_REST_DAYS_A_WEEK:
        return f"At most {MAX_REST_DAYS_A_WEEK} rest days a week keep the practice going"
    return None


def rest_days_of(raw: object) -> set[date]:
    """Rest days from their stored form (ISO dates); anything unreadable is skipped."""
    days = set()
    for value in raw if isinstance(raw, list) else []:
        with contextlib.suppress(TypeError, ValueError):
            days.add(date.fromisoformat(value))
    return days


def add_rest_day(rest_days: set[date], day: date, today: date) -> set[date]:
    error = rest_day_error(rest_days, day, today)
    if error:
        raise ValidationError([error])
    return rest_days | {day}


@dataclass(frozen=True)
class ProgramProgress:
    day: int
    """Today's place among the program's days (paused days before today not counted)."""
    total: int
    achieved: int
    calendar: list[tuple[date, str]]
    """(day, state) with state: done, rest, paused, missed, today, ahead. ``total`` program
    days plus the paused days among them."""
    paused: int = 0
    """Paused days in the calendar: the program ends this many days later."""

    @property
    def finished(self) -> bool:
        return self.day > self.total

    @property
    def ends_on(self) -> date:
        """The program's last day (later by the paused days)."""
        return self.calendar[-1][0]


def program_progress(
    program: Program,
    attempts: Iterable[Attempt],
    rest_days: AbstractSet[date],
    now: datetime,
    *,
    paused: AbstractSet[date] = frozenset(),
) -> ProgramProgress:
    """Where the program stands today, with one calendar state per day.

    A paused day without a rejection is neither a program day nor missed: it
    shows as "paused" and the program gains a day at the end. A rejection on
    a paused day counts as usual ("done"): doing it anyway is never lost.
    """
    hits = rejection_days(attempts, now)
    today = now.date()
    total = program.kind.days
    calendar = []
    day = program.started_on
    program_days = 0
    while program_days < total:
        if day in hits:
            state = "done"
        elif day in paused:
            state = "paused"
        elif day in rest_days:
            state = "rest"
        elif day == today:
            state = "today"
        elif day < today:
            state = "missed"
        else:
            state = "ahead"
        calendar.append((day, state))
        program_days += state != "paused"
        day += timedelta(days=1)
    paused_before_today = sum(1 for d in paused if program.started_on <= d < today and d not in hits)
    return ProgramProgress(
        day=(today - program.started_on).days + 1 - paused_before_today,
        total=total,
        achieved=sum(1 for _, s in calendar if s == "done"),
        calendar=calendar,
        paused=len(calendar) - total,
    )


def progress_line(program: Program, progress: ProgramProgress) -> str:
    """ "30-day challenge: day 5 / 30, 3 rejection days" (plain text), and the paused days if any."""
    paused = f", {counted(progress.paused, 'day')} paused" if progress.paused else ""
    return (
        f"{program.kind.value} challenge: day {min(progress.day, progress.total)} / "
        f"{progress.total}, {counted(progress.achieved, 'rejection day')}{paused}"
    )


class WeekState(StrEnum):
    MET = "met"
    MISSED = "missed"
    PAUSED = "paused"
    """Paused for most of the week: no goal, neither met nor missed."""
    OPEN = "open"
    """This week (or a later one), not met yet: nothing is missed while it runs."""


@dataclass(frozen=True)
class WeekGoal:
    start: date
    """The Monday."""
    done: int
    """Done attempts that week (up to today), as ``progress.attempts_this_week`` counts them."""
    target: int
    """The weekly goal for that week: lower when some of it was paused (:func:`weekly_target`)."""
    state: WeekState


def weekly_target(goal: int, week: date, paused: AbstractSet[date] = frozenset()) -> int:
    """The weekly goal for the Monday–Sunday week holding ``week``, with its paused days left out.

    The goal shrinks with the share of the week that is open, rounded to the
    nearest whole ask (halves up): a goal of 3 stays 3 with one paused day,
    is 2 with three and 0 (no goal) with six. The same goal without pauses.
    """
    first = monday(week)
    open_days = sum(1 for i in range(7) if first + timedelta(days=i) not in paused)
    return (2 * goal * open_days + 7) // 14


def week_state(done: int, target: int, week: date, today: date) -> WeekState:
    """Met, missed, paused (no goal that week) or still open (this week or later)."""
    if target == 0:
        return WeekState.PAUSED
    if done >= target:
        return WeekState.MET
    return WeekState.MISSED if monday(week) + timedelta(days=6) < today else WeekState.OPEN


def weekly_goals(
    attempts: Iterable[Attempt],
    goal: int,
    now: datetime,
    *,
    weeks: int = 12,
    paused: AbstractSet[date] = frozenset(),
) -> list[WeekGoal]:
    """The goal of each of the last ``weeks`` weeks, oldest first, this week last."""
    today = now.date()
    starts = [monday(today) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    counts = dict.fromkeys(starts, 0)
    for a in done_attempts(attempts):
        if a.done_at:
            day = local_day(a.done_at, now)
            if day <= today and monday(day) in counts:
                counts[monday(day)] += 1
    result = []
    for start in starts:
        target = weekly_target(goal, start, paused)
        result.append(WeekGoal(start, counts[start], target, week_state(counts[start], target, start, today)))
    return result


CALENDAR_MARKS = {"done": "●", "rest": "~", "paused": "‖", "missed": "·", "today": "◌", "ahead": " "}


def calendar_strip(progress: ProgramProgress) -> str:
    """The calendar as one mark per day, in rows of ten."""
    marks = [CALENDAR_MARKS[state] for _, state in progress.calendar]
    return "\n".join(" ".join(marks[i : i + 10]) for i in range(0, len(marks), 10))
