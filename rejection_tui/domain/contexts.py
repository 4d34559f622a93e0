"""Context tags of an attempt (issue 16): how, where and with whom an ask was made.

Practising the same ask in different contexts (in person, by phone, in a
message; other places and people) helps what was learnt carry over; "surprise
me" therefore suggests the channel practised least lately, once the person
tags their asks with channels at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from rejection_tui.domain.models import Attempt
from rejection_tui.domain.progress import done_attempts, local_day

CHANNELS: tuple[str, ...] = ("in person", "phone", "message")
"""The quick context toggles of the After form, stored as these tags."""


def split_tags(typed: str) -> list[str]:
    """The comma-separated tags in ``typed``, their spaces tidied, empty ones left out."""
    return [tag for tag in (" ".join(part.split()) for part in typed.split(",")) if tag]


def contexts_from(channels: Iterable[str], typed: Iterable[str]) -> tuple[str, ...]:
    """The ticked channels, then the typed tags, each once (case aside), in that order."""
    seen: set[str] = set()
    tags: list[str] = []
    for tag in [*channels, *typed]:
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def is_channel(tag: str) -> bool:
    return tag.casefold() in CHANNELS


def least_practised_channel(attempts: Sequence[Attempt], now: datetime, *, days: int = 28) -> str | None:
    """The channel used least in the last ``days`` days (ties: in the order of ``CHANNELS``);
    None until the person has tagged any ask with a channel (no nudge they never asked for)."""
    done = done_attempts(attempts)
    if not any(is_channel(tag) for a in done for tag in a.contexts):
        return None
    since = now.date() - timedelta(days=days)
    used = Counter(
        tag.casefold()
        for a in done
        if a.done_at and local_day(a.done_at, now) >= since
        for tag in a.contexts
        if is_channel(tag)
    )
    return min(CHANNELS, key=lambda channel: used[channel])
