"""Practice statistics for the Dashboard: week, streak, rejections, lines.

All functions are pure: they take attempts and "now" and return numbers or
text, so every rule is tested without a terminal. Days are local calendar
days of the moment each attempt was done (its stored UTC offset).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from statistics import fmean

from rejection_tui.domain.models import Attempt, Challenge, Outcome, Status

DEFAULT_WEEKLY_GOAL = 3


def done_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    return [a for a in attempts if a.status == Status.DONE]


def local_day(moment: datetime, now: datetime) -> date:
    """The calendar day of ``moment`` in the time zone the user is in now."""
    return moment.astimezone(now.tzinfo).date()


def week_start(now: datetime) -> date:
    """Monday of the current local week."""
    today = now.date()
    return today - timedelta(days=today.weekday())


def attempts_this_week(attempts: Iterable[Attempt], now: datetime) -> int:
    monday = week_start(now)
    return sum(
        1 for a in done_attempts(attempts) if a.done_at and monday <= local_day(a.done_at, now) <= now.date()
    )


def rejections(attempts: Iterable[Attempt]) -> int:
    return sum(1 for a in done_attempts(attempts) if a.outcome == Outcome.REJECTED)


def streak(attempts: Iterable[Attempt], now: datetime) -> int:
    """Consecutive days with a done attempt, ending today or yesterday."""
    days = {local_day(a.done_at, now) for a in done_attempts(attempts) if a.done_at}
    today = now.date()
    cursor = today if today in days else today - timedelta(days=1)
    count = 0
    while cursor in days:
        count += 1
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
    the level of the most recent attempt. Within the level, the challenge
    done least often (then the easiest to read: by title).
    """
    if not challenges:
        return None
    done = [a for a in done_attempts(attempts) if a.outcome != Outcome.NOT_ASKED]
    per_level = Counter(a.level for a in done)
    per_challenge = Counter(a.challenge_id for a in done)
    levels = sorted({c.level for c in challenges})
    open_levels = [level for level in levels if per_level[level] < 2]
    if not done:
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
