"""A TinyDB ``Storage`` that never loses or corrupts the journal.

Stock ``JSONStorage`` rewrites the file in place and can leave it half
written; this one keeps the parsed document in memory, writes through on
every change with an atomic replace, holds an exclusive lock, refuses to
overwrite a file someone else changed, and keeps daily backups. The file
stays plain TinyDB JSON, so stock ``TinyDB(path)`` reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from rejection_tui.storage.backups import (
    backup_before,
    backup_dir,
    daily_backup_path,
    ensure_daily_backup,
    newest_backup,
)
from rejection_tui.storage.errors import (
    JournalChangedOnDisk,
    JournalUnreadable,
    JournalWriteFailed,
)
from rejection_tui.storage.files import atomic_write, ensure_dir, remove_stale_temps, temp_prefix
from rejection_tui.storage.lock import JournalLock

Document = dict[str, dict[str, dict[str, Any]]]


def serialize(document: Any) -> bytes:
    """JSON bytes, or ``ValueError`` before any byte reaches the disk."""
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError) as error:
        raise ValueError(f"the data cannot be written as JSON ({error})") from error


def parse(raw: bytes) -> Document:
    """Parse and shape-check a journal file's bytes; ``ValueError`` says why not."""
    if not raw:
        raise ValueError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ValueError(f"the file is not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise ValueError("the file is nested too deeply to be a journal") from None
    if not isinstance(document, dict):
        raise ValueError("the file is JSON but not a journal (expected an object of tables)")
    for table_name, table in document.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {table_name!r} is not an object of documents")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise ValueError(f"table {table_name!r} has a malformed document {doc_id!r}")
    return document


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"the file contains {name}, which is not valid JSON")


@dataclass(frozen=True)
class _Fingerprint:
    inode: int
    size: int
    mtime_ns: int
    digest: bytes


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class SafeJSONStorage(Storage):
    """TinyDB storage: in-memory document, atomic write-through, lock, backups."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        initial: Callable[[], Document] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path).expanduser().absolute()
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._backed_up_on: date | None = None
        ensure_dir(self.path.parent)
        self._lock = JournalLock(self.path)
        self._lock.acquire()
        try:
            # Crashed writers (ours, holding this same lock) leave temp files
            # beside the journal and among its backups; nothing else does.
            remove_stale_temps(self.path.parent, temp_prefix(self.path) + "*")
            remove_stale_temps(backup_dir(self.path), f".{self.path.stem}-*")
            self.created = not self.path.exists()
            if self.created:
                self._data: Document = initial() if initial else {}
                self._write_file(serialize(self._data))
            else:
                raw = self._read_bytes()
                try:
                    self._data = parse(raw)
                except ValueError as error:
                    raise JournalUnreadable(self.path, str(error), newest_backup(self.path)) from None
                self._fingerprint = self._fingerprint_of(raw)
        except BaseException:
            self._lock.release()
            raise

    # -- TinyDB's interface -------------------------------------------------

    def read(self) -> Document:
        return self._data

    def write(self, data: Document) -> None:
        try:
            raw = serialize(data)
        except ValueError as error:
            self._rollback()
            raise JournalWriteFailed(self.path, str(error)) from None
        try:
            self._commit(raw)
        except BaseException:
            self._rollback()
            raise
        self._data = data

    def close(self) -> None:
        self._lock.release()

    # -- extras for the journal --------------------------------------------

    def backup_now(self, reason: str) -> Path:
        """Copy the file as it is on disk before a risky change (e.g. a migration)."""
        return backup_before(self.path, self._read_bytes(), reason, self._clock())

    # -- internals ----------------------------------------------------------

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except IsADirectoryError:
            raise JournalUnreadable(self.path, "it is a directory, not a file") from None
        except PermissionError:
            raise JournalUnreadable(self.path, "permission denied") from None

    def _fingerprint_of(self, raw: bytes) -> _Fingerprint:
        stat = self.path.stat()
        return _Fingerprint(stat.st_ino, stat.st_size, stat.st_mtime_ns, _digest(raw))

    def _check_unchanged(self) -> bytes | None:
        """Raise if someone else changed the file; return its bytes if read."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise JournalChangedOnDisk(self.path, "was deleted or moved") from None
        known = self._fingerprint
        if (stat.st_ino, stat.st_size, stat.st_mtime_ns) == (
            known.inode,
            known.size,
            known.mtime_ns,
        ):
            return None
        # Metadata moved (a sync tool touching the file, say): compare content.
        raw = self._read_bytes()
        if _digest(raw) != known.digest:
            raise JournalChangedOnDisk(self.path)
        return raw

    def _commit(self, raw: bytes) -> None:
        on_disk = self._check_unchanged()
        self._daily_backup(on_disk)
        self._write_file(raw)

    def _write_file(self, raw: bytes) -> None:
        try:
            atomic_write(self.path, raw)
        except OSError as error:
            raise JournalWriteFailed(self.path, error.strerror or str(error)) from None
        self._fingerprint = self._fingerprint_of(raw)

    def _daily_backup(self, on_disk: bytes | None) -> None:
        today = self._clock().date()
        if self._backed_up_on == today:
            return
        try:
            if not daily_backup_path(self.path, today).exists():
                content = on_disk if on_disk is not None else self._read_bytes()
                ensure_daily_backup(self.path, content, today)
        except OSError as error:
            raise JournalWriteFailed(
                self.path, f"the daily backup could not be written ({error.strerror or error})"
            ) from None

    def _rollback(self) -> None:
        """Undo an in-memory change TinyDB made before a failed write.

        TinyDB mutates the document it read before calling ``write``; when
        the write fails, reload the last committed state from disk, unless
        the disk itself was changed by someone else (then keep memory).
        """
        with contextlib.suppress(JournalChangedOnDisk, JournalUnreadable, OSError, ValueError):
            self._check_unchanged()
            self._data = parse(self._read_bytes())
