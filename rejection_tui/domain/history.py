"""Filtering and searching the history of attempts."""

from __future__ import annotations

from collections.abc import Iterable

from rejection_tui.domain.models import Attempt, Challenge, Status

PLANNED = "planned"


def matches_text(attempt: Attempt, text: str) -> bool:
    needle = text.strip().casefold()
    if not needle:
        return True
    haystack = " ".join((attempt.challenge_title, attempt.worry, attempt.lesson, attempt.note))
    return needle in haystack.casefold()


def filter_attempts(
    attempts: Iterable[Attempt],
    *,
    outcome: str | None = None,
    category: str | None = None,
    text: str = "",
) -> list[Attempt]:
    """Attempts matching every given filter; ``outcome="planned"`` picks planned ones."""
    chosen = []
    for attempt in attempts:
        if outcome == PLANNED and attempt.status != Status.PLANNED:
            continue
        if outcome not in (None, PLANNED) and (attempt.outcome is None or attempt.outcome.value != outcome):
            continue
        if category and attempt.category != category:
            continue
        if matches_text(attempt, text):
            chosen.append(attempt)
    return chosen


def filter_challenges(
    challenges: Iterable[Challenge],
    *,
    text: str = "",
    category: str | None = None,
    min_level: int = 1,
    max_level: int = 10,
) -> list[Challenge]:
    needle = text.strip().casefold()
    return [
        c
        for c in challenges
        if min_level <= c.level <= max_level
        and (not category or c.category == category)
        and (not needle or needle in f"{c.title} {c.tip}".casefold())
    ]


def match_challenges(challenges: Iterable[Challenge], query: str) -> list[Challenge]:
    """The challenges ``query`` names: the one with that exact id, else every one whose title
    holds each of its words (any order, any case)."""
    pool = list(challenges)
    wanted = query.strip()
    exact = [c for c in pool if c.id == wanted]
    if exact:
        return exact
    words = wanted.casefold().split()
    if not words:
        return []
    return [c for c in pool if all(word in c.title.casefold() for word in words)]
