"""Programs (weekly goal, 30-day and 100-day challenges) and rest days.

Days are local calendar days, as everywhere (see ``progress``); the streak,
which rest days keep going, is ``progress.practice_streak``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from rejection_tui.domain.models import Attempt, Outcome
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
    """Days with at least one rejection: what a rejection-a-day challenge counts."""
    return {
        local_day(a.done_at, now)
        for a in done_attempts(attempts)
        if a.done_at and a.outcome == Outcome.REJECTED
    }


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
    total: int
    achieved: int
    calendar: list[tuple[date, str]]
    """(day, state) with state: done, rest, missed, today, ahead."""

    @property
    def finished(self) -> bool:
        return self.day > self.total


def program_progress(
    program: Program, attempts: Iterable[Attempt], rest_days: set[date], now: datetime
) -> ProgramProgress:
    hits = rejection_days(attempts, now)
    today = now.date()
    total = program.kind.days
    calendar = []
    for offset in range(total):
        day = program.started_on + timedelta(days=offset)
        if day in hits:
            state = "done"
        elif day in rest_days:
            state = "rest"
        elif day == today:
            state = "today"
        elif day < today:
            state = "missed"
        else:
            state = "ahead"
        calendar.append((day, state))
    return ProgramProgress(
        day=(today - program.started_on).days + 1,
        total=total,
        achieved=sum(1 for _, s in calendar if s == "done"),
        calendar=calendar,
    )


def progress_line(program: Program, progress: ProgramProgress) -> str:
    """ "30-day challenge: day 5 / 30, 3 rejection days" (plain text)."""
    return (
        f"{program.kind.value} challenge: day {min(progress.day, progress.total)} / "
        f"{progress.total}, {counted(progress.achieved, 'rejection day')}"
    )


CALENDAR_MARKS = {"done": "●", "rest": "~", "missed": "·", "today": "◌", "ahead": " "}


def calendar_strip(progress: ProgramProgress) -> str:
    """The calendar as one mark per day, in rows of ten."""
    marks = [CALENDAR_MARKS[state] for _, state in progress.calendar]
    return "\n".join(" ".join(marks[i : i + 10]) for i in range(0, len(marks), 10))
