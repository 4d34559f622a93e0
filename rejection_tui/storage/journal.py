"""The journal: repository functions over one TinyDB file.

Every method validates before it writes, so nothing half-valid reaches the
disk; every write goes through :class:`SafeJSONStorage` at once. Attempts
are parsed once into domain records and kept in memory, so lists are free.
Methods take a lock, so the UI may save from a worker thread.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from tinydb import TinyDB
from tinydb.table import Table

from rejection_tui.domain.ladder import Ladder
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import WRITTEN_WHEN_GIVEN, Attempt, Challenge, Status, now_local
from rejection_tui.domain.pauses import Pause
from rejection_tui.domain.programs import Program, weekly_goal_error
from rejection_tui.domain.progress import DEFAULT_WEEKLY_GOAL
from rejection_tui.domain.settings import (
    SETTING_LABELS,
    read_pauses,
    read_program,
    read_thresholds,
    read_weekly_goal,
    setting_problems,
    usable_rest_days,
)
from rejection_tui.domain.text import counted
from rejection_tui.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from rejection_tui.domain.validation import ValidationError, parse_timestamp, shown
from rejection_tui.locations import device_id
from rejection_tui.storage.backups import merged_dir, put_away
from rejection_tui.storage.conflicts import scan
from rejection_tui.storage.decoding import RawTable
from rejection_tui.storage.errors import (
    JournalEncrypted,
    JournalError,
    JournalTooNew,
    JournalUnreadable,
    JournalWriteFailed,
    JournalWrongPassphrase,
)
from rejection_tui.storage.formats import FullBackup, render
from rejection_tui.storage.migrations import (
    SCHEMA_VERSION,
    migrate,
    new_document,
    schema_version,
)
from rejection_tui.storage.safe_storage import SafeJSONStorage, serialize
from rejection_tui.storage.stamps import TOMBSTONES, prune_tombstones, stamp, stamped, tombstone

if TYPE_CHECKING:  # imported where used: not before the app's first frame (issue 12)
    from rejection_tui.domain.stats import Summary
    from rejection_tui.storage.sealed import Keys
    from rejection_tui.storage.syncing import CopyMerge, Document


class NotFound(LookupError):
    """No record with that id."""


@dataclass(frozen=True)
class MergeResult:
    """What an import did: attempts added, updated, already there, unreadable entries carried;
    for a full backup also its challenges, and which of its ladder and settings were taken."""

    added: int
    updated: int
    unchanged: int
    carried: int = 0
    challenges_added: int = 0
    challenges_updated: int = 0
    taken: tuple[str, ...] = ()
    """What the journal took from the file because it had none: "the ladder (9 rungs)", "theme"."""
    kept: tuple[str, ...] = ()
    """Where the journal kept its own and the file's differs (never overwritten): "ladder"."""
    refused: tuple[str, ...] = ()
    """Settings in the file this version cannot use, each with why: "theme: The theme must be text"."""

    def summary(self, *, unreadable: bool = False) -> str:
        """The attempts in one phrase; ``unreadable`` when the file carried unreadable entries."""
        text = f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} already there"
        if unreadable:
            kept = (
                "1 unreadable entry kept as it was" if self.carried == 1
                else f"{self.carried:,} unreadable entries kept as they were"
            )  # fmt: skip
            text += f", {kept}"
        return text

    def notes(self) -> list[str]:
        """A sentence each on the challenges, ladder and settings of a full backup."""
        notes = []
        if self.challenges_added or self.challenges_updated:
            notes.append(
                f"Your own challenges: {self.challenges_added:,} added, {self.challenges_updated:,} updated."
            )
        if self.taken:
            notes.append(f"Taken from the file: {', '.join(self.taken)}.")
        if self.kept:
            one = len(self.kept) == 1
            notes.append(
                f"Kept your own {_and(self.kept)}: the file's {'differs' if one else 'differ'} "
                f"and {'was' if one else 'were'} not taken."
            )
        notes += [f"Not taken, as this version cannot use it: {why}." for why in self.refused]
        return notes


def _seen_as(copy: Path) -> tuple[str, int, int] | None:
    try:
        info = os.stat(copy)
    except OSError:
        return None
    return (copy.name, info.st_size, info.st_mtime_ns)


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


_UNSAID_SETTINGS = frozenset({"welcomed"})
"""Settings an import takes or keeps without a word: not something the person chose."""


@dataclass
class _BackupPlan:
    """What merging a full backup changes, worked out before anything is written."""

    changes: dict[str, Callable[[dict[str, Any]], None]]
    challenges_added: int = 0
    challenges_updated: int = 0
    taken: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()

    def result(self, added: int, updated: int, unchanged: int, carried: int) -> MergeResult:
        return MergeResult(
            added,
            updated,
            unchanged,
            carried,
            self.challenges_added,
            self.challenges_updated,
            self.taken,
            self.kept,
            self.refused,
        )


def _canonical(doc: object) -> str:
    """One spelling of a JSON value, to tell exact copies apart (1, 1.0 and true differ)."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


def _value_at(doc: object, path: str) -> tuple[bool, object]:
    """(found, value) for a field path such as ``rungs[2].expected_fear``."""
    value = doc
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(value, list) or index >= len(value):
                return False, None
            value = value[index]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return False, None
    return True, value


def _sentence(table: str, doc_id: int | str, who: str, field: str | None, message: str, doc: object) -> str:
    """One problem as a sentence naming the table, the record and the field."""
    where = f"{table}, document {doc_id}{who}"
    if field is None:
        return f"{where}: {message}."
    found, value = _value_at(doc, field)
    return f"{where}, field {field} {f'is {shown(value)}' if found else 'is missing'}: {message}."


def _who_attempt(doc: dict[str, Any]) -> str:
    parts = [f"id {shown(doc['id'])}"] if isinstance(doc.get("id"), str) and doc["id"] else []
    if isinstance(doc.get("challenge_title"), str) and doc["challenge_title"]:
        parts.append(shown(doc["challenge_title"]))
    return f" ({', '.join(parts)})" if parts else ""


def _who_challenge(doc: dict[str, Any]) -> str:
    parts = [f"id {shown(doc['id'])}"] if isinstance(doc.get("id"), str) and doc["id"] else []
    if isinstance(doc.get("title"), str) and doc["title"]:
        parts.append(shown(doc["title"]))
    return f" ({', '.join(parts)})" if parts else ""


_DEFAULTED = frozenset(WRITTEN_WHEN_GIVEN)
"""Attempt fields ``to_dict`` leaves out when they hold their default."""


def _merged(stored: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A stored attempt document updated with ``fields``: its extra fields (a newer version's,
    a person's) stay; a defaulted field that ``fields`` leaves out goes back to its default."""
    return {**{k: v for k, v in stored.items() if k not in _DEFAULTED}, **fields}


def _by_id(document: dict[str, Any], table: str) -> dict[int, Any]:
    """A table's documents by number: a hand-edited "007" is document 7, as TinyDB reads it."""
    return {int(key): doc for key, doc in document.get(table, {}).items()}


def _documents(document: dict[str, Any], table: str) -> list[tuple[int, dict[str, Any]]]:
    """A table's documents with their ids, lowest id first."""
    return sorted(((int(key), doc) for key, doc in document.get(table, {}).items()), key=lambda e: e[0])


class Journal:
    def __init__(
        self, db: TinyDB, storage: SafeJSONStorage, *, clock: Callable[[], datetime] = now_local
    ) -> None:
        self._db = db
        self._storage = storage
        self._clock = clock
        self._mutex = threading.RLock()
        self._attempts: dict[str, tuple[int, Attempt]] = {}
        self._bad_attempts: dict[int, ValidationError] = {}
        """Attempts in the file that fail validation (by document id): kept on disk untouched."""
        self._bad_docs: dict[int, Any] = {}
        """Those attempts as stored, to name them (the storage keeps no parsed attempt)."""
        self._twins: dict[str, list[int]] = {}
        """Readable attempts whose id an earlier document already has (attempt id → document ids)."""
        self._status: str | None = None
        """The status file's text as last written (see :meth:`refresh_status`)."""
        self.generation = 0
        """Counts the times the journal was read again because another version was merged in
        (a screen showing it refreshes when this moves)."""
        self.merges: list[CopyMerge] = []
        self._refused: set[tuple[str, int, int]] = set()
        """Files looked at and not merged this session (name, size, mtime): not again."""
        """What merging conflict copies did, not shown yet (see :meth:`take_merges`)."""
        self._load_attempts()

    # -- opening and closing ------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        clock: Callable[[], datetime] = now_local,
        reader: bool = False,
        passphrase: Callable[[], str] | None = None,
        keys: Keys | None = None,
        merge_copies: bool = True,
    ) -> Journal:
        """Open (creating if missing), lock and migrate the journal at ``path``.

        ``reader``: a read-only snapshot that never takes the writer's lock (it works
        while the app has the journal open); ``FileNotFoundError`` when there is none.
        ``passphrase`` is called (once) only when the file is encrypted; ``keys``:
        already unlocked ones (a conflict copy is sealed with the journal's keys).

        A writer then merges the conflict copies sync tools left beside the
        journal (``merge_copies=False``: not now); ``merges`` says what it did.
        """
        db = TinyDB(
            path,
            storage=SafeJSONStorage,
            initial=lambda: new_document(clock()),
            clock=clock,
            reader=reader,
            passphrase=passphrase,
            keys=keys,
            device="" if reader else device_id(),
        )
        storage: SafeJSONStorage = db.storage  # type: ignore[assignment]
        try:
            try:
                version = schema_version(storage.read_tables())
            except ValueError as error:
                raise JournalUnreadable(storage.path, str(error)) from None
            if version > SCHEMA_VERSION:
                raise JournalTooNew(storage.path, version, SCHEMA_VERSION)
            if version < SCHEMA_VERSION:
                migrated = migrate(storage.read(), version, clock())
                if storage.read_only or storage.reader:
                    # Nothing may be written: show the migrated journal, leave the file as it is.
                    storage.keep_in_memory(migrated)
                else:
                    storage.backup_now(f"before-v{SCHEMA_VERSION}")
                    storage.write(migrated)
            journal = cls(db, storage, clock=clock)
            if merge_copies and not storage.reader and not storage.read_only:
                journal.merge_copies()
            return journal
        except BaseException:
            storage.abandon()  # refused: a lock file this open created goes too
            db.close()
            raise

    @property
    def path(self) -> Path:
        return self._storage.path

    def storage(self) -> SafeJSONStorage:
        """The storage under this journal (for encrypt, decrypt and a passphrase change)."""
        return self._storage

    @property
    def encrypted(self) -> bool:
        return self._storage.keys is not None

    @property
    def created(self) -> bool:
        """True when this open created the file."""
        return self._storage.created

    @property
    def read_only(self) -> str | None:
        """None when saves work; else one sentence saying why the journal is open read-only.

        Every write then raises ``JournalReadOnly`` before touching the disk;
        reading, ``stats`` and exports work as usual.
        """
        return self._storage.read_only

    @property
    def notices(self) -> list[str]:
        """Plain sentences to show the person once (permissions tightened, a deleted journal
        written back). Opening fills it and saves may add to it; use :meth:`take_notices`."""
        return self._storage.notices

    def take_notices(self) -> list[str]:
        """The notices not shown yet, emptied so each is shown once."""
        with self._mutex:
            taken = list(self._storage.notices)
            self._storage.notices.clear()
        return taken

    def close(self) -> None:
        with self._mutex:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            try:
                yield
            finally:
                if self._storage.merged_in:
                    # A save found another version in place (a sync tool's) and merged
                    # it in: what is saved is more than this journal knew. Read it again.
                    self._storage.merged_in = False
                    self._reload()

    def _reload(self) -> None:
        self._attempts.clear()
        self._bad_attempts.clear()
        self._bad_docs.clear()
        self._twins.clear()
        self._load_attempts()
        for name in self._db.tables():
            self._table(name)._next_id = None
        self.generation += 1

    def _stamped(self, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc`` as saved now on this device (schema 2: see ``storage.syncing``)."""
        return stamped(doc, stamp(self._clock()), self._storage.device)

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    # -- meta ---------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        with self._locked():
            docs = self._table("meta").all()
            return dict(docs[0]) if docs else {}

    # -- problems -------------------------------------------------------------

    def problems(self) -> list[str]:
        """Every record the journal cannot use, one sentence each, naming the table, the record
        and the field: attempts, challenges, the ladder, settings and meta.

        Such records are kept in the file exactly as they are (no save drops
        them) and travel in JSON exports; the Dashboard and `rejection-tui
        check` show this list.
        """
        with self._locked():
            document = self._storage.read_tables()  # every table but the attempts: no attempt parsed
            return [
                *self._attempt_problems(document),
                *self._challenge_problems(document),
                *self._ladder_problems(document),
                *self._setting_problems(document),
                *self._meta_problems(document),
            ]

    def _attempt_problems(self, document: dict[str, Any]) -> list[str]:
        # The stored twins are parsed only when there are some.
        table = _by_id(self._storage.read(), "attempts") if self._twins else {}
        found: list[tuple[int, str]] = []
        for doc_id, error in self._bad_attempts.items():
            doc = self._bad_docs[doc_id]
            who = _who_attempt(doc) if isinstance(doc, dict) else ""
            found += [
                (doc_id, _sentence("attempts", doc_id, who, field, message, doc))
                for field, message in zip(error.fields, error.messages, strict=True)
            ]
        for attempt_id, twins in self._twins.items():
            shown_id = self._attempts[attempt_id][0]
            shown_doc = _canonical(table[shown_id])
            for twin in twins:
                doc = table[twin]
                if _canonical(doc) == shown_doc:
                    how = (
                        f"an exact copy of document {shown_id}, which is the one shown; "
                        "changing or deleting that attempt removes the copy too"
                    )
                else:
                    how = (
                        f"uses the same attempt id as document {shown_id}, which is the one shown, "
                        "but differs from it; it is hidden, and changing or deleting that attempt "
                        "is refused until one of the two is removed from the file"
                    )
                found.append((twin, f"attempts, document {twin}{_who_attempt(doc)}: {how}."))
        return [sentence for _, sentence in sorted(found, key=lambda e: e[0])]

    def _challenge_problems(self, document: dict[str, Any]) -> list[str]:
        problems = []
        seen: dict[str, int] = {}
        builtin = {c.id for c in builtin_challenges()}
        for doc_id, doc in _documents(document, "challenges"):
            who = _who_challenge(doc)
            try:
                challenge = Challenge.from_dict(doc)
            except ValidationError as error:
                problems += [
                    _sentence("challenges", doc_id, who, field, message, doc)
                    for field, message in zip(error.fields, error.messages, strict=True)
                ]
                continue
            if challenge.id in builtin:
                problems.append(
                    f"challenges, document {doc_id}{who}: a built-in challenge has the same id, "
                    "so this one is not used."
                )
            elif challenge.id in seen:
                problems.append(
                    f"challenges, document {doc_id}{who}: document {seen[challenge.id]} has the same id "
                    "and is the one used."
                )
            else:
                seen[challenge.id] = doc_id
        return problems

    def _ladder_problems(self, document: dict[str, Any]) -> list[str]:
        problems = []
        in_use = self._ladder_in_use()
        for doc_id, doc in _documents(document, "ladder"):
            try:
                Ladder.from_dict(doc)
            except ValidationError as error:
                problems += [
                    _sentence("ladder", doc_id, "", field, message, doc)
                    for field, message in zip(error.fields, error.messages, strict=True)
                ]
                continue
            if in_use and doc_id != in_use[0]:
                problems.append(
                    f"ladder, document {doc_id}: an older ladder; document {in_use[0]} is the one used."
                )
        return problems

    def _setting_problems(self, document: dict[str, Any]) -> list[str]:
        problems = []
        seen: dict[str, int] = {}
        for doc_id, doc in _documents(document, "settings"):
            key = doc.get("key")
            if not isinstance(key, str):
                message = "A setting needs a name as text"
                problems.append(_sentence("settings", doc_id, "", "key", message, doc))
                continue
            who = f" ({shown(key)})"
            if key in seen:
                problems.append(
                    f"settings, document {doc_id}{who}: document {seen[key]} has the same setting "
                    "and is the one used."
                )
                continue
            seen[key] = doc_id
            so = "so that day is left out" if key == "rest_days" else "so the default is used"
            for message in setting_problems(key, doc.get("value")):
                problems.append(_sentence("settings", doc_id, who, "value", f"{message}, {so}", doc))
        return problems

    def _meta_problems(self, document: dict[str, Any]) -> list[str]:
        problems = []
        for index, (doc_id, doc) in enumerate(_documents(document, "meta")):
            if index:
                problems.append(f"meta, document {doc_id}: only the first meta document is used.")
                continue
            try:
                parse_timestamp(doc.get("created_at"), "When the journal was created")
            except ValidationError as error:
                problems += [
                    _sentence("meta", doc_id, "", "created_at", message, doc) for message in error.messages
                ]
        return problems

    # -- attempts -----------------------------------------------------------

    def _load_attempts(self) -> None:
        # Read by the storage in one typed pass (storage/decoding.py): the records,
        # with no parsed document kept beside them (issue 12).
        shown = self._attempts
        for entry in self._storage.take_attempts():
            if len(entry) == 2 and entry[1].id not in shown:
                shown[entry[1].id] = entry  # the common case: the pair as read, without a call
            elif len(entry) == 2:
                self._place(entry[0], entry[1], None)
            else:
                self._place(*entry)

    def _index(self, doc_id: int, doc: object) -> None:
        """Sort one stored attempt into shown, unreadable or a hidden twin of a shown one."""
        try:
            attempt: Attempt | ValidationError = Attempt.from_dict(doc)  # type: ignore[arg-type]
        except ValidationError as error:
            attempt = error
        self._place(doc_id, attempt, doc)

    def _place(self, doc_id: int, attempt: Attempt | ValidationError, doc: object) -> None:
        """``_index`` for an attempt already judged (``doc``: the stored one, kept when unreadable)."""
        if isinstance(attempt, ValidationError):
            self._bad_attempts[doc_id] = attempt
            self._bad_docs[doc_id] = doc
            return
        shown_entry = self._attempts.get(attempt.id)
        if shown_entry is None:
            self._attempts[attempt.id] = (doc_id, attempt)
            return
        # Two documents, one id: the lower document id is shown, whatever the file's order.
        twins = self._twins.setdefault(attempt.id, [])
        if doc_id < shown_entry[0]:
            twins.append(shown_entry[0])
            self._attempts[attempt.id] = (doc_id, attempt)
        else:
            twins.append(doc_id)
        twins.sort()

    @property
    def unreadable(self) -> list[tuple[int, list[str]]]:
        """Attempts in the file that fail validation: (document id, reasons), kept on disk, not shown."""
        return [(doc_id, error.messages) for doc_id, error in sorted(self._bad_attempts.items())]

    def unreadable_documents(self) -> list[dict[str, Any]]:
        """Copies of every stored attempt not shown (unreadable ones, hidden twins), by document id.

        Exports carry them, so an export and its import lose nothing.
        """
        with self._locked():
            table = _by_id(self._storage.read(), "attempts")
            ids = sorted([*self._bad_attempts, *(i for twins in self._twins.values() for i in twins)])
            return [copy.deepcopy(table[doc_id]) for doc_id in ids]

    def _twin_copies(self, attempt_id: str) -> list[int]:
        """Document ids of exact copies of a shown attempt, to change or remove along with it.

        Refuses (``ValidationError``) when a copy differs: changing one could
        bring the other back at the next start.
        """
        twins = self._twins.get(attempt_id)
        if not twins:
            return []
        table = _by_id(self._storage.read(), "attempts")
        doc_id = self._attempts[attempt_id][0]
        shown_doc = _canonical(table[doc_id])
        if all(_canonical(table[t]) == shown_doc for t in twins):
            return list(twins)
        others = ", ".join(str(t) for t in twins)
        raise ValidationError(
            [
                f"Your journal file holds more than one attempt with the id {attempt_id} "
                f"(documents {doc_id} and {others}) and they differ, so this change was not saved: "
                "it could bring the other one back. `rejection-tui check` lists them; "
                "remove the wrong one from the file first."
            ]
        )

    def _write_table(self, name: str, change: Callable[[dict[str, Any]], None]) -> None:
        """Change a copy of one table and save the whole journal in one atomic write.

        Nothing in memory changes unless the write succeeded.
        """
        self._write_tables({name: change})

    def _write_tables(self, changes: dict[str, Callable[[dict[str, Any]], None]]) -> None:
        """Change copies of several tables and save the whole journal in one atomic write."""
        document = self._storage.read()
        tables = {}
        for name, change in changes.items():
            # Keys as TinyDB writes them ("7", never "007"), so a change finds its document.
            stored = document.get(name, {})
            if isinstance(stored, RawTable):  # the attempts: only the documents looked up are parsed
                table: dict[str, Any] = stored.renumbered()
            else:
                table = {str(doc_id): doc for doc_id, doc in _by_id(document, name).items()}
            change(table)
            tables[name] = table
        self._storage.write({**document, **tables})
        for name in changes:
            # TinyDB's table remembers the next free id; documents were added behind its back.
            self._table(name)._next_id = None

    def _forget_deletion(
        self, table_name: str, record_id: str
    ) -> dict[str, Callable[[dict[str, Any]], None]]:
        """The change removing a record's tombstone, when adding it back (an undo); else none."""
        stones = self._storage.read_tables().get(TOMBSTONES) or {}
        ids = [
            k
            for k, d in stones.items()
            if isinstance(d, dict) and (d.get("table"), d.get("id")) == (table_name, record_id)
        ]
        if not ids:
            return {}

        def change(table: dict[str, Any]) -> None:
            for key in ids:
                table.pop(key, None)

        return {TOMBSTONES: change}

    def add_attempt(self, attempt: Attempt) -> Attempt:
        attempt.validated()
        with self._locked():
            if attempt.id in self._attempts:
                raise ValidationError([f"An attempt with id {attempt.id} already exists"])
            added: list[int] = []

            def change(table: dict[str, Any]) -> None:
                # The id TinyDB's insert gives: one past the highest (its cached next id is
                # reset after every write here, and attempts are written only here).
                added.append(max(map(int, table), default=0) + 1)
                table[str(added[0])] = self._stamped(attempt.to_dict())

            # Not TinyDB's insert: that parses every stored attempt to write one (issue 12).
            self._write_tables({"attempts": change, **self._forget_deletion("attempts", attempt.id)})
            doc_id = added[0]
            self._attempts[attempt.id] = (doc_id, attempt)
            self.refresh_status()
        return attempt

    def update_attempt(self, attempt: Attempt) -> Attempt:
        attempt.validated()
        with self._locked():
            doc_id = self._doc_id(attempt.id)
            copies = self._twin_copies(attempt.id)
            fields = attempt.to_dict()

            def change(table: dict[str, Any]) -> None:
                # Merged into the stored document: keeps any extra fields a newer version or a user added.
                table[str(doc_id)] = self._stamped(_merged(table[str(doc_id)], fields))
                for twin in copies:  # exact copies of what was shown: nothing is lost
                    del table[str(twin)]

            self._write_table("attempts", change)
            self._attempts[attempt.id] = (doc_id, attempt)
            self._twins.pop(attempt.id, None)
            self.refresh_status()
        return attempt

    def delete_attempt(self, attempt_id: str) -> Attempt:
        """Remove an attempt; returns it so the caller can offer an undo."""
        with self._locked():
            entry = self._attempts.get(attempt_id)
            if entry is None:
                self._missing(attempt_id)
            doc_id, attempt = entry
            copies = self._twin_copies(attempt_id)

            def change(table: dict[str, Any]) -> None:
                for gone in (doc_id, *copies):  # what was shown, and exact copies of it
                    del table[str(gone)]

            def remember(table: dict[str, Any]) -> None:
                # So the deletion travels to other copies of the journal instead of the
                # attempt coming back from them (issue 15); old deletions are forgotten.
                prune_tombstones(table, self._clock())
                next_id = max(map(int, table), default=0) + 1
                table[str(next_id)] = tombstone(
                    "attempts", attempt_id, stamp(self._clock()), self._storage.device
                )

            self._write_tables({"attempts": change, TOMBSTONES: remember})
            del self._attempts[attempt_id]
            self._twins.pop(attempt_id, None)
            self.refresh_status()
        return attempt

    # -- other copies of the journal (issue 15) ---------------------------------

    def copies_waiting(self, *, named_only: bool = False) -> list[Path]:
        """Files beside the journal that may be other copies of it (not yet checked): what a
        crashed save set aside, conflict copies named as sync tools name them and, unless
        ``named_only``, files named like a copy by tools whose naming we do not know."""
        found = scan(self.path)
        return found.known if named_only else [*found.known, *found.maybe]

    def copies_to_merge(self) -> list[Path]:
        """``copies_waiting`` less the files already looked at and not merged (cheap: for polling)."""
        return [p for p in self.copies_waiting() if _seen_as(p) not in self._refused]

    def take_merges(self) -> list[CopyMerge]:
        """The merge reports not shown yet, emptied so each is shown once."""
        with self._mutex:
            taken, self.merges = self.merges, []
        return taken

    def merge_copies(self) -> list[CopyMerge]:
        """Merge every other copy of the journal found beside it (see :meth:`copies_waiting`).

        A copy that cannot be merged (unreadable, from a newer version, records
        that fail the contract, encrypted with another key) is reported and left
        exactly as it is; a merged one is moved to ``backups/merged/``. A file
        whose name sync tools do not use is merged only when it was made from
        this same journal (same creation time).
        """
        if self._storage.reader or self._storage.read_only:
            return []
        reports = []
        found = scan(self.path)  # one look: this runs every second while the app is open
        named = set(found.known)
        for source in [*found.known, *found.maybe]:
            seen = _seen_as(source)
            if seen is None or seen in self._refused:
                continue
            report = self.merge_file(source, put_away_after=True, same_journal_only=source not in named)
            if report is None or not report.merged:
                self._refused.add(seen)  # looked at once: not every time the app looks again
            if report is not None:
                reports.append(report)
        with self._mutex:
            self.merges += reports
        return reports

    def merge_file(
        self, source: Path, *, put_away_after: bool = False, same_journal_only: bool = False
    ) -> CopyMerge | None:
        """Merge the journal (or JSON/CSV export) ``source`` into this one, record by record.

        Backed up first, written in one atomic save; the versions not kept go
        to ``backups/merged/``. None when ``same_journal_only`` and ``source`` is
        not a copy of this journal (left alone without a word).
        """
        # Imported here: only a merge needs them, not every start (issue 12).
        from rejection_tui.storage.syncing import CopyMerge, describe, merge_documents, split_export

        read = self._read_copy(source, same_journal_only)
        if read is None:
            return None
        if isinstance(read, str):
            return CopyMerge(source, problem=read)
        with self._locked():
            export_older: list[tuple[str, Any]] = []
            if isinstance(read, tuple):  # an export: its new records, and its other versions kept
                theirs, export_older = split_export(self._storage.read(), read[0])
            else:
                theirs = read
            merge = merge_documents(self._storage.read(), theirs)
            try:
                older = self._storage.save_older([*merge.older, *export_older], theirs)
                if merge.changed:
                    self._storage.backup_now("before-merge")
                    self._storage.write(merge.document)
                    self._storage.merged_in = True  # read again as _locked ends
            except OSError as error:
                raise JournalWriteFailed(self.path, error.strerror or str(error)) from None
            moved = None
            if put_away_after:
                try:
                    moved = put_away(self.path, source)
                except OSError as error:
                    self._storage.notices.append(
                        f"{source} was merged, but could not be moved to {merged_dir(self.path)} "
                        f"({error.strerror or error}); merging it again changes nothing."
                    )
        return CopyMerge(source, tuple(describe(merge.counts)), older, moved)

    def _read_copy(self, source: Path, same_journal_only: bool) -> Document | tuple[Document] | str | None:
        """The copy as a schema-2 document (in a 1-tuple for an export: see ``split_export``);
        a clause saying why it cannot be merged; or None (``same_journal_only`` and not made
        from this journal)."""
        try:
            other = Journal.open(
                source, reader=True, keys=self._storage.keys, clock=self._clock, merge_copies=False
            )
        except JournalEncrypted:
            return "it is encrypted and this journal is not (decrypt it first)"
        except JournalWrongPassphrase:
            return "it is encrypted with another key"
        except JournalTooNew:
            return "it was written by a newer version of rejection-tui"
        except JournalUnreadable as error:
            if same_journal_only:
                return None
            export = self._export_document(source)
            return (export,) if export is not None else f"it cannot be read ({error.reason})"
        except (JournalError, OSError) as error:
            return f"it cannot be read ({getattr(error, 'strerror', None) or error})"
        with other:
            if same_journal_only and other.meta().get("created_at") != self.meta().get("created_at"):
                return None
            problems = other.problems()
            if problems:
                return (
                    f"{counted(len(problems), 'problem')} in it: some records cannot be read "
                    f"(`rejection-tui check --db {source}` lists them)"
                )
            return dict(other.storage().read())

    def _export_document(self, source: Path) -> Document | None:
        """A JSON or CSV export as a document (unstamped); None if it is not one."""
        from rejection_tui.storage.formats import ImportProblem, read_import_file

        try:
            imported = read_import_file(source)
        except (OSError, ImportProblem, ValueError):
            return None
        document: Document = {
            "meta": {"1": dict(self.meta())},
            "attempts": {str(i): a.to_dict() for i, a in enumerate(imported.attempts, start=1)},
        }
        backup = imported.backup
        if backup is not None:
            document["challenges"] = {str(i): c.to_dict() for i, c in enumerate(backup.challenges, start=1)}
            if backup.ladder is not None:
                document["ladder"] = {"1": backup.ladder.to_dict()}
            document["settings"] = {
                str(i): {"key": k, "value": v} for i, (k, v) in enumerate(backup.settings.items(), start=1)
            }
        return document

    def refresh_status(self) -> None:
        """Bring the status file (counts of what waits to be rated, for shell prompts) up to date.

        Written by the journal's writer only, and only when its text changes.
        """
        if self._storage.reader:
            return
        from rejection_tui.storage.inbox import write_status

        attempts = (a for _, a in self._attempts.values())
        self._status = write_status(self.path, attempts, self._status)

    def get_attempt(self, attempt_id: str) -> Attempt | None:
        entry = self._attempts.get(attempt_id)
        return entry[1] if entry else None

    def list_attempts(self, status: Status | None = None) -> list[Attempt]:
        """Attempts, newest first (by when they were done, else planned)."""
        with self._locked():
            attempts = [a for _, a in self._attempts.values() if status is None or a.status == status]
        attempts.sort(key=lambda a: a.done_at or a.created_at, reverse=True)
        return attempts

    def count_attempts(self) -> int:
        return len(self._attempts)

    def _doc_id(self, attempt_id: str) -> int:
        entry = self._attempts.get(attempt_id)
        if entry is None:
            self._missing(attempt_id)
        return entry[0]

    @staticmethod
    def _missing(record_id: str) -> NoReturn:
        raise NotFound(f"No record with id {record_id}")

    def merge_attempts(self, attempts: Sequence[Attempt]) -> tuple[int, int, int]:
        """Import by id (see :meth:`merge`); returns (added, updated, unchanged)."""
        result = self.merge(attempts)
        return result.added, result.updated, result.unchanged

    def merge(
        self,
        attempts: Sequence[Attempt],
        unreadable: Sequence[dict[str, Any]] = (),
        *,
        validated: bool = False,
        backup: FullBackup | None = None,
    ) -> MergeResult:
        """Import by id: add new ones, replace changed ones, never duplicate.

        ``unreadable`` are stored attempts an export could not read (its
        "unreadable" list): each is kept as it is, unless an exact copy is
        already in the journal. Everything is validated before anything is
        written, a backup of the journal is taken first, and the journal is
        saved in one atomic write: after a failure or a crash it holds all of
        the import or none of it. ``validated=True`` skips checking each
        attempt again when the caller just built them with ``Attempt.from_dict``
        (as ``formats.read_import`` does).

        ``backup`` (a full backup's challenges, ladder and settings) goes into
        the same write. Custom challenges merge by id like attempts. The
        ladder and each setting are taken from the file only where the
        journal has none (or only one it cannot use); where it has its own
        and the file's differs, the journal's is kept and ``kept`` says so: a
        person's ladder is never overwritten. A setting this version cannot
        use is not taken (``refused``).
        """
        seen: set[str] = set()
        for attempt in attempts:
            if not validated:
                attempt.validated()
            if attempt.id in seen:
                raise ValidationError([f"The attempt {attempt.id} appears twice in the import"])
            seen.add(attempt.id)
        with self._locked():
            new = [a for a in attempts if a.id not in self._attempts]
            changed = [a for a in attempts if a.id in self._attempts and self._attempts[a.id][1] != a]
            copies = {a.id: self._twin_copies(a.id) for a in changed}  # may refuse: before any write
            table_now = self._storage.read().get("attempts", {})
            carried: list[dict[str, Any]] = []
            if unreadable:
                known = {_canonical(doc) for doc in table_now.values()}
                for doc in unreadable:
                    if not isinstance(doc, dict):
                        raise ValidationError(["An unreadable entry in an import must be an object"])
                    spelled = _canonical(doc)
                    if spelled not in known:
                        known.add(spelled)
                        carried.append(doc)
            unchanged = len(attempts) - len(new) - len(changed)
            plan = self._backup_plan(backup) if backup is not None else _BackupPlan({})
            if not new and not changed and not carried and not plan.changes:
                return plan.result(0, 0, unchanged, 0)
            try:
                self._storage.backup_now("before-import")
            except OSError as error:
                reason = f"the backup before the import could not be written ({error.strerror or error})"
                raise JournalWriteFailed(self.path, reason) from None
            next_id = max((int(key) for key in table_now), default=0) + 1
            new_ids = range(next_id, next_id + len(new))
            carried_ids = range(next_id + len(new), next_id + len(new) + len(carried))

            def change(table: dict[str, Any]) -> None:
                for doc_id, attempt in zip(new_ids, new, strict=True):
                    table[str(doc_id)] = self._stamped(attempt.to_dict())
                for attempt in changed:
                    key = str(self._attempts[attempt.id][0])
                    # Merged into the stored document: extra fields stay.
                    table[key] = self._stamped(_merged(table[key], attempt.to_dict()))
                    for twin in copies[attempt.id]:
                        del table[str(twin)]
                for doc_id, doc in zip(carried_ids, carried, strict=True):
                    table[str(doc_id)] = copy.deepcopy(doc)

            changes = dict(plan.changes)
            if new or changed or carried:
                changes["attempts"] = change
            self._write_tables(changes)
            # Saved: now memory follows.
            for doc_id, attempt in zip(new_ids, new, strict=True):
                self._attempts[attempt.id] = (doc_id, attempt)
            for attempt in changed:
                self._attempts[attempt.id] = (self._attempts[attempt.id][0], attempt)
                if copies[attempt.id]:
                    self._twins.pop(attempt.id, None)
            stored = self._storage.read().get("attempts", {})
            for doc_id in carried_ids:
                self._index(doc_id, stored[str(doc_id)])
            if new or changed:
                self.refresh_status()
        return plan.result(len(new), len(changed), unchanged, len(carried))

    def _backup_plan(self, backup: FullBackup) -> _BackupPlan:
        """The changes a full backup's challenges, ladder and settings make (see :meth:`merge`)."""
        document = self._storage.read()
        plan = _BackupPlan({})
        taken: list[str] = []
        kept: list[str] = []
        refused: list[str] = []

        # Custom challenges, by id, like attempts.
        readable: dict[str, tuple[int, Challenge]] = {}
        for doc_id, challenge in self._readable_challenges():
            readable.setdefault(challenge.id, (doc_id, challenge))  # the first is the one used
        added = [c for c in backup.challenges if c.id not in readable]
        updated = [
            (readable[c.id][0], c) for c in backup.challenges if c.id in readable and readable[c.id][1] != c
        ]
        if added or updated:
            first = max(_by_id(document, "challenges"), default=0) + 1

            def change_challenges(table: dict[str, Any]) -> None:
                for doc_id, challenge in enumerate(added, start=first):
                    table[str(doc_id)] = self._stamped(challenge.to_dict())
                for doc_id, challenge in updated:
                    table[str(doc_id)] = self._stamped({**table[str(doc_id)], **challenge.to_dict()})

            plan.changes["challenges"] = change_challenges
            plan.challenges_added, plan.challenges_updated = len(added), len(updated)

        # The ladder: the file's only where the journal has none.
        if backup.ladder is not None:
            theirs = backup.ladder
            in_use = self._ladder_in_use()
            if in_use is None or not in_use[1].rungs:
                target = in_use[0] if in_use else max(_by_id(document, "ladder"), default=0) + 1

                def change_ladder(table: dict[str, Any]) -> None:
                    table[str(target)] = self._stamped({**table.get(str(target), {}), **theirs.to_dict()})

                plan.changes["ladder"] = change_ladder
                taken.append(f"the ladder ({counted(len(theirs.rungs), 'rung')})")
            elif in_use[1] != theirs:
                kept.append("ladder")

        # Settings, one by one: the file's only where the journal has none it can use.
        stored: dict[str, tuple[int, Any]] = {}
        for doc_id, doc in _documents(document, "settings"):
            key = doc.get("key")
            if isinstance(key, str) and key not in stored:  # the first is the one used
                stored[key] = (doc_id, doc.get("value"))
        replaced: dict[int, Any] = {}
        inserted: list[dict[str, Any]] = []
        for key, value in backup.settings.items():
            label = SETTING_LABELS.get(key, f"the setting {shown(key)}")
            mention = key not in _UNSAID_SETTINGS
            problems = setting_problems(key, value)
            if key in stored:
                doc_id, ours = stored[key]
                if _canonical(ours) == _canonical(value):
                    continue
                if problems or not setting_problems(key, ours):
                    if mention:
                        kept.append(label)
                    continue
                replaced[doc_id] = copy.deepcopy(value)  # ours cannot be used; theirs can
            elif problems:
                refused.append(f"{label} ({'; '.join(problems)})")
                continue
            else:
                inserted.append({"key": key, "value": copy.deepcopy(value)})
            if mention:
                taken.append(label)
        if replaced or inserted:
            first = max(_by_id(document, "settings"), default=0) + 1

            def change_settings(table: dict[str, Any]) -> None:
                for doc_id, value in replaced.items():
                    table[str(doc_id)] = self._stamped({**table[str(doc_id)], "value": value})
                for doc_id, doc in enumerate(inserted, start=first):
                    table[str(doc_id)] = self._stamped(doc)

            plan.changes["settings"] = change_settings
        plan.taken, plan.kept, plan.refused = tuple(taken), tuple(kept), tuple(refused)
        return plan

    def full_backup(self) -> FullBackup:
        """Everything beside the attempts that a full backup (the JSON export) carries."""
        with self._locked():
            settings: dict[str, Any] = {}
            for _, doc in _documents(self._storage.read_tables(), "settings"):
                key = doc.get("key")
                if isinstance(key, str) and key not in settings:  # the first is the one used
                    settings[key] = copy.deepcopy(doc.get("value"))
            ladder = self.ladder()
            return FullBackup(
                tuple(self.custom_challenges(include_archived=True)),
                ladder if ladder.rungs else None,
                settings,
            )

    # -- challenges ---------------------------------------------------------

    def _readable_challenges(self) -> list[tuple[int, Challenge]]:
        """Custom challenges that read, with their document ids; unreadable ones are problems()."""
        readable = []
        for doc_id, doc in _documents(self._storage.read_tables(), "challenges"):
            try:
                readable.append((doc_id, Challenge.from_dict(doc)))
            except ValidationError:
                continue
        return readable

    def custom_challenges(self, *, include_archived: bool = False) -> list[Challenge]:
        with self._locked():
            readable = self._readable_challenges()
        return [c for _, c in readable if include_archived or not c.archived]

    def all_challenges(self) -> list[Challenge]:
        """Built-in and custom challenges (not archived), by level then title."""
        everything = [*builtin_challenges(), *self.custom_challenges()]
        return sorted(everything, key=lambda c: (c.level, c.title.lower()))

    def find_challenge(self, challenge_id: str) -> Challenge | None:
        for challenge in [*builtin_challenges(), *self.custom_challenges(include_archived=True)]:
            if challenge.id == challenge_id:
                return challenge
        return None

    def add_challenge(self, challenge: Challenge) -> Challenge:
        if challenge.source != "custom":
            raise ValidationError(["Only custom challenges can be added"])
        challenge.validated()
        with self._locked():
            if self.find_challenge(challenge.id):
                raise ValidationError([f"A challenge with id {challenge.id} already exists"])
            self._insert("challenges", challenge.to_dict())
        return challenge

    def update_challenge(self, challenge: Challenge) -> Challenge:
        if challenge.source != "custom":
            raise ValidationError(["Built-in challenges cannot be edited"])
        challenge.validated()
        with self._locked():
            # Only a readable one: an unreadable document with the same id stays as it is.
            doc_id = next((i for i, c in self._readable_challenges() if c.id == challenge.id), None)
            if doc_id is None:
                self._missing(challenge.id)
            self._update("challenges", doc_id, challenge.to_dict())
        return challenge

    def archive_challenge(self, challenge_id: str, archived: bool = True) -> Challenge:
        with self._locked():
            current = next(
                (c for c in self.custom_challenges(include_archived=True) if c.id == challenge_id),
                None,
            )
            if current is None:
                self._missing(challenge_id)
            return self.update_challenge(Challenge(**{**current.to_dict(), "archived": archived}))

    # -- ladder -------------------------------------------------------------

    def _ladder_in_use(self) -> tuple[int, Ladder] | None:
        """The newest readable ladder document; older or unreadable ones are problems()."""
        for doc_id, doc in reversed(_documents(self._storage.read_tables(), "ladder")):
            try:
                return doc_id, Ladder.from_dict(doc)
            except ValidationError:
                continue
        return None

    def ladder(self) -> Ladder:
        """The saved ladder; empty when none reads (the file is left as it is)."""
        with self._locked():
            in_use = self._ladder_in_use()
        return in_use[1] if in_use else Ladder()

    def save_ladder(self, ladder: Ladder) -> Ladder:
        """Save over the ladder in use; an unreadable ladder document is never overwritten."""
        ladder.validated()
        with self._locked():
            in_use = self._ladder_in_use()
            if in_use:
                self._update("ladder", in_use[0], ladder.to_dict())
            else:
                self._insert("ladder", ladder.to_dict())
        return ladder

    # -- typed settings ------------------------------------------------------

    def weekly_goal(self) -> int:
        try:
            return read_weekly_goal(self.get_setting("weekly_goal", DEFAULT_WEEKLY_GOAL))
        except ValidationError:
            return DEFAULT_WEEKLY_GOAL  # named by problems()

    def set_weekly_goal(self, goal: int) -> None:
        error = weekly_goal_error(goal)
        if error:
            raise ValidationError([error])
        self.set_setting("weekly_goal", goal)

    def program(self) -> Program | None:
        try:
            return read_program(self.get_setting("program"))
        except ValidationError:
            return None  # named by problems()

    def set_program(self, program: Program | None) -> None:
        self.set_setting("program", program.to_dict() if program else None)

    def rest_days(self) -> set[date]:
        return usable_rest_days(self.get_setting("rest_days", []))

    def set_rest_days(self, days: set[date]) -> None:
        self.set_setting("rest_days", sorted(d.isoformat() for d in days))

    def pauses(self) -> tuple[Pause, ...]:
        """The pauses, sorted by start; none when the stored list cannot be read (named by problems())."""
        try:
            return read_pauses(self.get_setting("pauses", []))
        except ValidationError:
            return ()

    def set_pauses(self, pauses: Sequence[Pause]) -> None:
        """Save ``pauses`` (sorted by start); refused whole, with the reasons, if one is invalid."""
        checked = sorted((p.validated() for p in pauses), key=lambda p: (p.start, p.end))
        stored = [p.to_dict() for p in checked]
        read_pauses(stored)  # what is saved always reads back
        self.set_setting("pauses", stored)

    def thresholds(self) -> Thresholds:
        """The ladder's thresholds; the defaults when the stored ones cannot be read (named by problems())."""
        try:
            return read_thresholds(self.get_setting("thresholds"))
        except ValidationError:
            return DEFAULT_THRESHOLDS

    def set_thresholds(self, thresholds: Thresholds) -> None:
        """Save the thresholds that differ from the defaults (the others follow the defaults)."""
        thresholds.validated()
        default = DEFAULT_THRESHOLDS.to_dict()
        changed = {k: v for k, v in thresholds.to_dict().items() if v != default[k]}
        self.set_setting("thresholds", changed)

    def export_text(self, fmt: str, now: datetime) -> str:
        """An export of every attempt; CSV and Markdown say how many entries were left out.

        JSON is a full backup: custom challenges, the ladder and every setting too.
        """
        backup = self.full_backup() if fmt == "json" else None
        return render(
            fmt, self.list_attempts(), self.summary(now), left_out=self.unreadable_documents(), backup=backup
        )

    def summary(self, now: datetime) -> Summary:
        """The practice summary behind `stats`, the exports and the report."""
        from rejection_tui.domain.pauses import paused_days
        from rejection_tui.domain.stats import summarise

        return summarise(
            self.list_attempts(),
            now,
            rest_days=self.rest_days(),
            weekly_goal=self.weekly_goal(),
            paused=paused_days(self.pauses()),
        )

    # -- settings -----------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._locked():
            for _, doc in _documents(self._storage.read_tables(), "settings"):
                if doc.get("key") == key:
                    return copy.deepcopy(doc.get("value", default))
        return default

    def set_setting(self, key: str, value: Any) -> None:
        try:
            serialize(value)
        except ValueError as error:
            raise ValidationError([f"Setting {key!r} cannot be saved: {error}"]) from None
        with self._locked():
            docs = _documents(self._storage.read_tables(), "settings")
            doc_id = next((i for i, d in docs if d.get("key") == key), None)
            if doc_id is None:
                self._insert("settings", {"key": key, "value": value})
            else:
                self._update("settings", doc_id, {"value": value})

    def _insert(self, name: str, doc: dict[str, Any]) -> None:
        """Add one document to a table (stamped), in one atomic write."""

        def change(table: dict[str, Any]) -> None:
            table[str(max(map(int, table), default=0) + 1)] = self._stamped(doc)

        self._write_table(name, change)

    def _update(self, name: str, doc_id: int, fields: dict[str, Any]) -> None:
        """Update one document's ``fields`` (its other fields stay), stamped, in one atomic write."""

        def change(table: dict[str, Any]) -> None:
            table[str(doc_id)] = self._stamped({**table[str(doc_id)], **fields})

        self._write_table(name, change)


__all__ = ["Journal", "JournalError", "NotFound"]
