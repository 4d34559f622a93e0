"""Typed settings from their stored form (the ``settings`` table's values).

Each reader takes whatever a file holds and returns the typed value or
raises :class:`ValidationError` with a sentence, never anything else, so a
hand-edited setting can be named as a problem instead of crashing a screen.
The journal falls back to the default when a reader refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rejection_tui.domain.pauses import Pause
from rejection_tui.domain.programs import Program, ProgramKind, weekly_goal_error
from rejection_tui.domain.thresholds import Thresholds
from rejection_tui.domain.validation import YEAR_MAX, YEAR_MIN, ValidationError, text_error

KNOWN_SETTINGS = (
    "weekly_goal",
    "program",
    "rest_days",
    "theme",
    "welcomed",
    "keymap",
    "pauses",
    "thresholds",
)
SETTING_LABELS = {
    "weekly_goal": "weekly goal",
    "program": "program",
    "rest_days": "rest days",
    "theme": "theme",
    "welcomed": "welcome seen",
    "keymap": "keymap",
    "pauses": "pauses",
    "thresholds": "ladder thresholds",
}
"""How a message names each setting."""


def _day(raw: object, label: str) -> date:
    if not isinstance(raw, str):
        raise ValidationError([f"{label} must be a date written as YYYY-MM-DD"])
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError([f"{label} must be a date written as YYYY-MM-DD"]) from None
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValidationError([f"{label} must be in the years {YEAR_MIN} to {YEAR_MAX}"])
    return day


def read_weekly_goal(raw: object) -> int:
    error = weekly_goal_error(raw)
    if error:
        raise ValidationError([error])
    assert isinstance(raw, int)
    return raw


def read_program(raw: object) -> Program | None:
    """The running program; None (null) when there is none."""
    if raw is None:
        return None
    kinds = ", ".join(k.value for k in ProgramKind)
    if not isinstance(raw, dict) or set(raw) != {"kind", "started_on"}:
        raise ValidationError([f"A program must be an object with a kind ({kinds}) and a started_on date"])
    kind = raw["kind"]
    if not isinstance(kind, str) or kind not in {k.value for k in ProgramKind}:
        raise ValidationError([f"A program's kind must be one of: {kinds}"])
    return Program(ProgramKind(kind), _day(raw["started_on"], "A program's start"))


def read_rest_days(raw: object) -> set[date]:
    if not isinstance(raw, list):
        raise ValidationError(["Rest days must be a list of dates"])
    return {_day(value, f"Rest day {i + 1}") for i, value in enumerate(raw)}


def usable_rest_days(raw: object) -> set[date]:
    """The readable rest days among ``raw``; unreadable ones are left out (and named as problems)."""
    days = set()
    for value in raw if isinstance(raw, list) else []:
        try:
            days.add(_day(value, "Rest day"))
        except ValidationError:
            continue
    return days


def read_theme(raw: object) -> str:
    error = text_error(raw, "The theme", required=True)
    if error:
        raise ValidationError([error])
    assert isinstance(raw, str)
    return raw


def read_welcomed(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError(["Whether the welcome was shown must be true or false"])
    return raw


def read_keymap(raw: object) -> dict[str, str]:
    """Binding id → keys; which ids and keys work is the app's to judge (it reports them)."""
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ValidationError(["The keymap must be an object of binding ids and keys, all text"])
    return dict(raw)


MAX_PAUSES = 500
"""More pauses than anyone takes in years of practice: a longer list is a damaged file, and
refusing it keeps every count that walks the paused days quick."""


def read_pauses(raw: object) -> tuple[Pause, ...]:
    """Every stored pause, sorted by start; one that cannot be read refuses the whole list.

    The journal then uses no pauses at all ("the default is used") and names
    the problem, so a damaged file never pauses days nobody chose. Pauses
    that overlap are read as they are (their days count once).
    """
    if not isinstance(raw, list):
        raise ValidationError(["Pauses must be a list of pauses, each with a start and an end date"])
    if len(raw) > MAX_PAUSES:
        raise ValidationError([f"There can be at most {MAX_PAUSES} pauses (this list has {len(raw)})"])
    pauses = []
    for i, value in enumerate(raw):
        try:
            pauses.append(Pause.from_dict(value))
        except ValidationError as error:
            raise ValidationError([f"Pause {i + 1}: {message}" for message in error.messages]) from None
    return tuple(sorted(pauses, key=lambda p: (p.start, p.end)))


def read_thresholds(raw: object) -> Thresholds:
    """The ladder's thresholds; fields not stored keep their defaults (``Thresholds.from_dict``)."""
    return Thresholds.from_dict(raw)


READERS: dict[str, Callable[[object], Any]] = {
    "weekly_goal": read_weekly_goal,
    "program": read_program,
    "rest_days": read_rest_days,
    "theme": read_theme,
    "welcomed": read_welcomed,
    "keymap": read_keymap,
    "pauses": read_pauses,
    "thresholds": read_thresholds,
}


def setting_problems(key: str, raw: object) -> list[str]:
    """What is wrong with a stored setting's value (nothing for settings this version does not know)."""
    reader = READERS.get(key)
    if reader is None:
        return []
    try:
        reader(raw)
    except ValidationError as error:
        return error.messages
    return []
