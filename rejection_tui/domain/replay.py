"""The replay question the day after an ask, and the short self-compassion prompt.

Going over an ask again and again afterwards ("post-event processing") is
common; a brief, kind pause right after a hard moment went with less of it
the next day in one study (Blackie & Kocovski 2018). The app asks once, the
day after, how much the person has gone over it since, and when the answer
is high offers three short lines and an optional note. It is an offer, not a
treatment, and it never asks twice.

Rules:

- The question is due on the local calendar day right after the attempt's
  own local day, and only then: days are local dates (``progress.local_day``,
  the day ``done_at`` falls on in the time zone the person is in now), never
  24-hour spans, so a daylight-saving change or a late-evening ask count
  right.
- Once answered or skipped, it is never due again (the person's answer is
  kept; a skip is kept too, so the same ask is not raised the next time the
  Dashboard opens).
- Every rated attempt can be asked about, "didn't ask" included: backing out
  can be gone over just as much as a "no".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from rejection_tui.domain.progress import local_day
from rejection_tui.domain.validation import optional_score_error

REPLAY_QUESTION = "How much have you gone over it since? (0–100)"
REPLAY_LABEL = "Gone over it since"
"""How the answer is named in messages, tables and charts."""

HIGH_REPLAY = 50
"""From this answer up the self-compassion lines are offered: from the middle of the scale the ask
has been on the person's mind at least as much as not, and the lines are brief and skippable, so
offering them a little early costs less than missing someone who is stuck on it."""

SELF_COMPASSION_LINES = (
    "Notice it: this ask is still on your mind, and that is allowed.",
    "Going over a moment like this afterwards is something most people do; you are not the only one.",
    "Say one kind thing to yourself, the way you would to a friend who had just done the same.",
)
"""Three lines, in order: noticing it, others feel this too, a kind sentence to oneself."""

SELF_COMPASSION_NOTE_LABEL = "Your kind sentence (optional)"


class Replayable(Protocol):
    """What the replay rules read from an attempt: its id, when it was rated and the replay answer.

    ``replay`` is the answer (0–100) or None; ``replay_skipped`` is True once
    the person chose not to answer.
    """

    @property
    def id(self) -> str: ...

    @property
    def done_at(self) -> datetime | None: ...

    @property
    def replay(self) -> int | None: ...

    @property
    def replay_skipped(self) -> bool: ...


R = TypeVar("R", bound=Replayable)


def replay_due(done_at: datetime, now: datetime, *, answered: bool, skipped: bool) -> bool:
    """Whether the Dashboard should ask the replay question about an attempt rated at ``done_at``.

    True only on the local day right after the attempt's local day, and only
    while the question is neither answered nor skipped.
    """
    if answered or skipped:
        return False
    return local_day(done_at, now) + timedelta(days=1) == now.date()


def due_replays(attempts: Iterable[R], now: datetime) -> list[R]:
    """The attempts whose replay question is due now, oldest first.

    Oldest first (by ``done_at``, ties in the given order): yesterday's asks
    come up in the order they were lived, and the order stays the same each
    time the Dashboard opens.
    """
    due = [
        a
        for a in attempts
        if a.done_at is not None
        and replay_due(a.done_at, now, answered=a.replay is not None, skipped=a.replay_skipped)
    ]
    return sorted(due, key=lambda a: a.done_at or now)


def next_replay(attempts: Iterable[R], now: datetime) -> R | None:
    """The one attempt to ask about now, or None.

    One question at a time, the oldest of yesterday's first: a day of
    several asks gives one calm question on the Dashboard rather than a
    list to work through, and answering or skipping it brings up the next.
    (The replay is about one ask, so each keeps its own answer.)
    """
    due = due_replays(attempts, now)
    return due[0] if due else None


def is_high_replay(replay: int | None) -> bool:
    """Whether the answer is high enough to offer the self-compassion lines."""
    return replay is not None and replay >= HIGH_REPLAY


def replay_error(value: object) -> str | None:
    """The answer is optional; when given, a whole number from 0 to 100."""
    return optional_score_error(value, REPLAY_LABEL)


def replay_prompt(title: str) -> str:
    """The question with the ask it is about (plain text; the UI escapes ``title``)."""
    return f"Yesterday: {title}. {REPLAY_QUESTION}"
