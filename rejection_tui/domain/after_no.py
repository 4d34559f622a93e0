"""After a no: what the person did next, and the no that became a yes.

When the outcome is "rejected" the After form may offer three optional
checkboxes (stored in the attempt's ``after_no`` list, by these stable
values): I asked why, I gave a reason, I tried someone else. They are
coaching lore (Jia Jiang's "ask why", "give a because", "switch up"), not
rules: a no is a fine result, and respecting it is always fine too.

A no that became a yes ("converted") is what the person records, not what
the app guesses: the attempt keeps its outcome ``rejected`` (the no did
happen) and carries the flag ``no_became_yes: true``. Any of the three
moves, or none, may have led to it; the app does not infer a conversion
from a later attempt. Converted nos are counted apart
(:func:`converted_nos`) and never towards the rejection goal: the ask ended
in a yes, so it is not a rejection for a rejection-a-day program, the
rejection count or the rejection rate (:func:`counts_as_rejection`).

Before a small ask (level :data:`BECAUSE_MAX_LEVEL` or lower) the Before
form may show a one-line hint that a short "because" often helps.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol

from rejection_tui.domain.models import Outcome
from rejection_tui.domain.validation import ValidationError, shown


class AfterNo(StrEnum):
    ASKED_WHY = "asked_why"
    GAVE_REASON = "gave_reason"
    TRIED_SOMEONE_ELSE = "tried_someone_else"

    @property
    def label(self) -> str:
        return AFTER_NO_LABELS[self]


AFTER_NO_LABELS: dict[AfterNo, str] = {
    AfterNo.ASKED_WHY: "I asked why",
    AfterNo.GAVE_REASON: "I gave a reason",
    AfterNo.TRIED_SOMEONE_ELSE: "I tried someone else",
}
"""The checkbox labels, in the order they are shown and stored."""

AFTER_NO_QUESTION = "After the no (optional):"
NO_BECAME_YES_LABEL = "In the end it became a yes"

_BY_VALUE = {choice.value: choice for choice in AfterNo}


def normalised(choices: Iterable[AfterNo]) -> tuple[AfterNo, ...]:
    """``choices`` once each, in the order of :class:`AfterNo` (how they are stored)."""
    chosen = set(choices)
    return tuple(choice for choice in AfterNo if choice in chosen)


def to_stored(choices: Iterable[AfterNo]) -> list[str]:
    return [choice.value for choice in normalised(choices)]


def after_no_error(value: object, outcome: Outcome | None) -> str | None:
    """What is wrong with a stored ``after_no`` list, or None.

    A list of distinct known values; empty (or absent) unless the outcome is
    "rejected", since the choices describe what happened after a no.
    """
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        return "What you did after the no must be a list"
    unknown = [v for v in value if not isinstance(v, str) or v not in _BY_VALUE]
    if unknown:
        known = ", ".join(_BY_VALUE)
        return f"What you did after the no must be among {known} (not {shown(unknown[0])})"
    if len(set(value)) != len(value):
        return "What you did after the no lists a choice twice"
    if value and outcome != Outcome.REJECTED:
        return "What you did after the no goes only with a rejected ask"
    return None


def parse_after_no(raw: object, outcome: Outcome | None) -> tuple[AfterNo, ...]:
    """The choices from their stored form (null or absent: none); ``ValidationError`` if wrong."""
    error = after_no_error(raw, outcome)
    if error:
        raise ValidationError([error], ["after_no"])
    values = raw if isinstance(raw, list | tuple) else ()
    return normalised(_BY_VALUE[v] for v in values)


def no_became_yes_error(value: object, outcome: Outcome | None) -> str | None:
    """The flag is true or false, and true only for a rejected ask."""
    if value is None:
        return None
    if not isinstance(value, bool):
        return "Whether the no became a yes must be true or false"
    if value and outcome != Outcome.REJECTED:
        return "A no that became a yes goes only with a rejected ask"
    return None


class AfterNoRecord(Protocol):
    """What these rules read from an attempt."""

    @property
    def outcome(self) -> Outcome | None: ...

    @property
    def no_became_yes(self) -> bool: ...


def is_converted(record: AfterNoRecord) -> bool:
    """A no that became a yes: rejected, and the person ticked that it turned into a yes."""
    return record.outcome == Outcome.REJECTED and record.no_became_yes is True


def counts_as_rejection(record: AfterNoRecord) -> bool:
    """Whether the attempt counts towards the rejection goal: a no that stayed a no."""
    return record.outcome == Outcome.REJECTED and not is_converted(record)


def converted_nos(records: Iterable[AfterNoRecord]) -> int:
    """How many nos became a yes, counted apart from the rejections."""
    return sum(1 for r in records if is_converted(r))


BECAUSE_MAX_LEVEL = 3
"""The hint shows for asks at this level or lower: the library's small, everyday asks, the kind
of request the research behind the tip used (a short favour); for bigger asks a reason is part
of the ask itself."""

BECAUSE_HINT = (
    "Tip: a short “because …” often makes a small ask easier to say yes to — and a no is just as useful."
)


_ABOUT_REASONS = ("because", "explain", "reason", " why")
"""Words in a challenge's own tip that show it already says how to give (or not give) a reason."""


def because_hint(level: int, tip: str = "") -> str | None:
    """The one-line hint before a small ask, or None for a bigger one — and None when the
    challenge's own tip already speaks of reasons (some asks are practice in asking plainly,
    without explaining: the two tips must not contradict each other)."""
    if level > BECAUSE_MAX_LEVEL or any(word in f" {tip.casefold()}" for word in _ABOUT_REASONS):
        return None
    return BECAUSE_HINT
