"""Practice statistics for the Dashboard: week, streak, rejections, lines.

The words every other module counts with are defined here, once:

- done: status ``done``; asked: done with an outcome other than ``not_asked``;
- rejection: a rejected ask that stayed a no (``after_no.counts_as_rejection``:
  a no the person marked as having become a yes is counted apart, never here);
- rejection rate: rejections ÷ asked, in %, None when nothing was asked;
- week: Monday–Sunday of local calendar days (``monday``);
- streak: practice days in a row ending today or yesterday, where planned
  rest days and paused days don't break it (``practice_streak``).

All functions are pure: they take attempts and "now" and return numbers or
text, so every rule is tested without a terminal. Days are local calendar
days (dates, never 24-hour spans), so midnight, daylight-saving changes and
a changed time zone all count correctly: an attempt belongs to the day it
was on the clock where the person is now.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta
from statistics import fmean

from rejection_tui.domain.after_no import counts_as_rejection
from rejection_tui.domain.models import Attempt, Challenge, Outcome, Status

DEFAULT_WEEKLY_GOAL = 3


def done_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    return [a for a in attempts if a.status == Status.DONE]


def local_day(moment: datetime, now: datetime) -> date:
    """The calendar day of ``moment`` in the time zone the user is in now."""
    return moment.astimezone(now.tzinfo).date()


def monday(day: date) -> date:
    """The Monday of the Monday–Sunday week that holds ``day``."""
    return day - timedelta(days=day.weekday())


def attempts_this_week(attempts: Iterable[Attempt], now: datetime) -> int:
    first = monday(now.date())
    return sum(
        1 for a in done_attempts(attempts) if a.done_at and first <= local_day(a.done_at, now) <= now.date()
    )


ASKED_OUTCOMES: frozenset[Outcome] = frozenset(Outcome) - {Outcome.NOT_ASKED}
"""The outcomes of an ask that was made: everything but "didn't ask"."""


def asked_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    """Done attempts where the person did ask."""
    return [a for a in done_attempts(attempts) if a.outcome in ASKED_OUTCOMES]


def rejections(attempts: Iterable[Attempt]) -> int:
    """Done attempts that count towards the rejection goal: a no that became a yes does not."""
    return sum(1 for a in done_attempts(attempts) if counts_as_rejection(a))


def rejection_percent(rejected: float, asked: float) -> float | None:
    """Rejected ÷ asked, in %; None when nothing was asked."""
    return 100 * rejected / asked if asked else None


def rejection_rate(attempts: Iterable[Attempt]) -> float | None:
    """The rejection rate of the asked attempts among ``attempts``."""
    asked = asked_attempts(attempts)
    return rejection_percent(rejections(asked), len(asked))


EASY_RATE = 40.0
"""Asks are too easy when fewer than this % of the last :data:`EASY_WINDOW` got a "no"."""
EASY_WINDOW = 10


def recent_asks(attempts: Iterable[Attempt], window: int = EASY_WINDOW) -> list[Attempt]:
    """The last ``window`` asks, oldest first.

    As ``sorted(asks, key=time)[-window:]`` (equal times in the given order), without
    sorting a long history: the position breaks ties as the stable sort does.
    """
    newest = heapq.nlargest(
        window, ((a.done_at or a.created_at, i, a) for i, a in enumerate(asked_attempts(attempts)))
    )
    return [a for _, _, a in reversed(newest)]


def too_easy_rate(
    attempts: Iterable[Attempt], window: int = EASY_WINDOW, below: float = EASY_RATE
) -> float | None:
    """The "no" rate of the last ``window`` asks when it is under ``below`` % (the asks are too
    easy, with or without a ladder); None otherwise, or before there are ``window`` asks."""
    recent = recent_asks(attempts, window)
    if len(recent) < window:
        return None
    rate = rejection_rate(recent)
    return rate if rate is not None and rate < below else None


def practice_days(attempts: Iterable[Attempt], now: datetime) -> set[date]:
    return {local_day(a.done_at, now) for a in done_attempts(attempts) if a.done_at}


def practice_streak(
    attempts: Iterable[Attempt],
    rest_days: AbstractSet[date],
    now: datetime,
    *,
    paused: AbstractSet[date] = frozenset(),
) -> int:
    """Practice days in a row, ending today or yesterday; planned rest days don't break it.

    Paused days (``pauses.paused_days``: illness, travel, exams) are their own
    state: like rest days they neither break the streak nor add to it, and
    there is no limit on how many. A day with practice counts as practice
    whether or not it was a rest day or paused.

    The one streak: Dashboard, Ladder, `stats` and the report all show this.
    """
    days = practice_days(attempts, now)
    today = now.date()

    def kept(day: date) -> bool:
        return day in days or day in rest_days or day in paused

    cursor = today if kept(today) else today - timedelta(days=1)
    count = 0
    while kept(cursor):
        count += cursor in days
        cursor -= timedelta(days=1)
    return count


def outcome_text(attempt: Attempt) -> str:
    return attempt.outcome.label if attempt.outcome else "planned"


def summary_line(attempt: Attempt) -> str:
    """ "title — expected 70 → felt 40 — rejected" """
    if attempt.fear_after is None:
        return f"{attempt.challenge_title} — expected {attempt.fear_before} — planned"
    return (
        f"{attempt.challenge_title} — expected {attempt.fear_before} → "
        f"felt {attempt.fear_after} — {outcome_text(attempt)}"
    )


def challenge_history(
    attempts: Iterable[Attempt], challenge_id: str
) -> tuple[int, float | None, float | None]:
    """Times done, mean fear before and mean fear after, for one challenge."""
    done = [a for a in done_attempts(attempts) if a.challenge_id == challenge_id]
    if not done:
        return 0, None, None
    return (
        len(done),
        fmean(a.fear_before for a in done),
        fmean(a.fear_after for a in done if a.fear_after is not None),
    )


def suggest_next(
    challenges: Sequence[Challenge], attempts: Sequence[Attempt]
) -> tuple[Challenge, str] | None:
    """The next challenge to try and why, in one sentence.

    Until the ladder exists: the lowest level not yet done twice, otherwise
    the level of the most recent attempt. When the asks are too easy
    (:func:`too_easy_rate`), one level above the highest of the recent asks
    instead, so the suggestion agrees with the nudge to ask for more. Within
    the level, the challenge done least often (then the easiest to read: by
    title).
    """
    if not challenges:
        return None
    done = asked_attempts(attempts)
    per_level = Counter(a.level for a in done)
    per_challenge = Counter(a.challenge_id for a in done)
    levels = sorted({c.level for c in challenges})
    open_levels = [level for level in levels if per_level[level] < 2]
    if too_easy_rate(done) is not None:
        recent = max(a.level for a in recent_asks(done))
        higher = [level for level in levels if level > recent]
        level = higher[0] if higher else levels[-1]
        reason = (
            f"A step up from your recent level {recent} asks, which mostly got a yes."
            if higher
            else f"Most of your recent asks got a yes: ask for a little more at level {level}."
        )
    elif not done:
        level = levels[0]
        reason = f"A gentle first step: level {level} asks are small and quick."
    elif open_levels:
        level = open_levels[0]
        count = per_level[level]
        reason = (
            f"You have done level {level} once; doing it again makes it stick."
            if count == 1
            else f"Level {level} is the lowest step you haven't practised yet."
        )
    else:
        latest = max(done, key=lambda a: a.done_at or a.created_at)
        level = latest.level
        reason = f"Keep practising at level {level}, where you were last."
    candidates = [c for c in challenges if c.level == level]
    choice = min(candidates, key=lambda c: (per_challenge[c.id], c.title.lower()))
    return choice, reason


def smaller_step(challenge_level: int, category: str, challenges: Sequence[Challenge]) -> Challenge | None:
    """An easier ask, preferably in the same category, for after a "didn't ask"."""
    easier = [c for c in challenges if c.level < challenge_level]
    if not easier:
        return None
    same = [c for c in easier if c.category == category]
    pool = same or easier
    return max(pool, key=lambda c: (c.level, -len(c.title)))


def result_message(attempt: Attempt, challenges: Sequence[Challenge] = ()) -> str:
    """The short result card shown after rating an attempt."""
    if attempt.outcome == Outcome.NOT_ASKED:
        smaller = smaller_step(attempt.level, attempt.category, challenges)
        step = f' A smaller step could help next time, such as "{smaller.title}".' if smaller else ""
        return (
            "You didn't ask this time, and that's recorded without judgement: "
            "noticing where the fear stopped you is useful." + step
        )
    before, after = attempt.fear_before, attempt.fear_after
    assert after is not None
    if after < before:
        return f"You expected {before} and felt {after} — {before - after} points less than you feared."
    if after > before:
        return (
            f"You expected {before} and felt {after} — harder than you predicted this time. "
            "You did it anyway, and that counts."
        )
    return f"You expected {before} and felt {after} — just as you predicted."
