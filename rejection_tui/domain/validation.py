"""Validation rules that return messages a person can read.

Every rule is a small pure function returning ``None`` when the value is
fine and a sentence when it is not, so the UI can show the sentence beside
the field and the storage layer can refuse a record before touching disk.
"""

from __future__ import annotations

from datetime import datetime

MAX_TEXT = 2000
SCORE_MIN, SCORE_MAX = 0, 100
LEVEL_MIN, LEVEL_MAX = 1, 10


class ValidationError(ValueError):
    """A record or field failed one or more rules; ``messages`` says which."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


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
        raise ValidationError([f"{label} is not a valid ISO 8601 date and time: {value!r}"]) from None
    error = timestamp_error(parsed, label)
    if error:
        raise ValidationError([error])
    return parsed


def collect(*errors: str | None) -> list[str]:
    return [e for e in errors if e]
