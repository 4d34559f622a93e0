"""The 0–100 fear scale (SUDS) and its anchor words."""

from __future__ import annotations

# (lowest value, word), from the common SUDS anchors.
ANCHORS: tuple[tuple[int, str], ...] = (
    (0, "calm"),
    (25, "mild"),
    (50, "moderate"),
    (65, "high"),
    (85, "extreme"),
)
STEP = 5


def anchor(value: int) -> str:
    """The anchor word for a fear rating: 70 -> "high"."""
    word = ANCHORS[0][1]
    for lowest, name in ANCHORS:
        if value >= lowest:
            word = name
    return word


def nudge(value: int | None, direction: int, step: int = STEP) -> int:
    """Move a rating up or down one step, staying within 0–100."""
    start = 50 if value is None else value
    return max(0, min(100, start + direction * step))
