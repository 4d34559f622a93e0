"""What waits to be rated: planned asks, the longest-waiting (overdue) first.

One definition for the Dashboard, ``rejection-tui pending``/``rate``/``remind``
and the status file a shell prompt reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rejection_tui.domain.models import Attempt, Status
from rejection_tui.domain.text import counted

OVERDUE_AFTER = timedelta(hours=24)
"""A planned ask not rated within a day is overdue: the memory of it fades fast."""

RATE_COMMAND = "rejection-tui rate"


@dataclass(frozen=True)
class Waiting:
    attempt: Attempt
    waited: timedelta
    """How long since it was planned (never negative)."""

    @property
    def overdue(self) -> bool:
        return self.waited >= OVERDUE_AFTER


def waiting(attempts: Iterable[Attempt], now: datetime) -> list[Waiting]:
    """Every planned attempt, the longest-waiting first (so the overdue ones lead)."""
    planned = [a for a in attempts if a.status == Status.PLANNED]
    planned.sort(key=lambda a: a.created_at)  # stable: equal times keep the order given
    return [Waiting(a, max(now - a.created_at, timedelta(0))) for a in planned]


def newest(queue: list[Waiting]) -> Waiting | None:
    """The most recently planned (what ``rate`` without a number finishes)."""
    return queue[-1] if queue else None


def waited_text(waited: timedelta) -> str:
    """ "just now", "25 minutes", "3 hours", "2 days": how long, roughly, in words."""
    minutes = int(waited.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return counted(minutes, "minute")
    hours = minutes // 60
    if hours < 48:
        return counted(hours, "hour")
    return counted(hours // 24, "day")


def waited_phrase(waited: timedelta) -> str:
    """ "planned just now", "planned 3 hours ago"."""
    text = waited_text(waited)
    return "planned just now" if text == "just now" else f"planned {text} ago"


def remind_text(count: int) -> str | None:
    """One generic sentence for a reminder of ``count`` waiting asks (no titles: lock screens
    show it); None when none wait."""
    if count <= 0:
        return None
    waits = "1 planned ask is" if count == 1 else f"{count} planned asks are"
    return f"{waits} waiting to be rated — {RATE_COMMAND}"


def status_text(queue: list[Waiting]) -> str:
    """The status file's text: counts and a time only, never a word a person wrote.

    ``pending=N`` comes first so a shell prompt can read it with one ``read``.
    ``oldest`` is the Unix time the longest-waiting ask was planned (0: none).
    """
    oldest = int(queue[0].attempt.created_at.timestamp()) if queue else 0
    return f"pending={len(queue)}\noldest={oldest}\n"
