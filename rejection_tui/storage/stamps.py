"""The stamps schema 2 puts on records (issue 15): when and by which device each was saved.

Kept apart from ``storage.syncing`` (the merge), which only a merge needs: every
save needs these, and nothing here costs anything to import (issue 12).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

STAMPED = ("attempts", "challenges", "ladder", "settings")
"""The tables whose records carry stamps and merge by key."""
TOMBSTONES = "tombstones"
STAMP_FIELDS = ("updated_at", "updated_by")
LADDER_ID = "ladder"
KEEP_TOMBSTONES = timedelta(days=180)
"""How long a deletion is remembered: a copy older than this may bring a deleted record back."""


def stamp(when: datetime) -> str:
    """A stamp's text: UTC, always the same width, so stamps order as text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def stamp_of_time(when: object) -> str:
    """The stamp of a stored ISO time; "" (older than any stamp) when it does not read."""
    if not isinstance(when, str):
        return ""
    try:
        parsed = datetime.fromisoformat(when)
    except ValueError:
        return ""
    return stamp(parsed) if parsed.tzinfo is not None else ""


def stamped(doc: dict[str, Any], now: str, device: str) -> dict[str, Any]:
    """``doc`` as saved now by ``device``."""
    return {**doc, "updated_at": now, "updated_by": device}


def tombstone(table: str, record_id: str, now: str, device: str) -> dict[str, Any]:
    return {"table": table, "id": record_id, "deleted_at": now, "deleted_by": device}


def prune_tombstones(table: dict[str, Any], now: datetime) -> None:
    """Forget deletions older than ``KEEP_TOMBSTONES`` (in place)."""
    cutoff = stamp(now - KEEP_TOMBSTONES)
    for key, doc in list(table.items()):
        if isinstance(doc, dict) and isinstance(doc.get("deleted_at"), str) and doc["deleted_at"] < cutoff:
            del table[key]
