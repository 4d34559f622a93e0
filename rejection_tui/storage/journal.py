"""The journal: repository functions over one TinyDB file.

Every method validates before it writes, so nothing half-valid reaches the
disk; every write goes through :class:`SafeJSONStorage` at once. Attempts
are parsed once into domain records and kept in memory, so lists are free.
Methods take a lock, so the UI may save from a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

from tinydb import TinyDB
from tinydb.table import Table

from rejection_tui.domain.ladder import Ladder
from rejection_tui.domain.library import builtin_challenges
from rejection_tui.domain.models import Attempt, Challenge, Status, now_local
from rejection_tui.domain.programs import Program, rest_days_of, weekly_goal_error
from rejection_tui.domain.progress import DEFAULT_WEEKLY_GOAL
from rejection_tui.domain.stats import Summary, summarise
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.errors import JournalError, JournalTooNew, JournalUnreadable
from rejection_tui.storage.migrations import (
    SCHEMA_VERSION,
    migrate,
    new_document,
    schema_version,
)
from rejection_tui.storage.safe_storage import SafeJSONStorage, serialize


class NotFound(LookupError):
    """No record with that id."""


class Journal:
    def __init__(self, db: TinyDB, storage: SafeJSONStorage) -> None:
        self._db = db
        self._storage = storage
        self._mutex = threading.RLock()
        self._attempts: dict[str, tuple[int, Attempt]] = {}
        self.unreadable: list[tuple[int, list[str]]] = []
        """Attempts in the file that fail validation: kept on disk untouched, not shown."""
        self._load_attempts()

    # -- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] = now_local) -> Journal:
        """Open (creating if missing), lock and migrate the journal at ``path``."""
        db = TinyDB(
            path,
            storage=SafeJSONStorage,
            initial=lambda: new_document(clock()),
            clock=clock,
        )
        storage: SafeJSONStorage = db.storage  # type: ignore[assignment]
        try:
            try:
                version = schema_version(storage.read())
            except ValueError as error:
                raise JournalUnreadable(storage.path, str(error)) from None
            if version > SCHEMA_VERSION:
                raise JournalTooNew(storage.path, version, SCHEMA_VERSION)
            if version < SCHEMA_VERSION:
                storage.backup_now(f"before-v{SCHEMA_VERSION}")
                storage.write(migrate(storage.read(), version, clock()))
            return cls(db, storage)
        except BaseException:
            db.close()
            raise

    @property
    def path(self) -> Path:
        return self._storage.path

    @property
    def created(self) -> bool:
        """True when this open created the file."""
        return self._storage.created

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
            yield

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    # -- meta ---------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        with self._locked():
            docs = self._table("meta").all()
            return dict(docs[0]) if docs else {}

    # -- attempts -----------------------------------------------------------

    def _load_attempts(self) -> None:
        # Straight from the parsed document: from_dict only reads, and skipping
        # TinyDB's per-document copies matters at start-up with a long history.
        for key, doc in self._storage.read().get("attempts", {}).items():
            try:
                attempt = Attempt.from_dict(doc)
            except ValidationError as error:
                self.unreadable.append((int(key), error.messages))
                continue
            self._attempts[attempt.id] = (int(key), attempt)

    def add_attempt(self, attempt: Attempt) -> Attempt:
        attempt.validated()
        with self._locked():
            if attempt.id in self._attempts:
                raise ValidationError([f"An attempt with id {attempt.id} already exists"])
            doc_id = self._table("attempts").insert(attempt.to_dict())
            self._attempts[attempt.id] = (doc_id, attempt)
        return attempt

    def update_attempt(self, attempt: Attempt) -> Attempt:
        attempt.validated()
        with self._locked():
            doc_id = self._doc_id(attempt.id)
            # update() keeps any extra fields a newer version or a user added.
            self._table("attempts").update(attempt.to_dict(), doc_ids=[doc_id])
            self._attempts[attempt.id] = (doc_id, attempt)
        return attempt

    def delete_attempt(self, attempt_id: str) -> Attempt:
        """Remove an attempt; returns it so the caller can offer an undo."""
        with self._locked():
            entry = self._attempts.get(attempt_id)
            if entry is None:
                self._missing(attempt_id)
            doc_id, attempt = entry
            self._table("attempts").remove(doc_ids=[doc_id])
            del self._attempts[attempt_id]
        return attempt

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

    def merge_attempts(self, attempts: list[Attempt]) -> tuple[int, int, int]:
        """Import by id: add new ones, replace changed ones, never duplicate.

        Everything is validated before anything is written, and a backup of
        the journal is taken first. Returns (added, updated, unchanged).
        """
        for attempt in attempts:
            attempt.validated()
        with self._locked():
            new = [a for a in attempts if a.id not in self._attempts]
            changed = [a for a in attempts if a.id in self._attempts and self._attempts[a.id][1] != a]
            if not new and not changed:
                return 0, 0, len(attempts)
            self._storage.backup_now("before-import")
            table = self._table("attempts")
            if new:
                ids = table.insert_multiple([a.to_dict() for a in new])
                for doc_id, attempt in zip(ids, new, strict=True):
                    self._attempts[attempt.id] = (doc_id, attempt)
            if changed:
                replacements = {a.id: a.to_dict() for a in changed}

                def replace_fields(doc: MutableMapping[str, Any]) -> None:
                    doc.update(replacements[doc["id"]])

                # One write for all of them (update() with a callable, by doc id).
                table.update(replace_fields, doc_ids=[self._attempts[a.id][0] for a in changed])
                for attempt in changed:
                    self._attempts[attempt.id] = (self._attempts[attempt.id][0], attempt)
        return len(new), len(changed), len(attempts) - len(new) - len(changed)

    # -- challenges ---------------------------------------------------------

    def custom_challenges(self, *, include_archived: bool = False) -> list[Challenge]:
        with self._locked():
            docs = self._table("challenges").all()
        challenges = []
        for doc in docs:
            try:
                challenge = Challenge.from_dict(dict(doc))
            except ValidationError:
                continue
            if include_archived or not challenge.archived:
                challenges.append(challenge)
        return challenges

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
            self._table("challenges").insert(challenge.to_dict())
        return challenge

    def update_challenge(self, challenge: Challenge) -> Challenge:
        if challenge.source != "custom":
            raise ValidationError(["Built-in challenges cannot be edited"])
        challenge.validated()
        with self._locked():
            table = self._table("challenges")
            doc = next((d for d in table.all() if d.get("id") == challenge.id), None)
            if doc is None:
                self._missing(challenge.id)
            table.update(challenge.to_dict(), doc_ids=[doc.doc_id])
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

    def ladder(self) -> Ladder:
        """The saved ladder; an unreadable one reads as empty (the file is left as it is)."""
        with self._locked():
            docs = self._table("ladder").all()
        try:
            return Ladder.from_dict(dict(docs[0]) if docs else None)
        except ValidationError:
            return Ladder()

    def save_ladder(self, ladder: Ladder) -> Ladder:
        ladder.validated()
        with self._locked():
            table = self._table("ladder")
            docs = table.all()
            if docs:
                table.update(ladder.to_dict(), doc_ids=[docs[0].doc_id])
            else:
                table.insert(ladder.to_dict())
        return ladder

    # -- typed settings ------------------------------------------------------

    def weekly_goal(self) -> int:
        goal = self.get_setting("weekly_goal", DEFAULT_WEEKLY_GOAL)
        return DEFAULT_WEEKLY_GOAL if weekly_goal_error(goal) else int(goal)

    def set_weekly_goal(self, goal: int) -> None:
        error = weekly_goal_error(goal)
        if error:
            raise ValidationError([error])
        self.set_setting("weekly_goal", goal)

    def program(self) -> Program | None:
        return Program.from_dict(self.get_setting("program"))

    def set_program(self, program: Program | None) -> None:
        self.set_setting("program", program.to_dict() if program else None)

    def rest_days(self) -> set[date]:
        return rest_days_of(self.get_setting("rest_days", []))

    def set_rest_days(self, days: set[date]) -> None:
        self.set_setting("rest_days", sorted(d.isoformat() for d in days))

    def summary(self, now: datetime) -> Summary:
        """The practice summary behind `stats`, the exports and the report."""
        return summarise(
            self.list_attempts(), now, rest_days=self.rest_days(), weekly_goal=self.weekly_goal()
        )

    # -- settings -----------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._locked():
            for doc in self._table("settings").all():
                if doc.get("key") == key:
                    return doc.get("value", default)
        return default

    def set_setting(self, key: str, value: Any) -> None:
        try:
            serialize(value)
        except ValueError as error:
            raise ValidationError([f"Setting {key!r} cannot be saved: {error}"]) from None
        with self._locked():
            table = self._table("settings")
            doc = next((d for d in table.all() if d.get("key") == key), None)
            if doc is None:
                table.insert({"key": key, "value": value})
            else:
                table.update({"value": value}, doc_ids=[doc.doc_id])


__all__ = ["Journal", "JournalError", "NotFound"]
