"""The fear ladder: rungs, gentle warnings, mastery and the next step.

Rules (see the clinical notes in the project reference):

- a ladder has 8–15 rungs, each with the fear the person expects (0–100);
- warnings, never blocks: fewer than 8 rungs, a gap of more than 20 points
  between neighbours, a first rung outside 20–50, rungs out of order;
- a rung is mastered when the felt fear was ≤ 30 on two attempts on
  different local days, or the feared outcome did not happen on three
  attempts; then the next rung — one rung, never more — is suggested;
- too easy: fewer than 40 % "no" in the last ten asks, with or without a
  ladder (the rule is about the asks);
- too hard: the current rung ended in "didn't ask" twice in a row;
- the numbers above are the defaults of :class:`thresholds.Thresholds`
  (each rule takes a ``t`` to use adjusted ones);
- surprise: a random fitting challenge, weighted towards the categories
  and challenges practised least, never the one suggested last time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from itertools import pairwise
from random import Random
from typing import Any

from rejection_tui.domain.models import Attempt, Challenge, Outcome
from rejection_tui.domain.progress import (
    ASKED_OUTCOMES,
    done_attempts,
    local_day,
    too_easy_rate,
)
from rejection_tui.domain.text import counted
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from rejection_tui.domain.validation import (
    FieldProblem,
    ValidationError,
    field_problems,
    level_error,
    score_error,
    text_error,
)

MIN_RUNGS, MAX_RUNGS = 8, 15
MAX_GAP = 20
FIRST_RUNG = (20, 50)
STARTER_MIN_FEAR = 20
"""A starter ladder leaves out asks rated calmer than this: too easy to teach much."""


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

    def field_problems(self) -> list[FieldProblem]:
        return field_problems(
            ("challenge_id", text_error(self.challenge_id, "Challenge id", required=True)),
            ("title", text_error(self.title, "Title", required=True)),
            ("level", level_error(self.level)),
            ("category", text_error(self.category, "Category")),
            ("expected_fear", score_error(self.expected_fear, "Expected fear")),
        )

    def problems(self) -> list[str]:
        return [p.message for p in self.field_problems()]


RUNG_FIELDS = frozenset(f.name for f in fields(Rung))


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...] = field(default_factory=tuple)
    current: int = 0

    @property
    def current_rung(self) -> Rung | None:
        return self.rungs[self.current] if 0 <= self.current < len(self.rungs) else None

    def validated(self) -> Ladder:
        problems = [
            FieldProblem(f"rungs[{i}].{p.field}", f"Rung {i + 1}: {p.message}")
            for i, r in enumerate(self.rungs)
            for p in r.field_problems()
        ]
        if len(self.rungs) > MAX_RUNGS:
            problems.append(FieldProblem("rungs", f"A ladder has at most {MAX_RUNGS} rungs"))
        if not isinstance(self.current, int) or isinstance(self.current, bool):
            problems.append(FieldProblem("current", "The current rung must be a whole number"))
        elif self.rungs and not 0 <= self.current < len(self.rungs):
            problems.append(FieldProblem("current", "The current rung must be one of the rungs"))
        if problems:
            raise ValidationError.of(problems)
        return self

    # -- editing (each returns a new ladder) ---------------------------------

    def add_problem(self, challenge_id: str | None = None) -> str | None:
        """Why a rung (for ``challenge_id``, or any) cannot be added, or None.

        Asked before the person rates its fear, so nobody rates in vain.
        """
        if len(self.rungs) >= MAX_RUNGS:
            return f"A ladder has at most {MAX_RUNGS} rungs; remove one first"
        if challenge_id is not None and any(r.challenge_id == challenge_id for r in self.rungs):
            return "That challenge is already on your ladder"
        return None

    def add(self, rung: Rung) -> Ladder:
        if problem := self.add_problem(rung.challenge_id):
            raise ValidationError([problem])
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

    def with_fear(self, index: int, expected_fear: int) -> Ladder:
        """The rung at ``index`` with a new expected fear; it keeps its place (warnings say if
        the order no longer rises)."""
        if not 0 <= index < len(self.rungs):
            raise ValidationError(["No rung there"])
        rungs = list(self.rungs)
        rungs[index] = replace(rungs[index], expected_fear=expected_fear)
        return replace(self, rungs=tuple(rungs)).validated()

    # -- plain dicts for storage ---------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"rungs": [asdict(r) for r in self.rungs], "current": self.current}

    @classmethod
    def from_dict(cls, data: object) -> Ladder:
        """The ladder from its stored form; ``ValidationError`` says what is wrong, field by field."""
        if data is None or data == {}:
            return cls()
        if not isinstance(data, dict):
            raise ValidationError(["The saved ladder must be an object"], ["ladder"])
        raw_rungs = data.get("rungs", [])
        if not isinstance(raw_rungs, list):
            raise ValidationError(["The rungs of the saved ladder must be a list"], ["rungs"])
        rungs = []
        for i, raw in enumerate(raw_rungs):
            if not isinstance(raw, dict) or set(raw) != RUNG_FIELDS:
                raise ValidationError(
                    [f"Rung {i + 1} must have exactly the fields {', '.join(sorted(RUNG_FIELDS))}"],
                    [f"rungs[{i}]"],
                )
            rungs.append(Rung(**raw))
        return cls(tuple(rungs), data.get("current", 0)).validated()


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
    rung: Rung, attempts: Iterable[Attempt], now: datetime, t: Thresholds = DEFAULT_THRESHOLDS
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
        return f"Your fear stayed at {t.calm_fear} or below on {counted(len(calm_days), 'different day')}."
    disconfirmed = [a for a in on_rung if a.worry_happened is False]
    if len(disconfirmed) >= t.disconfirmed:
        times = "once" if len(disconfirmed) == 1 else f"{len(disconfirmed)} times"
        return f"What you feared didn't happen, {times}."
    return None


@dataclass(frozen=True)
class Coaching:
    """The next step and its reason, plus optional nudges."""

    rung: Rung | None
    reason: str
    step_up: bool = False
    nudges: tuple[str, ...] = ()


def coach(
    ladder: Ladder, attempts: Sequence[Attempt], now: datetime, t: Thresholds = DEFAULT_THRESHOLDS
) -> Coaching:
    rung = ladder.current_rung
    nudges = coaching_nudges(ladder, attempts, t)
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


def coaching_nudges(
    ladder: Ladder, attempts: Sequence[Attempt], t: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[str, ...]:
    """The nudges to show, with or without a ladder: too easy (about the asks), too hard (a rung)."""
    return tuple(n for n in (too_easy(attempts, t), too_hard(ladder, attempts, t)) if n)


def too_easy(attempts: Sequence[Attempt], t: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    rate = too_easy_rate(attempts, t.easy_window, t.easy_rate)
    if rate is None:
        return None
    return (
        f"You're hearing yes a lot ({rate:.0f} % no in your last {t.easy_window} asks) "
        "— time to ask for more."
    )


def too_hard(ladder: Ladder, attempts: Sequence[Attempt], t: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    rung = ladder.current_rung
    if rung is None:
        return None
    recent = attempts_on(rung, attempts)[-t.backed_out_in_a_row :]
    if len(recent) == t.backed_out_in_a_row and all(a.outcome == Outcome.NOT_ASKED for a in recent):
        lower = ladder.rungs[ladder.current - 1].title if ladder.current > 0 else None
        step = f"go back to “{lower}” for now" if lower else "try a smaller version of it"
        times = {1: "once", 2: "twice"}.get(t.backed_out_in_a_row, f"{t.backed_out_in_a_row} times")
        in_a_row = " in a row" if t.backed_out_in_a_row > 1 else ""
        return f"This rung stopped you {times}{in_a_row}; that's useful to know. Maybe {step}."
    return None


def surprise(
    challenges: Sequence[Challenge],
    attempts: Sequence[Attempt],
    max_level: int,
    now: datetime,
    rng: Random,
    *,
    last: str | None = None,
    days: int = 28,
) -> Challenge | None:
    """A random challenge at or below ``max_level``, never ``last`` (the previous surprise's id).

    Every fitting challenge can come up; one from a category practised less
    in the last ``days`` days, or one done fewer times, comes up more often.
    ``rng`` is passed in so a test (or a seed) makes the draw repeatable.
    None when nothing but ``last`` fits.
    """
    pool = sorted((c for c in challenges if c.level <= max_level and c.id != last), key=lambda c: c.id)
    if not pool:
        return None
    since = now.date() - timedelta(days=days)
    done = done_attempts(attempts)
    recent = Counter(a.category for a in done if a.done_at and local_day(a.done_at, now) >= since)
    times = Counter(a.challenge_id for a in done)
    weights = [1 / ((1 + recent[c.category]) * (1 + times[c.id])) for c in pool]
    return rng.choices(pool, weights=weights)[0]


def surprise_level(
    ladder: Ladder,
    attempts: Sequence[Attempt],
    now: datetime,
    default: int = 2,
    t: Thresholds = DEFAULT_THRESHOLDS,
) -> int:
    """The highest level a surprise may have: the current rung's or a mastered one's."""
    levels = [r.level for r in ladder.rungs if mastery(r, attempts, now, t)]
    current = ladder.current_rung
    return max([current.level if current else default, *levels])


def starter_ladder(ratings: Sequence[tuple[Challenge, int]], size: int = 10) -> Ladder:
    """A ladder from the person's own fear ratings: spread from mild to high.

    Keeps ratings of 20 and up (calmer ones are too easy to teach much),
    sorts them, and picks ``size`` spread evenly across the range.
    :func:`starter_notes` says what was left out.
    """
    usable = sorted((r for r in ratings if r[1] >= STARTER_MIN_FEAR), key=lambda r: r[1])
    if len(usable) > size:
        step = (len(usable) - 1) / (size - 1)
        usable = [usable[round(i * step)] for i in range(size)]
    return Ladder(tuple(Rung.of(c, fear) for c, fear in usable), 0).validated()


def starter_notes(ratings: Sequence[tuple[Challenge, int]], ladder: Ladder) -> list[str]:
    """What the starter ladder left out of the person's ratings, and why (one sentence each)."""

    def named(left: Sequence[tuple[Challenge, int]]) -> str:
        return ", ".join(f"“{c.title}” ({fear})" for c, fear in left)

    calm = [r for r in ratings if r[1] < STARTER_MIN_FEAR]
    on_ladder = {r.challenge_id for r in ladder.rungs}
    spread = [r for r in ratings if r[1] >= STARTER_MIN_FEAR and r[0].id not in on_ladder]
    notes = []
    if calm:
        notes.append(
            f"Left out {counted(len(calm), 'ask')} rated below {STARTER_MIN_FEAR}, "
            f"calm enough already: {named(calm)}."
        )
    if spread:
        notes.append(
            f"Left out {counted(len(spread), 'more ask')} to keep the steps even: {named(spread)}. "
            "Add any of them with a."
        )
    return notes
