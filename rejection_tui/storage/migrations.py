"""Schema versions of the journal and the steps between them.

Version 0 is a journal without a ``meta`` table: a hand-made or stock
TinyDB file with attempts that may lack fields added to the contract
later. Version 1 is the contract in DESIGN.md. Version 2 (issue 15, several
devices) stamps every record with ``updated_at`` and ``updated_by`` and
keeps deleted records' ids in a ``tombstones`` table (``storage.syncing``). A migration works on the
whole document in memory; the journal saves the result in one atomic write
after a backup.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

Document = dict[str, dict[str, dict[str, Any]]]

SCHEMA_VERSION = 2
OUR_TABLES = frozenset({"_default", "meta", "attempts", "challenges", "ladder", "settings", "tombstones"})

ATTEMPT_DEFAULTS: dict[str, Any] = {
    "p_rejection": None,
    "worry": "",
    "worry_cost": None,
    "done_at": None,
    "fear_after": None,
    "outcome": None,
    "worry_happened": None,
    "lesson": "",
    "note": "",
    "safety_behaviours": [],
}


def meta_document(created_at: datetime) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "created_at": created_at.isoformat()}


def new_document(created_at: datetime) -> Document:
    return {"meta": {"1": meta_document(created_at)}}


def schema_version(document: Document) -> int:
    """The document's version; ``ValueError`` when it is not one of ours."""
    meta = document.get("meta")
    if not meta:
        foreign = [name for name, table in document.items() if table and name not in OUR_TABLES]
        if foreign:
            raise ValueError(
                "it does not look like a rejection-tui journal (unknown tables: "
                + ", ".join(sorted(foreign))
                + ")"
            )
        return 0
    version = next(iter(meta.values())).get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError("its meta table has no valid schema_version")
    return version


def _v0_to_v1(document: Document, now: datetime) -> Document:
    for doc in document.get("attempts", {}).values():
        for key, default in ATTEMPT_DEFAULTS.items():
            doc.setdefault(key, copy.copy(default))
        doc.setdefault("status", "done" if doc.get("fear_after") is not None else "planned")
    document["meta"] = {"1": meta_document(now)}
    return document


def _v1_to_v2(document: Document, now: datetime) -> Document:
    """Stamp every record, the same way on every device.

    Two devices that migrate the same schema-1 file must make the same
    versions, or merging their copies later would see every record as
    "edited on both". So the stamps come from the records, not from the
    clock or the device: an attempt is stamped with when it was rated (else
    planned), by no device (""); every other record with the oldest stamp
    there is, so any later edit wins over it.
    """
    from rejection_tui.storage.stamps import stamp_of_time

    for doc in document.get("attempts", {}).values():
        if isinstance(doc, dict):
            when = doc.get("done_at") or doc.get("created_at")
            doc.setdefault("updated_at", stamp_of_time(when))
            doc.setdefault("updated_by", "")
    return document


MIGRATIONS: dict[int, Callable[[Document, datetime], Document]] = {0: _v0_to_v1, 1: _v1_to_v2}


def migrate(document: Document, from_version: int, now: datetime) -> Document:
    """Return a migrated deep copy; the input is left as it was."""
    migrated = copy.deepcopy(document)
    for version in range(from_version, SCHEMA_VERSION):
        migrated = MIGRATIONS[version](migrated, now)
    migrated["meta"]["1"]["schema_version"] = SCHEMA_VERSION
    return migrated
