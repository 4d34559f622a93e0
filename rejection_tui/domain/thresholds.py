"""The ladder's thresholds: when a rung is mastered, when asks are too easy, when a rung is too hard.

The numbers are defaults, not laws: a therapist working with the person (or
the person) may adjust them in settings. Each has a short reason beside it
(:data:`THRESHOLD_INFO`) so whoever changes one sees why it was chosen, and a
range (:func:`threshold_problems`) that keeps every rule meaningful.

The rules themselves live in ``ladder`` (mastery, too hard) and ``progress``
(too easy, whose defaults :data:`progress.EASY_RATE` and
:data:`progress.EASY_WINDOW` are the ones used here, so there is one number
for each rule).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from rejection_tui.domain.progress import EASY_RATE, EASY_WINDOW
from rejection_tui.domain.validation import FieldProblem, ValidationError

REJECTION_AIM = 50
"""About half of the asks getting a "no" is the aim of the practice (see DESIGN.md)."""


@dataclass(frozen=True)
class Thresholds:
    """Mastery and coaching thresholds (kept in settings, so adjustable).

    The defaults are today's behaviour; see :data:`THRESHOLD_INFO` for why.
    """

    calm_fear: int = 30
    """A rung is mastered when the felt fear was at most this ..."""
    calm_days: int = 2
    """... on this many different local days (asks only, not "didn't ask"),"""
    disconfirmed: int = 3
    """or when what was feared didn't happen on this many attempts."""
    easy_rate: float = EASY_RATE
    """Too easy: fewer than this % "no" ..."""
    easy_window: int = EASY_WINDOW
    """... in the last this many asks."""
    backed_out_in_a_row: int = 2
    """Too hard: the current rung ended in "didn't ask" this many times in a row."""

    def problems(self) -> list[FieldProblem]:
        return threshold_problems(self)

    def validated(self) -> Thresholds:
        problems = self.problems()
        if problems:
            raise ValidationError.of(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> Thresholds:
        """Thresholds from their stored form; missing fields keep their defaults.

        Raises ``ValidationError`` naming each field that is wrong; unknown
        fields are refused too (a typo would otherwise be silently ignored).
        """
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ValidationError(["The thresholds must be an object"], ["thresholds"])
        unknown = sorted(str(k) for k in data if k not in THRESHOLD_INFO)
        if unknown:
            raise ValidationError(
                [f"Unknown threshold: {name}" for name in unknown], [f"thresholds.{n}" for n in unknown]
            )
        return cls(**data).validated()

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_THRESHOLDS


DEFAULT_THRESHOLDS = Thresholds()
"""Today's behaviour; the rules' default argument."""


@dataclass(frozen=True)
class ThresholdInfo:
    """How a threshold is shown: its label, allowed range and why its default was chosen."""

    label: str
    low: float
    high: float
    why: str
    whole: bool = True
    """A whole number (a count or a 0–100 rating); False for a percentage that may have a fraction."""


THRESHOLD_INFO: dict[str, ThresholdInfo] = {
    "calm_fear": ThresholdInfo(
        "Calm enough: felt fear at most",
        0,
        50,
        "A felt fear of 30 or less is mild on the 0–100 scale: the ask has stopped being a big deal. "
        "Above 50 a fear is no longer mild, so a rung would count as mastered too early.",
    ),
    "calm_days": ThresholdInfo(
        "Calm on this many different days",
        1,
        10,
        "Two calm times on different days show it wasn't just one good day.",
    ),
    "disconfirmed": ThresholdInfo(
        "Or: what you feared didn't happen, times",
        1,
        10,
        "Three times in which what you feared didn't happen are hard to put down to luck.",
    ),
    "easy_rate": ThresholdInfo(
        'Too easy: fewer than this % "no"',
        0,
        REJECTION_AIM - 1,
        "Below 40 % most asks get a yes, so they stretch you little; about half is the aim. "
        "It stays below 50 % so a person right on the aim is never told their asks are too easy "
        "(0 turns the note off).",
        whole=False,
    ),
    "easy_window": ThresholdInfo(
        "... in the last this many asks",
        5,
        50,
        "Ten asks are enough to see a pattern and recent enough to reflect how you ask now.",
    ),
    "backed_out_in_a_row": ThresholdInfo(
        'Too hard: "didn\'t ask" on a rung this many times in a row',
        1,
        10,
        "Once can be a bad day; twice in a row on the same rung suggests a smaller step for now.",
    ),
}
"""One entry per :class:`Thresholds` field, in the order a settings screen shows them."""


def _number_problem(value: object, info: ThresholdInfo) -> str | None:
    kind = "a whole number" if info.whole else "a number"
    message = f"{info.label} must be {kind} from {info.low:g} to {info.high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return message
    if info.whole and not isinstance(value, int):
        return message
    # Not-a-number and infinity fail the comparison too.
    return None if info.low <= value <= info.high else message


def threshold_problems(t: Thresholds) -> list[FieldProblem]:
    """What is wrong with ``t``, field by field (nothing for the defaults).

    Ranges only: the thresholds measure different things (a fear rating,
    counts of days and attempts, a share of asks), so none is ordered
    against another; the one ordering that matters, the too-easy rate
    below the ~50 % aim, is the top of its range.
    """
    problems = []
    for f in fields(t):
        message = _number_problem(getattr(t, f.name), THRESHOLD_INFO[f.name])
        if message:
            problems.append(FieldProblem(f"thresholds.{f.name}", message))
    return problems
