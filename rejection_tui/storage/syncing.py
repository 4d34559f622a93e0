"""Two copies of one journal as one, record by record (issue 15, several devices).

``domain.merge`` holds the rule (per key the newest version wins, every
other is kept); this module reads a journal document into those versions and
writes the result back as a document:

- attempts and custom challenges are known by their ``id``, settings by
  their ``key``, the ladder in use is one record; each carries
  ``updated_at`` (UTC) and ``updated_by`` (a device id) since schema 2;
- a deleted record leaves a tombstone in the ``tombstones`` table, so a
  deletion travels to the other copy instead of the record coming back;
- a document the journal cannot use (no id, a second one with the same id,
  an older ladder) is carried exactly as stored, so nothing is dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rejection_tui.domain.ladder import Ladder
from rejection_tui.domain.merge import Key, Merged, Version, canonical, merge
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.stamps import (
    LADDER_ID,
    STAMP_FIELDS,
    STAMPED,
    TOMBSTONES,
    tombstone,
)

Document = dict[str, dict[str, Any]]


_CARRIED = "/as stored"
"""Suffix of the table part of a key for a document carried as stored (see the module doc)."""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _record_id(table: str, doc: dict[str, Any]) -> str | None:
    if table == "settings":
        key = doc.get("key")
        return key if isinstance(key, str) else None
    if table == "ladder":
        return LADDER_ID
    record_id = doc.get("id")
    return record_id if isinstance(record_id, str) and record_id.strip() else None


def _ladder_in_use(docs: list[tuple[int, object]]) -> int | None:
    """The document id of the ladder in use: the newest that reads (as ``Journal.ladder``)."""
    for doc_id, doc in reversed(docs):
        try:
            Ladder.from_dict(doc)
        except ValidationError:
            continue
        return doc_id
    return None


@dataclass
class Side:
    """One copy of the journal as versions, with each version's stored document."""

    merged: Merged
    docs: dict[Key, Any] = field(default_factory=dict)
    order: list[Key] = field(default_factory=list)


def side_of(document: Document) -> Side:
    winners: dict[Key, Version] = {}
    losers: dict[Key, frozenset[Version]] = {}
    docs: dict[Key, Any] = {}
    order: list[Key] = []

    def put(key: Key, version: Version, doc: Any) -> None:
        if key not in winners:
            winners[key], docs[key] = version, doc
            order.append(key)
            return
        # A record and its tombstone in one file: the newer counts, the other is kept.
        old = winners[key]
        best = max(old, version, key=Version.order)
        losers[key] = frozenset({*losers.get(key, ()), old, version} - {best})
        if best is version:
            winners[key], docs[key] = version, doc

    def carry(table: str, doc: Any) -> None:
        spelled = canonical({"doc": doc})
        put((table + _CARRIED, spelled), Version("", "", spelled), doc)

    for table in STAMPED:
        stored = document.get(table) or {}
        entries = sorted(((int(key), doc) for key, doc in stored.items()), key=lambda e: e[0])
        in_use = _ladder_in_use(list(entries)) if table == "ladder" else None
        seen: set[str] = set()
        for doc_id, doc in entries:
            record_id = _record_id(table, doc) if isinstance(doc, dict) else None
            if record_id is None or record_id in seen or (table == "ladder" and doc_id != in_use):
                carry(table, doc)
                continue
            seen.add(record_id)
            body = {k: v for k, v in doc.items() if k not in STAMP_FIELDS}
            version = Version(_text(doc.get("updated_at")), _text(doc.get("updated_by")), canonical(body))
            put((table, record_id), version, doc)
    for _, doc in sorted(
        ((int(k), d) for k, d in (document.get(TOMBSTONES) or {}).items()), key=lambda e: e[0]
    ):
        if (
            isinstance(doc, dict)
            and doc.get("table") in STAMPED
            and isinstance(doc.get("id"), str)
            and isinstance(doc.get("deleted_at"), str)
        ):
            version = Version(doc["deleted_at"], _text(doc.get("deleted_by")), None)
            put((doc["table"], doc["id"]), version, doc)
        else:
            carry(TOMBSTONES, doc)
    return Side(Merged(winners, losers), docs, order)


def _table_of(key: Key) -> str:
    return key[0].removesuffix(_CARRIED)


def _document_of(key: Key, version: Version) -> Any:
    """A version's stored document, rebuilt from its canonical text."""
    if key[0].endswith(_CARRIED):
        return json.loads(key[1])["doc"]
    if version.document is None:
        return tombstone(key[0], key[1], version.updated_at, version.updated_by)
    doc: dict[str, Any] = json.loads(version.document)
    if version.updated_at or version.updated_by:
        doc.update(updated_at=version.updated_at, updated_by=version.updated_by)
    return doc


def document_of(winners: dict[Key, tuple[Version, Any]], order: list[Key], base: Document) -> Document:
    """A journal document: ``base``'s meta and other tables, and per key its winning version."""
    document: Document = {
        name: table for name, table in base.items() if name not in STAMPED and name != TOMBSTONES
    }
    tables: dict[str, dict[str, Any]] = {name: {} for name in (*STAMPED, TOMBSTONES)}
    for key in order:
        version, doc = winners[key]
        name = TOMBSTONES if version.document is None and not key[0].endswith(_CARRIED) else _table_of(key)
        target = tables[name]
        target[str(len(target) + 1)] = doc
    for name, table in tables.items():
        if table or name in base:
            document[name] = table
    return document


@dataclass(frozen=True)
class Counts:
    """What a merge took from the other copy, per table."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    kept_ours: int = 0
    """Records both copies hold differently where this copy's version is the newer."""

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.deleted or self.kept_ours)


@dataclass
class Merge:
    """Two documents as one (see :func:`merge_documents`)."""

    document: Document
    counts: dict[str, Counts]
    """Per table ("attempts", "challenges", "ladder", "settings"; carried documents under their table)."""
    older: list[tuple[str, Any]]
    """The versions that lost and differ from the one kept, as (table, stored document): nothing
    anyone typed is lost, they go into a file the person can open."""
    changed: bool
    """Whether the result differs from this copy (else there is nothing to write)."""


def merge_documents(ours: Document, theirs: Document) -> Merge:
    """``ours`` and ``theirs`` as one document, keeping ``ours``'s meta and record order."""
    a, b = side_of(ours), side_of(theirs)
    result = merge(a.merged, b.merged)
    winners: dict[Key, tuple[Version, Any]] = {}
    for key, version in result.winners.items():
        if a.merged.winners.get(key) == version:
            winners[key] = (version, a.docs[key])
        elif b.merged.winners.get(key) == version:
            winners[key] = (version, b.docs[key])
        else:  # a loser within one copy that now wins (a record and its tombstone in one file)
            winners[key] = (version, _document_of(key, version))
    order = a.order + [key for key in b.order if key not in a.merged.winners]
    counts: dict[str, dict[str, int]] = {}
    older: list[tuple[str, Any]] = []
    for key in order:
        won = result.winners[key]
        mine, other = a.merged.winners.get(key), b.merged.winners.get(key)
        tally = counts.setdefault(_table_of(key), {"added": 0, "updated": 0, "deleted": 0, "kept_ours": 0})
        if mine is None:
            if not won.deleted:
                tally["added"] += 1
        elif won != mine and won.document != mine.document:
            tally["deleted" if won.deleted else "updated"] += 1
        elif other is not None and other.document != mine.document and not other.deleted:
            tally["kept_ours"] += 1
        kept: set[str | None] = {won.document, None}
        for lost in sorted(result.losers.get(key, ()), key=Version.order, reverse=True):
            if lost.document not in kept:
                kept.add(lost.document)
                older.append((_table_of(key), _document_of(key, lost)))
    changed = any(result.winners[key] != a.merged.winners.get(key) for key in order) or bool(a.merged.losers)
    return Merge(
        document_of(winners, order, ours) if changed else ours,
        {table: Counts(**tally) for table, tally in counts.items() if any(tally.values())},
        older,
        changed,
    )


def split_export(ours: Document, export: Document) -> tuple[Document, list[tuple[str, Any]]]:
    """An export's records new to ``ours`` (a document to merge), and its differing versions
    of records ``ours`` has, to keep among the versions not kept.

    An export carries no stamps, so it cannot say which version is newer: the
    journal keeps its own, and nothing of the export's is lost.
    """
    mine = side_of(ours).merged.winners
    side = side_of(export)
    new: Document = {name: t for name, t in export.items() if name not in STAMPED and name != TOMBSTONES}
    older: list[tuple[str, Any]] = []
    for key in side.order:
        doc = side.docs[key]
        if key in mine:
            if mine[key].document != side.merged.winners[key].document:
                older.append((_table_of(key), doc))
            continue
        table = new.setdefault(_table_of(key), {})
        table[str(len(table) + 1)] = doc
    return new, older


def older_document(older: list[tuple[str, Any]], meta: dict[str, Any]) -> Document:
    """The versions a merge did not keep, as a journal the person can open (``--db``)."""
    document: Document = {"meta": {"1": meta}}
    for table, doc in older:
        target = document.setdefault(table, {})
        target[str(len(target) + 1)] = doc
    return document


_NOUNS = {
    "attempts": ("attempt", "attempts"),
    "challenges": ("challenge of your own", "challenges of your own"),
    "ladder": ("ladder", "ladders"),
    "settings": ("setting", "settings"),
    TOMBSTONES: ("deletion", "deletions"),
}


def _count(number: int, table: str) -> str:
    one, many = _NOUNS.get(table, ("record", "records"))
    return f"{number:,} {one if number == 1 else many}"


def describe(counts: dict[str, Counts]) -> list[str]:
    """One plain sentence per kind of change, for the merge summary."""
    sentences = []
    for table, tally in counts.items():
        parts = []
        if tally.added:
            parts.append(f"{_count(tally.added, table)} added")
        if tally.updated:
            parts.append(f"{_count(tally.updated, table)} updated to the newer version")
        if tally.deleted:
            parts.append(f"{_count(tally.deleted, table)} deleted, as on the other device")
        if tally.kept_ours:
            parts.append(f"{_count(tally.kept_ours, table)} kept as here, where this version is the newer")
        if parts:
            sentences.append("; ".join(parts) + ".")
    return [s[0].upper() + s[1:] for s in sentences]


@dataclass(frozen=True)
class CopyMerge:
    """What merging one other copy of the journal did, or why it was not merged."""

    copy: Path
    sentences: tuple[str, ...] = ()
    """What came from the copy, a sentence per kind of record (empty: nothing new)."""
    older: Path | None = None
    """Where the versions not kept are saved (None: every version was kept)."""
    moved_to: Path | None = None
    """Where the copy went once merged (``backups/merged/``); None if it stays where it was."""
    problem: str | None = None
    """Why it was not merged (a clause); it was left exactly where and as it was."""

    @property
    def merged(self) -> bool:
        return self.problem is None

    def text(self) -> str:
        """The report in plain sentences, for the merge summary and the shell commands."""
        name = self.copy.name
        if self.problem is not None:
            return (
                f"{name} was not merged: {self.problem}. It is left where it is, unchanged: "
                "look at it with `rejection-tui --db` and that file, or delete it when you no longer need it."
            )
        what = " ".join(self.sentences) if self.sentences else "It held nothing this journal lacked."
        parts = [f"Merged {name}. {what}"]
        if self.older is not None:
            parts.append(f"The versions not kept are saved in {self.older}.")
        if self.moved_to is not None:
            parts.append(f"The copy was moved to {self.moved_to.parent}.")
        return " ".join(parts)
