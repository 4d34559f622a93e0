"""Pauses: a stretch of days off for illness, travel or exams.

A pause is a date range, both ends included, with an optional reason. Its
days are their own state, never practice and never missed. Each rule that
counts days takes the paused days (:func:`paused_days`) where it lives, so
there is still one definition of each:

- streak: ``progress.practice_streak(..., paused=...)`` — paused days
  neither break the streak nor add to it;
- programs: ``programs.program_progress(..., paused=...)`` — the 30- or
  100-day clock stops on a paused day (shown as "paused"), so the program
  ends that many days later;
- weekly goal: ``programs.weekly_target`` / ``programs.weekly_goals(...,
  paused=...)`` — the goal shrinks with the paused share of the week, and
  a week paused (almost) entirely has no goal, so it is never missed.

Practice on a paused day still counts as practice: a pause only excuses.
Unlike rest days, a pause may start in the past (illness is often noted
afterwards) and has no weekly limit; it may last up to :data:`MAX_PAUSE_DAYS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rejection_tui.domain.validation import (
    YEAR_MAX,
    YEAR_MIN,
    FieldProblem,
    ValidationError,
    field_problems,
    text_error,
)

MAX_PAUSE_DAYS = 366
"""A pause lasts at most a year: long enough for any illness, trip or exam season, and short
enough that a mistyped year cannot pause the practice for centuries."""

PAUSED = "paused"
"""The calendar state of a paused day (``programs.CALENDAR_MARKS`` draws it)."""


def _date_error(value: object, label: str) -> str | None:
    # datetime is a subclass of date, but a pause is whole days.
    if not isinstance(value, date) or isinstance(value, datetime):
        return f"{label} must be a date"
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        return f"{label} must be in the years {YEAR_MIN} to {YEAR_MAX}"
    return None


@dataclass(frozen=True)
class Pause:
    start: date
    end: date
    """The last paused day (included)."""
    reason: str = ""

    @property
    def length(self) -> int:
        """Days in the pause, both ends included."""
        return (self.end - self.start).days + 1

    def days(self) -> Iterator[date]:
        for offset in range(self.length):
            yield self.start + timedelta(days=offset)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def field_problems(self) -> list[FieldProblem]:
        problems = field_problems(
            ("start", _date_error(self.start, "The first day of a pause")),
            ("end", _date_error(self.end, "The last day of a pause")),
            ("reason", text_error(self.reason, "The reason for a pause")),
        )
        if not problems:
            if self.end < self.start:
                problems.append(FieldProblem("end", "A pause ends on or after the day it starts"))
            elif self.length > MAX_PAUSE_DAYS:
                problems.append(
                    FieldProblem(
                        "end",
                        f"A pause lasts at most {MAX_PAUSE_DAYS} days (this one has {self.length}); "
                        "when it ends you can add another",
                    )
                )
        return problems

    def problems(self) -> list[str]:
        return [p.message for p in self.field_problems()]

    def validated(self) -> Pause:
        problems = self.field_problems()
        if problems:
            raise ValidationError.of(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "reason": self.reason}

    @classmethod
    def from_dict(cls, data: object) -> Pause:
        """A pause from its stored form (ISO dates); ``ValidationError`` names what is wrong."""
        if not isinstance(data, dict):
            raise ValidationError(["A pause must be an object with a start and an end date"])
        start, end = _stored_day(data.get("start")), _stored_day(data.get("end"))
        problems = field_problems(
            ("start", None if start else "The first day of a pause must be a date written as YYYY-MM-DD"),
            ("end", None if end else "The last day of a pause must be a date written as YYYY-MM-DD"),
        )
        if problems or start is None or end is None:
            raise ValidationError.of(problems)
        reason = data.get("reason")
        return cls(start, end, "" if reason is None else reason).validated()


def _stored_day(raw: object) -> date | None:
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def paused_days(pauses: Iterable[Pause]) -> set[date]:
    """Every day covered by one of ``pauses`` (overlaps count once)."""
    return {day for pause in pauses for day in pause.days()}


def overlap_error(pauses: Iterable[Pause], new: Pause) -> str | None:
    """Why ``new`` cannot be added beside ``pauses``: it overlaps one of them (change that one instead)."""
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.start <= new.end and new.start <= pause.end:
            return (
                f"This overlaps your pause from {pause.start:%a %d %b} to {pause.end:%a %d %b}; "
                "change that one instead"
            )
    return None


def add_pause(pauses: Iterable[Pause], new: Pause) -> tuple[Pause, ...]:
    """``pauses`` with ``new`` added, sorted by start; ``ValidationError`` when it is invalid or overlaps."""
    existing = tuple(pauses)
    new.validated()
    error = overlap_error(existing, new)
    if error:
        raise ValidationError([error], ["start"])
    return tuple(sorted((*existing, new), key=lambda p: p.start))


def current_pause(pauses: Iterable[Pause], today: date) -> Pause | None:
    """The pause ``today`` falls in, or None."""
    return next((p for p in pauses if p.covers(today)), None)


def pause_line(pause: Pause, today: date) -> str:
    """The Dashboard's line during a pause (plain text: the UI shows the reason as data, not markup)."""
    until = "today" if pause.end == today else f"{pause.end:%a %d %b}"
    words = " ".join(pause.reason.split())
    reason = f" ({words})" if words else ""
    return (
        f"Paused until {until}{reason}: your weekly goal, programs and streak wait for you. "
        "Practising anyway still counts."
    )
