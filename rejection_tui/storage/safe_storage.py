"""A TinyDB ``Storage`` that never loses or corrupts the journal.

Stock ``JSONStorage`` rewrites the file in place and can leave it half
written; this one keeps the parsed document in memory, writes through on
every change with an atomic replace, holds an exclusive lock, refuses to
overwrite a file someone else changed, and keeps daily backups. The file
stays plain TinyDB JSON, so stock ``TinyDB(path)`` reads it.

Decisions about odd files (issue 10):

- **Symbolic links** are resolved once, at open: ``path`` is the real file,
  and the lock, the backups, the temp files and every save use it, so the
  link survives saves and two links to one journal share one lock.
  ``requested_path`` keeps the path as given.
- **Anything but a regular file** (FIFO, device, socket, folder) is refused
  before it is opened for reading; reads use ``O_NONBLOCK``.
- **A UTF-8 BOM** an editor put in front is accepted and dropped at the next
  save (JSON must not start with one, and stock TinyDB cannot read it).
- **Duplicate keys**, numbers JSON cannot hold (``1e400``, ``NaN``),
  integers longer than Python reads and document ids that are not ASCII
  digits make the file unreadable, with the table, document and field named.
- **Read-only**: a journal that can be read but not written (no write bit,
  another user's file, a read-only folder or file system, a lock file that
  cannot be created) opens read-only: ``read_only`` says why, nothing is
  locked or cleaned, and every write raises ``JournalReadOnly`` before
  touching the disk. A read-only file is never made writable.
- **Permissions** are tightened at open (and said once in ``notices``):
  the journal to owner-only (its write bit is never added), its backups and
  ``backups/`` too, and the journal's folder only when it is rejection-tui's
  default data folder or was created by this open; any other existing
  folder (``~/Documents``, say) belongs to the person and is left alone.
- **Deleted while open**: the next save writes the whole document back
  (never over a file that appeared meanwhile) and says so in ``notices``.
  **Replaced while open**: nothing is overwritten; the document is written
  to an owner-only recovery file beside it, named in the error.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import math
import os
import re
import stat
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from tinydb.storages import Storage

from rejection_tui.locations import default_journal_path
from rejection_tui.storage.backups import (
    all_backups,
    backup_before,
    backup_dir,
    backup_temp_name,
    daily_backup_path,
    ensure_daily_backup,
    newest_backup,
    save_older_versions,
)
from rejection_tui.storage.conflicts import aside_name, asides
from rejection_tui.storage.decoding import (
    ATTEMPTS,
    Entry,
    Loaded,
    RawTable,
    from_document,
    materialize,
    read_journal,
)
from rejection_tui.storage.envelope import RecoveryKey, SealedTooNew, SealedUnreadable, is_sealed
from rejection_tui.storage.errors import (
    JournalChangedOnDisk,
    JournalEncrypted,
    JournalError,
    JournalHasNoRecoveryKey,
    JournalLocked,
    JournalReadOnly,
    JournalUnreadable,
    JournalWriteFailed,
    JournalWrongPassphrase,
)
from rejection_tui.storage.files import (
    DIR_MODE,
    FILE_MODE,
    NotDurable,
    NotRegularFile,
    atomic_write,
    create_new,
    create_unique,
    ensure_dir,
    kind_of,
    link_into_place,
    read_regular,
    remove_stale_temps,
    sync_after,
    temp_prefix,
    tighten,
    write_temp,
)
from rejection_tui.storage.lock import JournalLock

if TYPE_CHECKING:
    from rejection_tui.storage.sealed import Keys

Document = dict[str, dict[str, dict[str, Any]]]

BOM = codecs.BOM_UTF8
# Document ids are what TinyDB writes: ASCII digits. "²" passes str.isdigit
# but not int(); "١" passes both and would collide with "1".
_DOC_ID = re.compile(r"[0-9]{1,19}")
_SHOWN = 40


# -- reading ----------------------------------------------------------------


class _Unstorable:
    """Stands in the parsed document where the file holds a value no journal can keep."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


def _show(key: object) -> str:
    text = repr(key)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 2] + "…" + text[-1]


def _where(path: list[Any]) -> str:
    """Where in a journal ``path`` (keys from the top) points, in words."""
    if not path:
        return "the file"
    table = f"table {_show(path[0])}"
    if len(path) == 1:
        return table
    document = path[1] if isinstance(path[1], str) and _DOC_ID.fullmatch(path[1]) else _show(path[1])
    if len(path) == 2:
        return f"document {document} in {table}"
    inner = "".join(f"[{_show(key)}]" for key in path[3:])
    return f"field {_show(path[2])}{inner} of document {document} in {table}"


def _path_to(document: Any, target: object) -> list[Any]:
    """The keys leading to ``target`` (by identity) inside ``document``; [] if it is the top."""
    stack: list[tuple[Any, list[Any]]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if isinstance(node, dict):
            stack.extend((value, [*path, key]) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, [*path, index]) for index, value in enumerate(node))
    return []


def _first_duplicate(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


def _duplicate_sentence(path: list[Any], key: str) -> str:
    if not path:
        return f"the table {_show(key)} appears twice"
    if len(path) == 1:
        return f"table {_show(path[0])} has two documents with id {_show(key)}"
    return f"{_where(path)} has the field {_show(key)} twice"


def parse(raw: bytes) -> Document:
    """Parse and shape-check a journal file's bytes; ``ValueError`` says why not."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    if not raw:
        raise ValueError("the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None
    problems: list[tuple[object, str]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            problems.append((obj, _first_duplicate(pairs)))
        return obj

    def unstorable(what: str) -> _Unstorable:
        marker = _Unstorable(what)
        problems.append((marker, ""))
        return marker

    def number(literal: str) -> float | _Unstorable:
        value = float(literal)
        if math.isfinite(value):
            return value
        return unstorable(f"{_show(literal)[1:-1]}, a number too large to store")

    def constant(name: str) -> _Unstorable:
        return unstorable(f"{name}, which is not valid JSON")

    def long_int(literal: str) -> int | _Unstorable:
        digits = len(literal.lstrip("-"))
        if digits > 4300:  # Python's default int_max_str_digits
            return unstorable(f"a number {digits:,} digits long, far more than any journal value")
        return int(literal)

    hooks: dict[str, Any] = {
        "object_pairs_hook": pairs_hook, "parse_float": number, "parse_constant": constant
    }  # fmt: skip
    try:
        try:
            document = json.loads(text, **hooks)
        except json.JSONDecodeError:
            raise
        except ValueError:
            # An integer longer than Python converts: parse again (slowly) to say where.
            problems.clear()
            document = json.loads(text, parse_int=long_int, **hooks)
    except json.JSONDecodeError as error:
        raise ValueError(f"the file is not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise ValueError("the file is nested too deeply to be a journal") from None
    if problems:
        found, key = problems[0]
        path = _path_to(document, found)
        if isinstance(found, _Unstorable):
            raise ValueError(f"{_where(path)} is {found.what}")
        raise ValueError(_duplicate_sentence(path, key) + " (only one of them could be kept)")
    if not isinstance(document, dict):
        raise ValueError("the file is JSON but not a journal (expected an object of tables)")
    for table_name, table in document.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {_show(table_name)} is not an object of documents")
        ids: dict[int, str] = {}
        for doc_id, doc in table.items():
            if not _DOC_ID.fullmatch(doc_id):
                raise ValueError(
                    f"table {_show(table_name)} has a document with the id {_show(doc_id)}, "
                    'but document ids are plain digits such as "12"'
                )
            if not isinstance(doc, dict):
                raise ValueError(f"document {doc_id} in table {_show(table_name)} is not an object")
            number_id = int(doc_id)
            if number_id in ids:
                raise ValueError(
                    f"table {_show(table_name)} has two documents with id {number_id} "
                    f"({_show(ids[number_id])} and {_show(doc_id)}; only one of them could be kept)"
                )
            ids[number_id] = doc_id
    return document


# -- writing ----------------------------------------------------------------


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _unwritable(value: Any, where: Callable[[list[Any]], str]) -> str | None:
    """The first value JSON cannot hold inside ``value``, in words; None if none is found."""
    stack: list[tuple[Any, list[Any]]] = [(value, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key in node:
                if not isinstance(key, str | int | float | bool) and key is not None:
                    return f"{where(path)} has a key of type {type(key).__name__}"
            stack.extend((child, [*path, key]) for key, child in reversed(node.items()))
        elif isinstance(node, list | tuple):
            stack.extend((child, [*path, index]) for index, child in reversed(list(enumerate(node))))
        elif isinstance(node, float):
            if not math.isfinite(node):
                return f"{where(path)} is {node!r}, which JSON cannot hold"
        elif isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return f"{where(path)} holds text that is not valid Unicode"
        elif not (node is None or isinstance(node, bool | int)):
            return f"{where(path)} holds a {type(node).__name__}, which JSON cannot hold"
    return None


def _value_where(path: list[Any]) -> str:
    return "the value" + "".join(f"[{_show(key)}]" for key in path)


def _serialize(value: Any, where: Callable[[list[Any]], str]) -> bytes:
    try:
        return _dumps(value)
    except RecursionError:
        raise ValueError("the data cannot be written as JSON (it is nested too deeply)") from None
    except (TypeError, ValueError) as error:
        where_and_why = _unwritable(value, where) or error
        raise ValueError(f"the data cannot be written as JSON ({where_and_why})") from None


def serialize(value: Any) -> bytes:
    """JSON bytes, or ``ValueError`` (saying where) before any byte reaches the disk."""
    return _serialize(value, _value_where)


def serialize_journal(document: Document) -> bytes:
    """Like :func:`serialize`; the error names the table, document and field.

    A table read as a ``RawTable`` (the attempts, see :meth:`SafeJSONStorage.read`)
    is spliced in: the documents nobody looked up are the saved file's own bytes,
    the others are written as ``json.dumps`` writes them, so the result is what
    ``json.dumps`` of the whole document gives for a file this app wrote, without
    parsing and writing again every attempt of a long history (issue 12).
    """
    if any(isinstance(table, RawTable) for table in document.values()):
        try:
            return _splice(document)
        except (TypeError, ValueError, RecursionError):
            pass  # say where, as below (looking every document up)
    return _serialize(document, _where)


def _splice(document: Document) -> bytes:
    parts: list[bytes | memoryview] = [b"{"]
    for index, (name, table) in enumerate(document.items()):
        parts += (b", " if index else b"", _dumps(name), b": ")
        if not isinstance(table, RawTable):
            parts.append(_dumps(table))
            continue
        parts.append(b"{")
        for position, (key, doc) in enumerate(table.saved_items()):
            plain = key.isascii() and key.isdigit()  # the usual key: "12"
            parts += (
                b", " if position else b"",
                b'"' + key.encode() + b'"' if plain else _dumps(key),
                b": ",
                memoryview(doc) if type(doc) is msgspec.Raw else _dumps(doc),
            )
        parts.append(b"}")
    parts.append(b"}")
    return b"".join(parts)


# -- the storage --------------------------------------------------------------


# -- the bytes last saved -----------------------------------------------------

_PACK_FROM = 1 << 20
"""Journals from this size on (~2,000 attempts) keep their saved bytes compressed."""


class _Packed:
    """The bytes last saved, zlib-compressed (level 1: JSON shrinks ~5-8 times).

    The storage keeps the saved bytes for every write (the attempts nobody
    changed are written back from them), the check for outside changes and
    the recovery copy; a long journal's bytes are most of its memory beside
    the records (issue 12), so they are kept packed and unpacked when needed.
    """

    __slots__ = ("data", "size")

    def __init__(self, raw: bytes) -> None:
        self.data = zlib.compress(raw, 1)  # (zlib lets other threads run meanwhile)
        self.size = len(raw)

    def unpack(self) -> bytes:
        return zlib.decompress(self.data, bufsize=self.size)


def _pack(raw: bytes) -> bytes | _Packed:
    if len(raw) < _PACK_FROM:
        return raw
    try:
        return _Packed(raw)
    except MemoryError:
        return raw


@dataclass(frozen=True)
class _Fingerprint:
    inode: int
    size: int
    mtime_ns: int


class _Gone(Exception):
    """The journal file is no longer there (deleted or moved away)."""


class _Unmergeable(Exception):
    """Another version is in the journal's place and cannot be merged (``how``, a clause)."""

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how


_ROUNDS = 20
"""Saves tried in a row while other programs keep replacing the journal."""


class _Changed(Exception):
    """Another file, or other content, is at the journal's path."""

    def __init__(self, how: str) -> None:
        self.how = how
        super().__init__(how)


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop (Python 3.11)
        raise JournalUnreadable(path, "it is a symbolic link that leads back to itself") from None


def _exposure(mode: int) -> str:
    readable, writable = mode & 0o044, mode & 0o022
    if readable and writable:
        return "readable and writable by others"
    if writable:
        return "writable by others"
    if readable:
        return "readable by others"
    return "open to others"


READER = "it was opened for reading only"


class SafeJSONStorage(Storage):
    """TinyDB storage: in-memory document, atomic write-through, lock, backups.

    ``read_only`` is None when saves are possible, else one sentence saying
    why not; ``notices`` collects plain sentences to show the person once
    (permissions tightened at open, a deleted journal written back).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        initial: Callable[[], Document] | None = None,
        clock: Callable[[], datetime] | None = None,
        reader: bool = False,
        passphrase: Callable[[], str] | None = None,
        keys: Keys | None = None,
        device: str = "",
    ) -> None:
        """``reader``: a snapshot for reading only (``stats``, ``pending``…): the
        writer's lock is never taken, so it works while the app has the journal
        open, and nothing on disk is created or changed (only modes are tightened).
        ``keys``: an encrypted journal's keys, already unlocked (a conflict copy of this
        journal is sealed with the same ones). ``device`` names this device's backups."""
        self.reader = reader
        self.device = device
        self.merged_in = False
        """Set when a save found another version of the file in place and merged it in: what
        is saved is then more than what was given (the journal reads it again)."""
        self.keys: Keys | None = keys
        """The keys of an encrypted journal, once unlocked (see ``storage.sealed``); None: plain."""
        self._passphrase = passphrase
        self.requested_path = Path(path).expanduser().absolute()
        self.path = _resolve(self.requested_path)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self._backed_up_on: date | None = None
        self._keeping = threading.Lock()
        self.notices: list[str] = []
        self.read_only: str | None = None
        self._why_read_only: str | None = None
        try:
            info: os.stat_result | None = os.stat(self.path)
        except (FileNotFoundError, NotADirectoryError):
            info = None  # (a file where a folder should be: ensure_dir below says so)
        created_folders: list[Path] = []
        self._source = self.path
        """Where the journal is read from: its own name, or (a reader only) the file a save
        interrupted a moment ago had set aside, put back by the next writer (see _write_file)."""
        if info is None and reader and asides(self.path):
            self._source = asides(self.path)[-1]
            info = os.stat(self._source)
        if info is None and reader:
            raise FileNotFoundError(errno.ENOENT, "there is no journal here yet", str(self.path))
        if info is None:
            created_folders = ensure_dir(self.path.parent)
            why = None
        elif not stat.S_ISREG(info.st_mode):
            raise JournalUnreadable(self.path, f"it is {kind_of(info.st_mode)}, not a regular file")
        else:
            why = self._cannot_write(info)
        self._lock = JournalLock(self.path)
        if why is None and reader:
            # Writes are refused, but ``read_only`` stays None: nothing is wrong with the journal.
            self._why_read_only = READER
        elif why is None:
            try:
                self._lock.acquire()
            except JournalLocked:
                raise
            except OSError as error:
                if info is None:
                    raise
                why = (
                    f"its lock file {self._lock.path} cannot be created ({error.strerror or error}), "
                    "so it is not locked against another rejection-tui either"
                )
        if why is not None:
            self._why_read_only = why
            self.read_only = f"The journal is open read-only because {why}."
        try:
            self.created = info is None
            if self._lock.held and info is None and self._restore_aside():
                info = os.stat(self.path)
                self.created = False
                why = self._cannot_write(info)
                if why is not None:
                    self._why_read_only = why
                    self.read_only = f"The journal is open read-only because {why}."
            if self._lock.held:
                # Crashed writers (ours, holding this same lock) leave temp files
                # beside the journal and among its backups; nothing else does.
                remove_stale_temps(self.path.parent, temp_prefix(self.path) + "*")
                folder = backup_dir(self.path)
                remove_stale_temps(folder, temp_prefix(backup_temp_name(self.path)) + "*")
                remove_stale_temps(folder, f".{self.path.stem}-[0-9]*")  # older versions' names
            if self.created:
                document = initial() if initial else {}
                self._write_file(serialize_journal(document))
                self._loaded: Loaded | None = from_document(document)
            else:
                raw = self._unsealed(self._read_bytes())
                self._keep(raw)  # packed on another thread while the records are read
                try:
                    self._loaded = read_journal(raw, parse)
                except ValueError as error:
                    raise JournalUnreadable(self.path, str(error), newest_backup(self.path)) from None
                # The file as read (its fstat), not as it is a moment later.
                self._fingerprint = self._read_as
            # Issue 12: the parsed attempt documents are not kept (the journal keeps
            # the records, this the file's bytes); read() rebuilds the whole document.
            self._tables: Document = self._loaded.tables
            self._tighten(created_folders)  # a reader too: owner-only is a promise, not a write
        except BaseException:
            self.abandon()
            raise

    # -- TinyDB's interface -------------------------------------------------

    def read(self) -> Document:
        """The whole document, parsed anew from the bytes last saved: a caller may change it.

        The attempts table is a ``RawTable``: its documents are parsed when looked up,
        and the ones nobody looked up are written back as they were (issue 12).
        """
        return materialize(self._saved(), parse)

    def write(self, data: Document) -> None:
        if self._why_read_only is not None:
            self._rollback()
            raise JournalReadOnly(self.path, self._why_read_only)
        try:
            raw = serialize_journal(data)
        except ValueError as error:
            self._rollback()
            raise JournalWriteFailed(self.path, str(error)) from None
        try:
            saved = self._commit(raw)
        except BaseException:
            self._rollback()
            raise
        if saved is raw:
            self._tables = {name: table for name, table in data.items() if name != ATTEMPTS}
        else:  # another version was merged in (``merged_in``): the tables as saved
            self._tables = {name: t for name, t in materialize(saved, parse).items() if name != ATTEMPTS}
        self._loaded = None

    def close(self) -> None:
        self._lock.release()

    def abandon(self) -> None:
        """Close after a refused open: a lock file this open created is removed too."""
        self._lock.abandon()

    # -- extras for the journal --------------------------------------------

    def backup_now(self, reason: str) -> Path | None:
        """Copy the file as it is on disk before a risky change (e.g. a migration).

        None when there is no file to copy (it was deleted while open: the
        next write puts the whole document back).
        """
        if self._why_read_only is not None:
            raise JournalReadOnly(self.path, self._why_read_only)
        try:
            raw = self._read_bytes()
        except _Gone:
            return None
        try:
            return backup_before(self.path, raw, reason, self._clock())
        except OSError as error:
            raise JournalWriteFailed(
                self.path, f"the backup before {reason} could not be written ({error.strerror or error})"
            ) from None

    def keep_in_memory(self, document: Document) -> None:
        """Use ``document`` (say, migrated) without writing it: for a read-only journal."""
        self._keep(serialize_journal(document))
        self._loaded = from_document(document)
        self._tables = self._loaded.tables

    def read_tables(self) -> Document:
        """Every table but the attempts, as last saved (cheap: no attempt is parsed). Read only."""
        return self._tables

    def take_attempts(self) -> list[Entry]:
        """The stored attempts, read (see ``decoding.Loaded``): once after opening, then anew."""
        loaded, self._loaded = self._loaded, None
        if loaded is None:
            loaded = read_journal(self._saved(), parse)
        return loaded.attempts

    # -- internals ----------------------------------------------------------

    def _saved(self) -> bytes:
        """The bytes last saved (unpacked when kept packed)."""
        committed = self._committed
        return committed.unpack() if isinstance(committed, _Packed) else committed

    def _keep(self, raw: bytes) -> None:
        """Keep ``raw`` as the bytes last saved; a long journal's are packed on another thread.

        Until the packing is done the bytes themselves serve; it replaces them only
        if no newer save came meanwhile. (Started while the records are read and
        Textual loads, it is done before the first frame on a machine with a core
        to spare, so the file's bytes are not part of the app's memory then.)
        """
        with self._keeping:
            self._committed: bytes | _Packed = raw
        if len(raw) < _PACK_FROM:
            return

        def pack() -> None:
            packed = _pack(raw)
            with self._keeping:
                if self._committed is raw:
                    self._committed = packed

        threading.Thread(target=pack, name="rejection-tui: pack the saved journal", daemon=True).start()

    def _cannot_write(self, info: os.stat_result) -> str | None:
        """Why the existing journal (``info``) cannot be saved, as a clause; None if it can."""
        folder = self.path.parent
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return "the file system holding it is read-only"
        except OSError:
            pass
        if info.st_uid != os.geteuid():
            return "the file belongs to another user (saving would make it yours alone)"
        mode = stat.S_IMODE(info.st_mode)
        if not mode & stat.S_IWUSR:
            return (
                f"the file is read-only (mode {mode:04o}); to save changes, make it writable "
                "(chmod u+w) and restart rejection-tui"
            )
        try:
            folder_info = os.stat(folder)
        except OSError:
            return None
        own_read_only = folder_info.st_uid == os.geteuid() and not folder_info.st_mode & stat.S_IWUSR
        if own_read_only or not os.access(folder, os.W_OK | os.X_OK):
            return f"its folder {folder} is read-only, so no new version can be put in its place"
        return None

    def _tighten(self, created_folders: list[Path]) -> None:
        """Make the journal, its backups and our own folder owner-only; say so in ``notices``."""
        if self._why_read_only == "the file system holding it is read-only":
            return
        folder = self.path.parent
        try:
            default_folder = _resolve(default_journal_path().parent)
        except JournalUnreadable:
            default_folder = None
        if folder == default_folder and folder not in created_folders:
            self._tighten_one(
                folder,
                DIR_MODE,
                lambda old: (
                    f"The folder {folder} holding your journal was {_exposure(old)} ({old:04o}); "
                    "it is now yours alone."
                ),
            )
        self._tighten_one(
            self.path,
            FILE_MODE,
            lambda old: (
                f"Your journal {self.path} was {_exposure(old)} ({old:04o}); it is now readable by you alone."
            ),
        )
        backups = backup_dir(self.path)
        if not backups.is_dir():
            return
        loose = 0
        problem: str | None = None
        for target, keep in [(backups, DIR_MODE)] + [(p, FILE_MODE) for p in all_backups(self.path)]:
            try:
                if tighten(target, os.stat(target), keep) is not None:
                    loose += 1
            except OSError as error:
                problem = error.strerror or str(error)
        if loose:
            self.notices.append(
                f"Your journal's backups in {backups} were readable by others; "
                "they are now readable by you alone."
            )
        if problem:
            self.notices.append(
                f"Some of your journal's backups in {backups} could not be made private ({problem})."
            )

    def _tighten_one(self, target: Path, keep: int, sentence: Callable[[int], str]) -> None:
        try:
            info = os.stat(target)
        except OSError:
            return
        try:
            old = tighten(target, info, keep)
        except OSError as error:
            mode = stat.S_IMODE(info.st_mode)
            self.notices.append(
                f"{target} is {_exposure(mode)} ({mode:04o}) and could not be made private "
                f"({error.strerror or error})."
            )
            return
        if old is not None:
            self.notices.append(sentence(old))

    def _read_bytes(self) -> bytes:
        """The journal's bytes; ``_Gone`` if it is not there, ``JournalUnreadable`` if not a file."""
        try:
            raw, info = read_regular(self._source)
            self._read_as = _Fingerprint(info.st_ino, info.st_size, info.st_mtime_ns)
        except FileNotFoundError:
            raise _Gone() from None
        except NotRegularFile as error:
            raise JournalUnreadable(self.path, f"it is {error.kind}, not a regular file") from None
        except IsADirectoryError:
            raise JournalUnreadable(self.path, "it is a folder, not a regular file") from None
        except PermissionError:
            raise JournalUnreadable(self.path, "permission denied") from None
        return raw

    def _unsealed(self, raw: bytes) -> bytes:
        """The journal's plaintext: ``raw`` itself, or opened with the passphrase (issue 14)."""
        if not is_sealed(raw):
            return raw
        from rejection_tui.storage.sealed import Keys, NoRecoveryKey, WrongPassphrase

        given: str | None = None
        try:
            if self.keys is None:
                if self._passphrase is None:
                    raise JournalEncrypted(self.path)
                given = self._passphrase()
                if isinstance(given, RecoveryKey):
                    self.keys = Keys.unlock(raw, recovery=given)
                else:
                    self.keys = Keys.unlock(raw, given)
            return self.keys.open(raw)
        except WrongPassphrase:
            raise JournalWrongPassphrase(self.path, recovery=isinstance(given, RecoveryKey)) from None
        except NoRecoveryKey:
            raise JournalHasNoRecoveryKey(self.path) from None
        except SealedTooNew as error:
            raise JournalUnreadable(self.path, str(error)) from None
        except SealedUnreadable as error:
            raise JournalUnreadable(
                self.path, f"it is encrypted, but {error}", newest_backup(self.path)
            ) from None

    def _file_bytes(self, raw: bytes) -> bytes:
        """What goes on disk for the journal ``raw``: sealed with a fresh nonce when encrypted."""
        return raw if self.keys is None else self.keys.seal(raw)

    def reseal(self, keys: Keys | None) -> None:
        """Write the journal again under ``keys`` (None: plain), in one atomic replace, and keep
        those keys for every later save. For encrypt, decrypt and a passphrase change.

        The new bytes are checked to read back as exactly the journal before the file is
        replaced, and again once written; a journal changed on disk is never overwritten.
        """
        if self._why_read_only is not None:
            raise JournalReadOnly(self.path, self._why_read_only)
        plaintext = self._saved()
        data = plaintext if keys is None else keys.seal(plaintext)
        if keys is not None and keys.open(data) != plaintext:
            raise JournalWriteFailed(self.path, "the encrypted copy did not read back the same")
        try:
            self._check_unchanged()
        except _Gone:
            raise JournalWriteFailed(self.path, "it was deleted or moved while open") from None
        except _Changed as changed:
            raise JournalChangedOnDisk(self.path, changed.how) from None
        try:
            atomic_write(self.path, data)
        except NotDurable as error:
            self._not_durable(error)
        except OSError as error:
            raise JournalWriteFailed(self.path, error.strerror or str(error)) from None
        self.keys = keys
        self._fingerprint = self._fingerprint_of(data)
        written = self._read_bytes()
        if (written if keys is None else keys.open(written)) != plaintext:
            raise JournalWriteFailed(self.path, "it did not read back the same after writing")

    def _fingerprint_of(self, raw: bytes) -> _Fingerprint:
        info = os.stat(self.path)
        return _Fingerprint(info.st_ino, info.st_size, info.st_mtime_ns)

    def _check_unchanged(self) -> bytes | None:
        """Raise ``_Gone`` or ``_Changed`` if someone else touched the file; its bytes if read."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            raise _Gone() from None
        known = self._fingerprint
        if (info.st_ino, info.st_size, info.st_mtime_ns) == (known.inode, known.size, known.mtime_ns):
            return None
        if not stat.S_ISREG(info.st_mode):
            raise _Changed(f"was replaced by {kind_of(info.st_mode)}")
        # Metadata moved (a sync tool touching the file, say): compare content.
        try:
            raw = self._read_bytes()
        except _Gone:
            raise
        except JournalUnreadable as error:
            raise _Changed(f"was replaced by a file that cannot be read ({error.reason})") from None
        try:
            content = raw if self.keys is None else self._unsealed(raw)
        except JournalError:
            content = None  # not this journal's seal: changed
        if content != self._saved():  # the bytes last saved (kept anyway: no hash needed)
            replaced = info.st_ino != known.inode
            raise _Changed("was replaced by another file" if replaced else "was changed by another program")
        return raw

    def _commit(self, raw: bytes) -> bytes:
        """Save ``raw``; what was saved: ``raw``, or ``raw`` merged with a version someone
        else put in the journal's place (a sync tool, another device: issue 15)."""
        try:
            on_disk = self._check_unchanged()
        except _Gone:
            self._write_back(raw)
            return raw
        except _Changed:
            # Merged as the file is put in place (backed up first), or refused if it cannot
            # be: no daily backup of a file that may not even be readable (a FIFO, say).
            return self._write_file(raw)
        self._daily_backup(on_disk)
        return self._write_file(raw)

    def _write_back(self, raw: bytes) -> None:
        """The journal was deleted or moved away while open: write it again, whole."""
        try:
            ensure_dir(self.path.parent)  # the whole folder may have gone
        except OSError as error:
            raise JournalWriteFailed(
                self.path,
                f"it was deleted while open and its folder cannot be made ({error.strerror or error})",
            ) from None
        if not self._lock.still_ours():
            try:
                self._lock.reacquire()
            except JournalLocked:
                raise self._refusal("was deleted and is now open in another rejection-tui", raw) from None
            except OSError as error:
                raise JournalWriteFailed(
                    self.path,
                    "it was deleted while open and its lock cannot be taken again "
                    f"({error.strerror or error})",
                ) from None
        try:
            create_new(self.path, self._file_bytes(raw))
        except FileExistsError:
            raise self._refusal("was replaced by another file", raw) from None
        except NotDurable as error:
            self._not_durable(error)
        except OSError as error:
            raise JournalWriteFailed(
                self.path,
                f"it was deleted while open and could not be written again ({error.strerror or error})",
            ) from None
        self._fingerprint = self._fingerprint_of(raw)
        self._keep(raw)
        self.notices.append(
            f"The journal {self.path} was deleted or moved while rejection-tui had it open; "
            "it was written again with everything you see here."
        )

    def _not_durable(self, error: NotDurable) -> None:
        """The new journal is in place but its folder's sync failed: a notice, not a failure."""
        self.notices.append(
            f"Your change was saved to {self.path}, but the disk did not confirm it "
            f"({error.strerror or error.cause}): if the computer stops before the disk catches up, "
            "the journal may come back without that change."
        )

    def _refusal(self, how: str, raw: bytes) -> JournalChangedOnDisk:
        """The error for a journal someone else changed, after saving ``raw`` to a recovery file."""
        try:
            recovery = self._write_recovery(raw)
        except NotDurable as error:  # written; only its folder's sync failed
            return JournalChangedOnDisk(self.path, how, recovery=Path(error.filename))
        except OSError as error:
            return JournalChangedOnDisk(self.path, how, recovery_error=error.strerror or str(error))
        return JournalChangedOnDisk(self.path, how, recovery=recovery)

    def _write_recovery(self, raw: bytes) -> Path:
        """Write ``raw`` to a new owner-only file beside the journal, never over any file.

        A new file at each refused save: memory goes back to the last saved
        state after a refusal, so each recovery file may hold a change the
        next one does not.
        """
        stamp = self._clock().strftime("%Y-%m-%dT%H%M%S")
        return create_unique(
            self.path.parent,
            f"{self.path.stem}.recovered-{stamp}",
            self.path.suffix,
            self._file_bytes(raw),  # sealed too: no plaintext on disk
            temp_for=self.path,
        )

    def _write_file(self, raw: bytes) -> bytes:
        """Put ``raw`` in the journal's place, never over a file this journal did not check.

        ``os.replace`` would overwrite a version a sync tool renamed into place after the
        last check. So: the new file is written complete beside the journal; the current
        file is renamed aside and compared with the one last checked (a different one is
        merged in); then the new file is linked into place, which fails if any file
        appeared there meanwhile (merged in the next round). At every moment the journal
        is in place or aside; an aside file a crash left is put back (or merged) at the
        next open. Returns what was saved.
        """
        try:
            temp = write_temp(self.path, self._file_bytes(raw))
        except OSError as error:
            raise JournalWriteFailed(self.path, error.strerror or str(error)) from None
        moved: list[Path] = []
        try:
            for _ in range(_ROUNDS):
                aside = aside_name(self.path)
                try:
                    os.rename(self.path, aside)
                except FileNotFoundError:
                    pass
                else:
                    moved.append(aside)
                    if not self._is_checked(aside):
                        raw = self._merged_with(raw, aside)
                        os.unlink(temp)
                        temp = write_temp(self.path, self._file_bytes(raw))
                # The new file's fingerprint from its temp name (a hard link is the same file):
                # read from the journal's name after linking, it could be a newer arrival's.
                written = os.stat(temp)
                try:
                    link_into_place(temp, self.path)
                except FileExistsError:
                    continue  # a file appeared between the two steps: merged in the next round
                break
            else:
                raise _Unmergeable("kept being replaced by another program while saving")
        except _Unmergeable as error:
            self._put_back(moved)
            raise self._refusal(error.how, raw) from None
        except OSError as error:
            self._put_back(moved)
            raise JournalWriteFailed(self.path, error.strerror or str(error)) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        for old in moved:  # the file last checked, or versions now merged into this one
            with contextlib.suppress(OSError):
                os.unlink(old)
        try:
            sync_after(self.path)
        except NotDurable as error:
            self._not_durable(error)  # saved, and said so truly: not "unchanged"
        self._fingerprint = _Fingerprint(written.st_ino, written.st_size, written.st_mtime_ns)
        self._keep(raw)
        return raw

    def _is_checked(self, candidate: Path) -> bool:
        """Whether ``candidate`` is the journal file as last checked (or holds what it held)."""
        known = getattr(self, "_fingerprint", None)
        try:
            info = os.stat(candidate)
        except OSError:
            return False
        if known is not None and (info.st_ino, info.st_size, info.st_mtime_ns) == (
            known.inode,
            known.size,
            known.mtime_ns,
        ):
            return True
        if known is None:
            return False
        try:
            content = self._plaintext(read_regular(candidate)[0])
        except (OSError, _Unmergeable):
            return False
        return content == self._saved()

    def _plaintext(self, raw: bytes) -> bytes:
        """Another version's bytes in the clear, with this journal's keys; ``_Unmergeable``."""
        if not is_sealed(raw):
            return raw
        if self.keys is None:
            raise _Unmergeable("was replaced by an encrypted file")
        try:
            return self.keys.open(raw)
        except (SealedUnreadable, SealedTooNew):
            raise _Unmergeable("was replaced by a file encrypted with another key") from None

    def _merged_with(self, raw: bytes, other: Path) -> bytes:
        """``raw`` merged with the journal version in ``other`` (see ``storage.syncing``)."""
        from rejection_tui.storage.migrations import SCHEMA_VERSION, migrate, schema_version
        from rejection_tui.storage.syncing import describe, merge_documents

        try:
            their_bytes = read_regular(other)[0]
        except NotRegularFile as error:
            raise _Unmergeable(f"was replaced by {error.kind}") from None
        except OSError as error:
            raise _Unmergeable(
                f"was replaced by a file that cannot be read ({error.strerror or error})"
            ) from None
        plain = self._plaintext(their_bytes)
        try:
            theirs = parse(plain)
            version = schema_version(theirs)
        except ValueError as error:
            raise _Unmergeable(f"was replaced by a file that cannot be read ({error})") from None
        if version > SCHEMA_VERSION:
            raise _Unmergeable("was replaced by a journal from a newer version of rejection-tui")
        if version < SCHEMA_VERSION:
            theirs = migrate(theirs, version, self._clock())
        merge = merge_documents(parse(raw), theirs)
        try:
            # Their file goes once this save is in place: its bytes and every version of
            # it not kept are saved first, even when this side's are the newer everywhere.
            backup_before(self.path, their_bytes, "before-merge", self._clock())
            older = self.save_older(merge.older, theirs)
        except OSError as error:
            raise _Unmergeable(
                f"was changed by another program, and the backup before merging could not be written "
                f"({error.strerror or error})"
            ) from None
        kept = f" The versions not kept are saved in {older}." if older else ""
        what = " ".join(describe(merge.counts)) or "This window's version was the newer in every record."
        self.notices.append(
            f"Your journal {self.path} was changed by another program (a sync tool bringing another "
            "device's changes?) while rejection-tui had it open; the two versions were merged, "
            f"nothing was lost. {what}{kept}"
        )
        if not merge.changed:
            return raw
        self.merged_in = True
        return serialize_journal(merge.document)

    def save_older(self, older: list[tuple[str, Any]], theirs: Document) -> Path | None:
        """Write the versions a merge did not keep into ``backups/merged/`` (sealed when the
        journal is); None when there are none."""
        if not older:
            return None
        import hashlib

        from rejection_tui.storage.syncing import older_document

        meta = next(iter((theirs.get("meta") or {"1": {}}).values()), {})
        content = serialize_journal(older_document(older, dict(meta)))
        digest = hashlib.sha256(content).hexdigest()[:12]
        return save_older_versions(self.path, self._file_bytes(content), digest, self._clock())

    def _put_back(self, moved: list[Path]) -> None:
        """After a failed save: the file last moved aside goes back in place if the place is
        empty; any other stays aside, merged at the next open (nothing is deleted)."""
        if not moved:
            return
        try:
            link_into_place(str(moved[-1]), self.path)
        except FileExistsError:
            return  # a file came into its place meanwhile: this one stays aside, merged later
        except OSError:
            # Linking fails as the save did (a full disk, say): a rename needs no space. The
            # name was just checked to be free; a file landing in between is the rare loss
            # ``rename`` risks, against a journal missing from its place until the next open.
            if not os.path.lexists(self.path):
                with contextlib.suppress(OSError):
                    os.rename(moved[-1], self.path)
            return
        with contextlib.suppress(OSError):
            os.unlink(moved[-1])

    def _restore_aside(self) -> bool:
        """At open, with the journal missing: put back the newest file a crashed save left
        aside (the others are merged as copies). Whether one was put back."""
        for candidate in reversed(asides(self.path)):
            try:
                link_into_place(str(candidate), self.path)
            except FileExistsError:
                return True
            except OSError:
                continue
            with contextlib.suppress(OSError):
                os.unlink(candidate)
            with contextlib.suppress(OSError):
                sync_after(self.path)
            self.notices.append(
                f"Your journal {self.path} was found set aside by a save that was interrupted; "
                "it is back in place."
            )
            return True
        return False

    def _daily_backup(self, on_disk: bytes | None) -> None:
        today = self._clock().date()
        if self._backed_up_on == today:
            return
        try:
            if not daily_backup_path(self.path, today, self.device).exists():
                content = on_disk if on_disk is not None else self._read_bytes()
                ensure_daily_backup(self.path, content, today, self.device)
        except _Gone:
            return
        except OSError as error:
            raise JournalWriteFailed(
                self.path, f"the daily backup could not be written ({error.strerror or error})"
            ) from None

    def _rollback(self) -> None:
        """Undo an in-memory change TinyDB made before a failed write.

        TinyDB mutates the document it read before calling ``write``; when
        the write fails, go back to the last state this storage committed,
        whatever happened to the disk meanwhile (changed by someone else,
        moved, unreadable): memory then holds what is saved, never the
        change that was refused.
        """
        self._tables = {name: table for name, table in self.read().items() if name != ATTEMPTS}
