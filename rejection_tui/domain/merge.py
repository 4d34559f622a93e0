"""Merging two copies of a journal record by record (issue 15, several devices).

A sync tool never merges: it leaves a second copy of the journal beside the
first. Every record (an attempt, a custom challenge, the ladder, each
setting) is known by its key — ``(table, id)`` — and each copy holds, per
key, one *version*: the record's document, or a tombstone saying it was
deleted, stamped with when and by which device (``updated_at`` in UTC,
``updated_by`` a random device id).

The rule, per key:

- on one side only: taken (a tombstone too, so a deletion travels);
- on both: the newer stamp ``(updated_at, device)`` wins — so an edit newer
  than a deletion beats the deletion, and a deletion newer than an edit
  beats the edit; the same stamp with different contents (never made by
  the app) is settled by the contents, so both sides agree;
- every version that lost is kept (``Merged.losers``), for a merge backup
  the person can open: nothing typed is lost.

The result is a join in the mathematical sense — merging is commutative,
associative and idempotent (property-tested), so it does not matter which
device merges first or how often.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, str]
"""(table, record id): an attempt's id, a challenge's id, "ladder", a setting's key."""


@dataclass(frozen=True)
class Version:
    """One record as one copy of the journal holds it."""

    updated_at: str
    """ISO 8601 in UTC (``...+00:00``): compared as text, which orders UTC times."""
    updated_by: str
    """The device that made this version."""
    document: str | None
    """The record's document as canonical JSON (``canonical``); None for a tombstone."""

    @property
    def deleted(self) -> bool:
        return self.document is None

    def order(self) -> tuple[str, str, bool, str]:
        """The total order merging picks the greatest of (the newest stamp; on a tie, a kept
        record over a tombstone, then the contents), so every copy picks the same one."""
        return (self.updated_at, self.updated_by, self.document is not None, self.document or "")


def canonical(document: Mapping[str, Any]) -> str:
    """One spelling per document, so equal documents are equal versions."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Merged:
    """Per key, the winning version and the versions that lost to it."""

    winners: Mapping[Key, Version] = field(default_factory=dict)
    losers: Mapping[Key, frozenset[Version]] = field(default_factory=dict)

    @classmethod
    def of(cls, versions: Mapping[Key, Version]) -> Merged:
        """One copy of the journal, nothing lost yet."""
        return cls(dict(versions), {})

    def versions(self, key: Key) -> set[Version]:
        return {self.winners[key], *self.losers.get(key, ())}


def merge(a: Merged, b: Merged) -> Merged:
    """Both copies as one: per key the greatest version wins, every other is kept as a loser."""
    winners: dict[Key, Version] = {}
    losers: dict[Key, frozenset[Version]] = {}
    for key in a.winners.keys() | b.winners.keys():
        seen: set[Version] = set()
        for side in (a, b):
            if key in side.winners:
                seen |= side.versions(key)
        best = max(seen, key=Version.order)
        winners[key] = best
        lost = frozenset(seen - {best})
        if lost:
            losers[key] = lost
    return Merged(winners, losers)


def merge_all(copies: Iterable[Merged]) -> Merged:
    result = Merged()
    for copy in copies:
        result = merge(result, copy)
    return result


@dataclass(frozen=True)
class Summary:
    """What a merge brought, in counts (for the one-screen summary)."""

    added: int
    """Keys the other copy had and this one did not."""
    changed: int
    """Keys whose winner came from the other copy (an edit or a deletion made there)."""
    both: int
    """Keys edited on both copies: the newer kept, the other saved among the losers."""


def summary(mine: Merged, theirs: Merged, merged: Merged) -> Summary:
    added = sum(1 for key in merged.winners if key not in mine.winners)
    changed = sum(
        1 for key, won in merged.winners.items() if key in mine.winners and won != mine.winners[key]
    )
    both = sum(
        1
        for key in merged.winners
        if key in mine.winners and key in theirs.winners and mine.winners[key] != theirs.winners[key]
    )
    return Summary(added, changed, both)
