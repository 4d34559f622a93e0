"""The fear ladder: rungs, gentle warnings, mastery and the next step.

Rules (see the clinical notes in the project reference):

- a ladder has 8–15 rungs, each with the fear the person expects (0–100);
- warnings, never blocks: fewer than 8 rungs, a gap of more than 20 points
  between neighbours, a first rung outside 20–50, rungs out of order;
- a rung is mastered when the felt fear was ≤ 30 on two attempts on
  different local days, or the feared outcome did not happen on three
  attempts; then the next rung — one rung, never more — is suggested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.domain.progress import (
    ASKED_OUTCOMES,
    asked_attempts,
    done_attempts,
    local_day,
    rejection_rate,
)
from rejection_tui.domain.validation import ValidationError, collect, score_error, text_error

MIN_RUNGS, MAX_RUNGS = 8, 15
MAX_GAP = 20
FIRST_RUNG = (20, 50)


@dataclass(frozen=True)
class Thresholds:
    """Mastery and coaching thresholds (kept in settings, so adjustable)."""

    calm_fear: int = 30
    calm_days: int = 2
    disconfirmed: int = 3
    easy_rate: float = 40.0
    easy_window: int = 10
    backed_out_in_a_row: int = 2


@dataclass(frozen=True)
class Rung:
    challenge_id: str
    title: str
    level: int
    category: str
    expected_fear: int

    @classmethod
    def of(cls, challenge: Challenge, expected_fear: int) -> Rung:
        return cls(challenge.id, challenge.title, challenge.level, challenge.category, expected_fear)

    def problems(self) -> list[str]:
        return collect(
            text_error(self.challenge_id, "Challenge id", required=True),
            text_error(self.title, "Title", required=True),
            score_error(self.expected_fear, "Expected fear"),
        )


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...] = field(default_factory=tuple)
    current: int = 0

    @property
    def current_rung(self) -> Rung | None:
        return self.rungs[self.current] if 0 <= self.current < len(self.rungs) else None

    def validated(self) -> Ladder:
        problems = [f"Rung {i + 1}: {p}" for i, r in enumerate(self.rungs) for p in r.problems()]
        if len(self.rungs) > MAX_RUNGS:
            problems.append(f"A ladder has at most {MAX_RUNGS} rungs")
        if self.rungs and not 0 <= self.current < len(self.rungs):
            problems.append("The current rung must be one of the rungs")
        if problems:
            raise ValidationError(problems)
        return self

    # -- editing (each returns a new ladder) ---------------------------------

    def add(self, rung: Rung) -> Ladder:
        if len(self.rungs) >= MAX_RUNGS:
            raise ValidationError([f"A ladder has at most {MAX_RUNGS} rungs; remove one first"])
        if any(r.challenge_id == rung.challenge_id for r in self.rungs):
            raise ValidationError(["That challenge is already on your ladder"])
        rungs = sorted([*self.rungs, rung], key=lambda r: r.expected_fear)
        current = self.current_rung
        return replace(self, rungs=tuple(rungs), current=rungs.index(current) if current else 0).validated()

    def remove(self, index: int) -> Ladder:
        rungs = self.rungs[:index] + self.rungs[index + 1 :]
        current = self.current if index > self.current else max(0, self.current - (index < self.current))
        return Ladder(rungs, min(current, max(0, len(rungs) - 1)))

    def move(self, index: int, delta: int) -> Ladder:
        target = index + delta
        if not (0 <= index < len(self.rungs) and 0 <= target < len(self.rungs)):
            return self
        rungs = list(self.rungs)
        rungs[index], rungs[target] = rungs[target], rungs[index]
        current = {index: target, target: index}.get(self.current, self.current)
        return Ladder(tuple(rungs), current)

    def set_current(self, index: int) -> Ladder:
        return replace(self, current=index).validated()

    # -- plain dicts for storage ---------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"rungs": [asdict(r) for r in self.rungs], "current": self.current}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Ladder:
        if not data:
            return cls()
        try:
            rungs = tuple(Rung(**r) for r in data.get("rungs", []))
        except TypeError:
            raise ValidationError(["The saved ladder is not in the expected shape"]) from None
        return cls(rungs, int(data.get("current", 0))).validated()


def ladder_warnings(rungs: Sequence[Rung]) -> list[str]:
    """Gentle notes on the shape of a ladder; none of them blocks anything."""
    warnings = []
    if len(rungs) < MIN_RUNGS:
        warnings.append(
            f"{len(rungs)} rung{'s' if len(rungs) != 1 else ''} so far: {MIN_RUNGS}–{MAX_RUNGS} "
            "make a climb with real middle steps."
        )
    if rungs and not FIRST_RUNG[0] <= rungs[0].expected_fear <= FIRST_RUNG[1]:
        warnings.append(
            f"Your first rung is {rungs[0].expected_fear}: a first step between {FIRST_RUNG[0]} and "
            f"{FIRST_RUNG[1]} is scary enough to matter and small enough to do."
        )
    for lower, upper in pairwise(rungs):
        if upper.expected_fear - lower.expected_fear > MAX_GAP:
            warnings.append(
                f"A jump of {upper.expected_fear - lower.expected_fear} from “{lower.title}” to "
                f"“{upper.title}”: a rung in between would help."
            )
    if any(b.expected_fear < a.expected_fear for a, b in pairwise(rungs)):
        warnings.append("Some rungs are out of order: a higher rung is expected to be less scary.")
    return warnings


def attempts_on(rung: Rung, attempts: Iterable[Attempt]) -> list[Attempt]:
    return sorted(
        (a for a in done_attempts(attempts) if a.challenge_id == rung.challenge_id),
        key=lambda a: a.done_at or a.created_at,
    )


def mastery(
    rung: Rung, attempts: Iterable[Attempt], now: datetime, t: Thresholds = Thresholds()
) -> str | None:
    """Why the rung counts as mastered, in one sentence, or None."""
    on_rung = attempts_on(rung, attempts)
    calm_days = {
        local_day(a.done_at, now)
        for a in on_rung
        if a.done_at
        and a.fear_after is not None
        and a.fear_after <= t.calm_fear
        and a.outcome in ASKED_OUTCOMES
    }
    if len(calm_days) >= t.calm_days:
        return f"Your fear stayed at {t.calm_fear} or below on {len(calm_days)} different days."
    disconfirmed = [a for a in on_rung if a.worry_happened is False]
    if len(disconfirmed) >= t.disconfirmed:
        return f"What you feared didn't happen, {len(disconfirmed)} times."
    return None


@dataclass(frozen=True)
class Coaching:
    """The next step and its reason, plus optional nudges."""

    rung: Rung | None
    reason: str
    step_up: bool = False
    nudges: tuple[str, ...] = ()


def coach(
    ladder: Ladder, attempts: Sequence[Attempt], now: datetime, t: Thresholds = Thresholds()
) -> Coaching:
    rung = ladder.current_rung
    nudges = tuple(n for n in (too_easy(attempts, t), too_hard(ladder, attempts, t)) if n)
    if rung is None:
        return Coaching(None, "Build a ladder (l) to get coaching for each step.", nudges=nudges)
    why = mastery(rung, attempts, now, t)
    if why and ladder.current + 1 < len(ladder.rungs):
        following = ladder.rungs[ladder.current + 1]
        return Coaching(following, f"{why} Ready for the next rung.", step_up=True, nudges=nudges)
    if why:
        return Coaching(rung, f"{why} That's the top of your ladder — well done.", nudges=nudges)
    done_here = len(attempts_on(rung, attempts))
    reason = (
        "Your current rung: repeat it until it feels like no big deal."
        if done_here
        else "Your current rung: give it a first try."
    )
    return Coaching(rung, reason, nudges=nudges)


def too_easy(attempts: Sequence[Attempt], t: Thresholds = Thresholds()) -> str | None:
    asked = asked_attempts(attempts)
    recent = sorted(asked, key=lambda a: a.done_at or a.created_at)[-t.easy_window :]
    if len(recent) < t.easy_window:
        return None
    rate = rejection_rate(recent)
    if rate is not None and rate < t.easy_rate:
        return (
            f"You're hearing yes a lot ({rate:.0f} % no in your last {len(recent)} asks) "
            "— time to ask for more."
        )
    return None


def too_hard(ladder: Ladder, attempts: Sequence[Attempt], t: Thresholds = Thresholds()) -> str | None:
    rung = ladder.current_rung
    if rung is None:
        return None
    recent = attempts_on(rung, attempts)[-t.backed_out_in_a_row :]
    if len(recent) == t.backed_out_in_a_row and all(a.outcome == Outcome.NOT_ASKED for a in recent):
        lower = ladder.rungs[ladder.current - 1].title if ladder.current > 0 else None
        step = f"go back to “{lower}” for now" if lower else "try a smaller version of it"
        return f"This rung stopped you twice in a row; that's useful to know. Maybe {step}."
    return None


def surprise(
    challenges: Sequence[Challenge],
    attempts: Sequence[Attempt],
    max_level: int,
    now: datetime,
    days: int = 28,
) -> Challenge | None:
    """A challenge at or below ``max_level`` from the category practised least lately."""
    pool = [c for c in challenges if c.level <= max_level]
    if not pool:
        return None
    since = now.date() - timedelta(days=days)
    recent = Counter(
        a.category for a in done_attempts(attempts) if a.done_at and local_day(a.done_at, now) >= since
    )
    categories = sorted({c.category for c in pool}, key=lambda cat: (recent[cat], cat))
    quiet = categories[0]
    candidates = [c for c in pool if c.category == quiet]
    done_ids = Counter(a.challenge_id for a in done_attempts(attempts))
    return max(candidates, key=lambda c: (c.level, -done_ids[c.id], c.title))


def surprise_level(ladder: Ladder, attempts: Sequence[Attempt], now: datetime, default: int = 2) -> int:
    """The highest level a surprise may have: the current rung's or a mastered one's."""
    levels = [r.level for r in ladder.rungs if mastery(r, attempts, now)]
    current = ladder.current_rung
    return max([current.level if current else default, *levels])


def starter_ladder(ratings: Sequence[tuple[Challenge, int]], size: int = 10) -> Ladder:
    """A ladder from the person's own fear ratings: spread from mild to high.

    Keeps ratings of 20 and up (calmer ones are too easy to teach much),
    sorts them, and picks ``size`` spread evenly across the range.
    """
    usable = sorted((r for r in ratings if r[1] >= 20), key=lambda r: r[1])
    if len(usable) > size:
        step = (len(usable) - 1) / (size - 1)
        usable = [usable[round(i * step)] for i in range(size)]
    return Ladder(tuple(Rung.of(c, fear) for c, fear in usable), 0).validated()
