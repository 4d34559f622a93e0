"""Keeping the gains: a few booster asks after a ladder is mastered or a program ends.

Fear often comes back after a break; an occasional ask at a level already
mastered, at growing intervals, keeps the practice fresh (an expanding
schedule kept fear from returning better than massed practice in a small
study, Rowe & Craske 1998; see the project reference). The plan is an
offer, never a duty:

- booster dates: about 1, 2, 4 and 8 weeks after the day the ladder was
  mastered or the program ended (:data:`BOOSTER_WEEKS`);
- a booster is done by an ask (any outcome but "didn't ask") at one of the
  mastered levels on or after its date, by local days as everywhere;
- one booster is due at a time: the latest whose date has come and that is
  not done. A booster missed while the next one came due folds into it, so
  a late ask catches up in one go and the plan never piles up;
- when the last one is done the plan is over, and nothing more is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from rejection_tui.domain.ladder import Ladder, Rung, attempts_on, mastery
from rejection_tui.domain.models import Attempt
from rejection_tui.domain.progress import ASKED_OUTCOMES, done_attempts, local_day
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds

BOOSTER_WEEKS: tuple[int, ...] = (1, 2, 4, 8)
"""Weeks after the start; each gap doubles, so the asks thin out as the gains settle."""


@dataclass(frozen=True)
class Booster:
    number: int
    """1 for the first booster."""
    due_on: date
    total: int
    """How many boosters the plan has."""


class BoosterState(StrEnum):
    DONE = "done"
    DUE = "due"
    FOLDED = "folded"
    """Its date passed without an ask, and a later booster is due now: one ask covers both."""
    AHEAD = "ahead"


def booster_dates(since: date, weeks: Sequence[int] = BOOSTER_WEEKS) -> tuple[date, ...]:
    """The booster dates after ``since`` (the day the ladder was mastered or the program ended)."""
    return tuple(since + timedelta(weeks=w) for w in weeks)


def boosters(since: date, weeks: Sequence[int] = BOOSTER_WEEKS) -> tuple[Booster, ...]:
    dates = booster_dates(since, weeks)
    return tuple(Booster(i + 1, day, len(dates)) for i, day in enumerate(dates))


def last_booster_ask(attempts: Iterable[Attempt], levels: AbstractSet[int], now: datetime) -> date | None:
    """The local day of the latest ask (up to today) at one of ``levels``, or None."""
    today = now.date()
    days = [
        day
        for a in done_attempts(attempts)
        if a.done_at and a.outcome in ASKED_OUTCOMES and a.level in levels
        for day in (local_day(a.done_at, now),)
        if day <= today
    ]
    return max(days, default=None)


def booster_states(
    since: date,
    attempts: Iterable[Attempt],
    levels: AbstractSet[int],
    now: datetime,
    weeks: Sequence[int] = BOOSTER_WEEKS,
) -> list[tuple[Booster, BoosterState]]:
    """Every booster of the plan with its state today (at most one is due)."""
    today = now.date()
    last = last_booster_ask(attempts, levels, now)
    plan = boosters(since, weeks)
    open_ = [b for b in plan if b.due_on <= today and (last is None or last < b.due_on)]
    due = open_[-1] if open_ else None
    states = []
    for b in plan:
        if last is not None and last >= b.due_on:
            state = BoosterState.DONE
        elif b == due:
            state = BoosterState.DUE
        elif b.due_on <= today:
            state = BoosterState.FOLDED
        else:
            state = BoosterState.AHEAD
        states.append((b, state))
    return states


def due_booster(
    since: date,
    attempts: Iterable[Attempt],
    levels: AbstractSet[int],
    now: datetime,
    weeks: Sequence[int] = BOOSTER_WEEKS,
) -> Booster | None:
    """The booster the Dashboard shows today, or None (none due yet, or the plan is done)."""
    return next(
        (b for b, state in booster_states(since, attempts, levels, now, weeks) if state == BoosterState.DUE),
        None,
    )


def plan_done(
    since: date,
    attempts: Iterable[Attempt],
    levels: AbstractSet[int],
    now: datetime,
    weeks: Sequence[int] = BOOSTER_WEEKS,
) -> bool:
    """Whether the last booster is done (the plan is over)."""
    return booster_states(since, attempts, levels, now, weeks)[-1][1] == BoosterState.DONE


def booster_line(booster: Booster, today: date) -> str:
    """The Dashboard line for a due booster (plain text)."""
    since = "" if booster.due_on == today else f" (since {booster.due_on:%a %d %b})"
    return (
        f"Keeping the gains: booster {booster.number} of {booster.total} is ready{since} — "
        "one ask at a level you've already mastered keeps it fresh."
    )


def maintenance_offer(finished: str) -> str:
    """The offer when something is finished, e.g. ``maintenance_offer("your ladder")``."""
    weeks = ", ".join(str(w) for w in BOOSTER_WEEKS[:-1]) + f" and {BOOSTER_WEEKS[-1]}"
    return (
        f"You've finished {finished}. If you like, the Dashboard can suggest one ask at a level "
        f"you've mastered after about {weeks} weeks, to keep it fresh."
    )


def mastered_on(
    rung: Rung, attempts: Iterable[Attempt], now: datetime, t: Thresholds = DEFAULT_THRESHOLDS
) -> date | None:
    """The local day the rung first counted as mastered (``ladder.mastery``), or None.

    For a ladder, the booster plan starts on the day its top rung was mastered.
    """
    on_rung = attempts_on(rung, attempts)
    for i, attempt in enumerate(on_rung):
        if attempt.done_at and mastery(rung, on_rung[: i + 1], now, t):
            return local_day(attempt.done_at, now)
    return None


def mastered_levels(
    ladder: Ladder, attempts: Sequence[Attempt], now: datetime, t: Thresholds = DEFAULT_THRESHOLDS
) -> frozenset[int]:
    """The levels of the ladder's mastered rungs: an ask at any of them is a booster."""
    return frozenset(r.level for r in ladder.rungs if mastery(r, attempts, now, t))


def levels_asked(attempts: Iterable[Attempt], first: date, last: date, now: datetime) -> frozenset[int]:
    """The levels asked from ``first`` to ``last`` (local days): a program's mastered levels."""
    return frozenset(
        a.level
        for a in done_attempts(attempts)
        if a.done_at and a.outcome in ASKED_OUTCOMES and first <= local_day(a.done_at, now) <= last
    )
