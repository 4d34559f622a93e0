"""Validation rules that return messages a person can read.

Every rule is a small pure function returning ``None`` when the value is
fine and a sentence when it is not, so the UI can show the sentence beside
the field and the storage layer can refuse a record before touching disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_TEXT = 2000
SCORE_MIN, SCORE_MAX = 0, 100
LEVEL_MIN, LEVEL_MAX = 1, 10
# Dates outside these years are typing or tool mistakes, and near the ends of
# Python's range (year 1, year 9999) arithmetic with them overflows.
YEAR_MIN, YEAR_MAX = 2000, 2200


@dataclass(frozen=True)
class FieldProblem:
    """One broken rule: the field's name in the data file and a sentence."""

    field: str
    message: str


class ValidationError(ValueError):
    """A record or field failed one or more rules; ``messages`` says which.

    ``fields`` names the data-file field of each message when it is known
    (``None`` where a rule is about the record as a whole).
    """

    def __init__(self, messages: list[str], fields: list[str | None] | None = None) -> None:
        self.messages = list(messages)
        self.fields: list[str | None] = list(fields) if fields is not None else [None] * len(self.messages)
        super().__init__("; ".join(self.messages))

    @classmethod
    def of(cls, problems: list[FieldProblem]) -> ValidationError:
        return cls([p.message for p in problems], [p.field for p in problems])


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but "True" is not a fear rating.
    return isinstance(value, int) and not isinstance(value, bool)


def score_error(value: object, label: str) -> str | None:
    """A 0–100 rating (fear, likelihood, cost)."""
    if not _is_int(value) or not SCORE_MIN <= value <= SCORE_MAX:  # type: ignore[operator]
        return f"{label} must be a whole number from {SCORE_MIN} to {SCORE_MAX}"
    return None


def optional_score_error(value: object, label: str) -> str | None:
    return None if value is None else score_error(value, label)


def level_error(value: object) -> str | None:
    if not _is_int(value) or not LEVEL_MIN <= value <= LEVEL_MAX:  # type: ignore[operator]
        return f"Level must be a whole number from {LEVEL_MIN} to {LEVEL_MAX}"
    return None


def text_error(value: object, label: str, *, required: bool = False) -> str | None:
    if not isinstance(value, str):
        return f"{label} must be text"
    if required and not value.strip():
        return f"{label} cannot be empty"
    if len(value) > MAX_TEXT:
        return f"{label} must be at most {MAX_TEXT:,} characters (it has {len(value):,})"
    if not value.isascii():  # ASCII always encodes: skip the costlier check
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (from a broken paste) cannot be written as UTF-8.
            return f"{label} contains characters that cannot be saved"
    if "\x00" in value:
        return f"{label} contains a NUL character that cannot be saved"
    return None


def timestamp_error(value: object, label: str) -> str | None:
    if not isinstance(value, datetime):
        return f"{label} must be a date and time"
    if value.tzinfo is None or value.utcoffset() is None:
        return f"{label} must include a time zone"
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        return f"{label} must be in the years {YEAR_MIN} to {YEAR_MAX} (it is in the year {value.year})"
    return None


def parse_score(text: str, label: str) -> int:
    """Parse what a person typed into a 0–100 field, or raise with a reason."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned.isdigit() or not cleaned.isascii():
        raise ValidationError([f"{label} must be a whole number from {SCORE_MIN} to {SCORE_MAX}"])
    value = int(cleaned)
    error = score_error(value, label)
    if error:
        raise ValidationError([error])
    return value


def parse_timestamp(value: object, label: str) -> datetime:
    """Read an ISO 8601 timestamp with a UTC offset."""
    if not isinstance(value, str):
        raise ValidationError([f"{label} must be an ISO 8601 date and time"])
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError([f"{label} is not a valid ISO 8601 date and time: {shown(value)}"]) from None
    error = timestamp_error(parsed, label)
    if error:
        raise ValidationError([error])
    return parsed


def collect(*errors: str | None) -> list[str]:
    return [e for e in errors if e]


def field_problems(*checks: tuple[str, str | None]) -> list[FieldProblem]:
    """``(field, error or None)`` pairs to the problems among them."""
    return [FieldProblem(name, error) for name, error in checks if error]


SHOWN_MAX = 40


def shown(value: object) -> str:
    """A short, quoted rendering of a value from a file, for a message."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        digits = len(str(abs(value))) if value.bit_length() < 10_000 else None
        if digits is None or digits > SHOWN_MAX:
            return "a number with too many digits"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…"
        return '"' + text.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, dict):
        return "an object" if value else "an empty object"
    return type(value).__name__


def whole_number(text: str) -> int | None:
    """What a person typed as a whole number, or None.

    ASCII digits only: "²" and "٣" pass ``str.isdigit`` but are not numbers
    anyone meant to type into a level or a goal.
    """
    cleaned = text.strip()
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() else None
