"""The inbox: how the shell commands hand entries to whoever holds the journal.

Only the process holding the journal's lock (the app, or a shell command
when the app is closed) ever writes the journal. A shell command that
records something (``plan``, ``rate``, ``log``) first writes it as one small
owner-only file in ``<journal>.inbox/`` — complete or not at all (a synced
temp file hard-linked into place) — and only then says it is recorded. The
lock holder takes entries in, oldest first: it saves each into the journal
(an atomic write) and only then deletes the entry's file.

Taking an entry in twice changes nothing, which is what makes a crash at
any moment safe: an entry whose file survived a save is found already in
the journal next time. An added attempt is skipped when its id is there; a
rating is applied while the attempt is still planned, skipped when the
journal already holds exactly it, and set aside (``*.kept``, never deleted)
when the attempt was rated differently meanwhile. A file that cannot be read
is set aside the same way, so nothing a person typed is ever dropped.

See docs/away-from-the-desk.md for the whole design.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rejection_tui.domain.models import Attempt, Challenge, Status, new_id, now_local
from rejection_tui.domain.pending import status_text, waiting
from rejection_tui.domain.validation import ValidationError
from rejection_tui.storage.envelope import ENTRY_MAGIC, MAGIC, MAX_HEADER, SealedUnreadable, is_sealed
from rejection_tui.storage.files import atomic_write, create_new, ensure_dir, fsync_dir

if TYPE_CHECKING:
    from rejection_tui.storage.journal import Journal
    from rejection_tui.storage.sealed import Keys

INBOX_VERSION = 1
ADD = "add"
RATE = "rate"
KINDS = (ADD, RATE)
ENTRY_SUFFIX = ".json"
IMPORT_MARK = ".import"
"""Names ``…​.import.csv`` / ``…​.import.json``: a copy of a file ``import`` was given."""
KEPT_SUFFIX = ".kept"


def inbox_dir(journal: Path) -> Path:
    return journal.with_name(journal.name + ".inbox")


def status_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".status")


class EntryUnreadable(ValueError):
    """An inbox file that is not an entry this version can take in (the reason in words)."""


@dataclass(frozen=True)
class Entry:
    """One thing recorded from the shell: an attempt to add, or a rating to apply."""

    kind: str
    attempt: Attempt
    challenge: Challenge | None = None
    """A custom challenge made for a free-text ask: added with the attempt."""
    entry_id: str = field(default_factory=new_id)
    made_at: datetime = field(default_factory=now_local)

    def to_bytes(self) -> bytes:
        document = {
            "inbox": INBOX_VERSION,
            "entry": self.entry_id,
            "made_at": self.made_at.isoformat(),
            "kind": self.kind,
            "attempt": self.attempt.to_dict(),
            "challenge": self.challenge.to_dict() if self.challenge else None,
        }
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Entry:
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EntryUnreadable("it is not valid JSON") from None
        if not isinstance(document, dict):
            raise EntryUnreadable("it is not an inbox entry")
        version = document.get("inbox")
        if not isinstance(version, int) or version < 1:
            raise EntryUnreadable("it is not an inbox entry")
        if version > INBOX_VERSION:
            raise EntryUnreadable(f"a newer version of rejection-tui wrote it (inbox format {version})")
        kind = document.get("kind")
        if kind not in KINDS:
            raise EntryUnreadable(f"its kind {kind!r} is not one of: {', '.join(KINDS)}")
        try:
            attempt = Attempt.from_dict(document.get("attempt"))  # type: ignore[arg-type]
            raw_challenge = document.get("challenge")
            challenge = None if raw_challenge is None else Challenge.from_dict(raw_challenge)
            made_at = datetime.fromisoformat(document["made_at"])
        except ValidationError as error:
            raise EntryUnreadable(" ".join(error.messages)) from None
        except (KeyError, TypeError, ValueError):
            raise EntryUnreadable("its time is missing or unreadable") from None
        entry_id = document.get("entry")
        if not isinstance(entry_id, str) or not entry_id:
            raise EntryUnreadable("it has no entry id")
        return cls(kind, attempt, challenge, entry_id, made_at)


SEALED_SUFFIX = ".box"
"""An entry sealed to an encrypted journal's inbox key (issue 14)."""


def _sealed_for(journal: Path, data: bytes) -> bytes | None:
    """``data`` sealed to ``journal``'s inbox key when the journal is encrypted, else None.

    Needs no passphrase: the inbox key in the file's header is a public key.
    """
    try:
        with open(journal, "rb") as handle:
            head = handle.read(MAX_HEADER + len(MAGIC) + 4)
    except FileNotFoundError:
        return None
    if not is_sealed(head):
        return None
    from rejection_tui.storage.sealed import seal_entry

    return seal_entry(head, data)


def _write(journal: Path, made_at: datetime, suffix: str, data: bytes, *, kept: bool = False) -> Path:
    folder = inbox_dir(journal)
    ensure_dir(folder)
    sealed = _sealed_for(journal, data)  # no plaintext on disk beside an encrypted journal
    if sealed is not None:
        data, suffix = sealed, suffix + SEALED_SUFFIX
    if kept:  # never a name the inbox takes in
        suffix += KEPT_SUFFIX
    # The time first: names sort in the order things were recorded.
    path = folder / f"{made_at.astimezone().strftime('%Y%m%dT%H%M%S%f')}-{new_id()}{suffix}"
    create_new(path, data)
    return path


def hand_in(journal: Path, entry: Entry) -> Path:
    """Write ``entry`` into the journal's inbox, whole and synced; its file.

    Once this returns, the entry is recorded: whoever holds the journal takes
    it in exactly once. ``OSError`` (nothing was recorded) when it cannot be written.
    """
    return _write(journal, entry.made_at, ENTRY_SUFFIX, entry.to_bytes())


def hand_in_import(journal: Path, data: bytes, kind: str) -> Path:
    """A copy of a file to import (``kind`` "csv" or "json", already checked), for the lock
    holder to merge; merging by id makes taking it in twice a no-op."""
    return _write(journal, now_local(), f"{IMPORT_MARK}.{kind}", data)


def is_import(path: Path) -> bool:
    return path.name.removesuffix(SEALED_SUFFIX).endswith((f"{IMPORT_MARK}.csv", f"{IMPORT_MARK}.json"))


def entry_bytes(path: Path, keys: Keys | None) -> bytes:
    """An inbox file's plaintext; ``EntryUnreadable`` when sealed and ``keys`` cannot open it."""
    raw = path.read_bytes()
    if not raw.startswith(ENTRY_MAGIC):
        return raw
    if keys is None:
        raise EntryUnreadable("it is encrypted for a journal that is not encrypted now")
    try:
        return keys.open_entry(raw)
    except SealedUnreadable as error:
        raise EntryUnreadable(f"it is encrypted, but {error}") from None


def waiting_files(journal: Path) -> list[Path]:
    """The entries waiting in the inbox, oldest first (cheap: one directory listing)."""
    try:
        with os.scandir(inbox_dir(journal)) as listing:
            names = [
                e.name
                for e in listing
                if e.name.endswith((ENTRY_SUFFIX, f"{IMPORT_MARK}.csv", SEALED_SUFFIX))
                and not e.name.startswith(".")
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    folder = inbox_dir(journal)
    return [folder / name for name in sorted(names)]


def read_waiting(journal: Path, keys: Keys | None = None) -> list[Entry]:
    """The readable waiting entries, oldest first, for a reader's view (nothing is changed).

    (Imports waiting are not read here: they hold whole files. Sealed entries are
    read only with the journal's ``keys``.)
    """
    entries = []
    for path in waiting_files(journal):
        if is_import(path):
            continue
        with contextlib.suppress(OSError, EntryUnreadable):
            entries.append(Entry.from_bytes(entry_bytes(path, keys)))
    return entries


def applies(entry: Entry, current: Attempt | None) -> bool | None:
    """Whether taking ``entry`` in changes the journal whose attempt of that id is ``current``:
    True to apply, False when it is there already, None when it conflicts (a rating for an
    attempt rated differently meanwhile)."""
    if current is None:
        return True
    if entry.kind == ADD:
        return False
    if current.status == Status.PLANNED:
        return True
    return False if current == entry.attempt else None


def overlay(attempts: Iterable[Attempt], entries: Iterable[Entry]) -> list[Attempt]:
    """The attempts as they will be once ``entries`` are taken in (for ``pending`` while the
    app is open and has not taken them yet)."""
    by_id = {a.id: a for a in attempts}
    for entry in entries:
        if applies(entry, by_id.get(entry.attempt.id)):
            by_id[entry.attempt.id] = entry.attempt
    return list(by_id.values())


@dataclass
class TakenIn:
    """What one pass over the inbox did."""

    added: list[Attempt] = field(default_factory=list)
    rated: list[Attempt] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    """What each import merged, in words."""
    set_aside: list[tuple[Path, str]] = field(default_factory=list)
    """Files kept beside the inbox (``*.kept``) with why, to tell the person."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.rated or self.imported)

    def sentences(self) -> list[str]:
        lines = []
        for attempt in self.added:
            what = "logged" if attempt.retro else "planned" if attempt.status == Status.PLANNED else "added"
            lines.append(f"From the shell, {what}: {attempt.challenge_title}")
        lines += [f"From the shell, rated: {a.challenge_title}" for a in self.rated]
        lines += [f"From the shell, imported: {summary}" for summary in self.imported]
        lines += [
            f"An entry from the shell was not taken in ({why}); it is kept at {path}."
            for path, why in self.set_aside
        ]
        return lines


def take_in(journal: Journal) -> TakenIn:
    """Take every waiting entry into ``journal`` (its lock holder), oldest first.

    Each entry is saved before its file is deleted (see the module's notes);
    ``JournalError``/``ValidationError`` from a save stop the pass and leave the
    rest waiting for the next one.
    """
    result = TakenIn()
    for path in waiting_files(journal.path):
        if is_import(path):
            _take_import(journal, path, result)
            continue
        try:
            entry = Entry.from_bytes(entry_bytes(path, journal.storage().keys))
        except FileNotFoundError:
            continue  # taken in by another pass meanwhile
        except (OSError, EntryUnreadable) as error:
            why = str(error) if isinstance(error, EntryUnreadable) else (error.strerror or str(error))
            _set_aside(path, f"it cannot be read: {why}", result)
            continue
        if entry.challenge is not None and journal.find_challenge(entry.challenge.id) is None:
            same = _same_own_ask(journal, entry.challenge)
            if same is None:
                journal.add_challenge(entry.challenge)
            else:  # recorded without the passphrase, so it could not see yours: one challenge, not two
                entry = replace(entry, attempt=replace(entry.attempt, challenge_id=same.id))
        current = journal.get_attempt(entry.attempt.id)
        verdict = applies(entry, current)
        if verdict is None:
            _set_aside(path, "that ask was rated differently in the meantime", result)
            continue
        if verdict:
            if current is None:
                journal.add_attempt(entry.attempt)
                (result.added if entry.kind == ADD else result.rated).append(entry.attempt)
            else:
                journal.update_attempt(entry.attempt)
                result.rated.append(entry.attempt)
        _remove(path)
    return result


def _take_import(journal: Journal, path: Path, result: TakenIn) -> None:
    from rejection_tui.storage.formats import ImportProblem, read_import_stream

    try:
        data = entry_bytes(path, journal.storage().keys)
        imported = read_import_stream(io.BytesIO(data), Path(path.name.removesuffix(SEALED_SUFFIX)).suffix)
    except FileNotFoundError:
        return
    except (OSError, ImportProblem, EntryUnreadable) as error:
        why = str(error) if not isinstance(error, OSError) else (error.strerror or str(error))
        _set_aside(path, f"it cannot be imported: {why}", result)
        return
    merged = journal.merge(imported.attempts, imported.unreadable, validated=True, backup=imported.backup)
    summary = merged.summary(unreadable=bool(imported.unreadable))
    result.imported.append(" ".join([f"{summary}.", *merged.notes()]))
    _remove(path)


def _same_own_ask(journal: Journal, challenge: Challenge) -> Challenge | None:
    """A custom challenge already in ``journal`` with the same title, level and kind."""
    title = " ".join(challenge.title.split()).casefold()
    for mine in journal.custom_challenges(include_archived=True):
        same = (" ".join(mine.title.split()).casefold(), mine.level, mine.category)
        if same == (title, challenge.level, challenge.category):
            return mine
    return None


def keep_replaced(journal: Path, attempt: Attempt) -> Path:
    """Keep ``attempt`` — a version the person chose to save over — as a ``.kept`` entry beside
    the journal (sealed when it is encrypted): nothing anyone typed is lost."""
    data = Entry(RATE, attempt).to_bytes()
    return _write(journal, now_local(), "-replaced" + ENTRY_SUFFIX, data, kept=True)


def _set_aside(path: Path, why: str, result: TakenIn) -> None:
    kept = path.with_name(path.name + KEPT_SUFFIX)
    with contextlib.suppress(OSError):
        os.replace(path, kept)
        result.set_aside.append((kept, why))


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)


def write_status(journal: Path, attempts: Iterable[Attempt], previous: str | None) -> str:
    """Write the status file (counts only, owner-only) if its text changed; the text.

    A cache for shell prompts: a failure to write it is not an error.
    """
    text = status_text(waiting(attempts, now_local()))
    if text == previous:
        return text
    target = status_path(journal)
    with contextlib.suppress(OSError):
        if previous is None and target.read_text(encoding="ascii", errors="replace") == text:
            return text
    with contextlib.suppress(OSError):
        atomic_write(target, text.encode("ascii"), durable=False)
    return text


def read_status(journal: Path) -> dict[str, int] | None:
    """The status file's numbers, or None when it is missing or garbled."""
    try:
        text = status_path(journal).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    numbers: dict[str, Any] = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if value.isdigit():
            numbers[key] = int(value)
    return numbers if "pending" in numbers else None
