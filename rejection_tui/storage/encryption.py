"""Turning encryption on and off, and changing the passphrase (issue 14).

Each operation holds the journal's lock (an open ``Journal``), takes a
backup first, writes the journal anew in one atomic replace that is checked
to read back as exactly the same journal, and only then converts the
backups one by one (each an atomic replace too). A kill at any moment
leaves a journal that opens with the old passphrase or the new one; a
backup not converted yet is converted by running the command again
(``convert_backups`` skips the ones already done).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from rejection_tui.storage.backups import all_backups, backup_temp_name, merged_files
from rejection_tui.storage.envelope import ENTRY_MAGIC, MAGIC, SealedUnreadable, is_sealed, split_header
from rejection_tui.storage.files import NotDurable, atomic_write
from rejection_tui.storage.inbox import KEPT_SUFFIX, SEALED_SUFFIX, inbox_dir
from rejection_tui.storage.journal import Journal
from rejection_tui.storage.sealed import Keys


@dataclass
class Converted:
    done: int = 0
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    """Backups left as they are, with why (sealed with a key this journal does not hold)."""


def recovery_files(journal: Path) -> list[Path]:
    """The copies a refused save wrote beside the journal (``safe_storage._write_recovery``)."""
    return sorted(journal.parent.glob(f"{journal.stem}.recovered-*{journal.suffix}"))


def sealed_copies(journal: Path) -> list[Path]:
    """The backups and recovery copies of ``journal`` that are sealed."""
    found = []
    for path in [*all_backups(journal), *recovery_files(journal), *merged_files(journal)]:
        with contextlib.suppress(OSError), open(path, "rb") as handle:
            if is_sealed(handle.read(len(MAGIC))):
                found.append(path)
    return found


def convert_backups(journal: Path, old: Keys | None, new: Keys | None) -> Converted:
    """Bring every backup and recovery copy of ``journal``, and every entry kept aside in its
    inbox, to ``new`` (None: plain), opening sealed ones with ``old`` (or ``new``: already
    converted). Each is replaced atomically; none is deleted unread."""
    result = Converted()
    _convert_kept(journal, old, new, result)
    for backup in [*all_backups(journal), *recovery_files(journal), *merged_files(journal)]:
        try:
            raw = backup.read_bytes()
        except OSError as error:
            result.skipped.append((backup, error.strerror or str(error)))
            continue
        plaintext = raw
        if new is not None and _sealed_as(raw, new):
            continue  # already as it should be (a re-run, or one converted before)
        if is_sealed(raw):
            plaintext_or_none = None
            for keys in (old, new):
                if keys is None:
                    continue
                with contextlib.suppress(SealedUnreadable):
                    plaintext_or_none = keys.open(raw)
                    break
            if plaintext_or_none is None:
                result.skipped.append((backup, "it is sealed with a key this journal does not hold"))
                continue
            plaintext = plaintext_or_none
        target = plaintext if new is None else new.seal(plaintext)
        if target == raw:
            continue
        with contextlib.suppress(NotDurable):
            atomic_write(backup, target, temp_for=backup_temp_name(journal))
        result.done += 1
    return result


def _sealed_as(raw: bytes, keys: Keys) -> bool:
    """Whether ``raw`` is sealed under ``keys``: their header (bar the nonce) and data key."""
    try:
        header, _aad, _body = split_header(raw)
        if {k: v for k, v in header.items() if k != "nonce"} != {
            k: v for k, v in keys.header.items() if k != "nonce"
        }:
            return False
        keys.open(raw)
    except SealedUnreadable:
        return False
    return True


def _convert_kept(journal: Path, old: Keys | None, new: Keys | None, result: Converted) -> None:
    """Entries set aside in the inbox (``*.kept``): sealed to ``new``'s inbox key, or plain."""
    for path in sorted(inbox_dir(journal).glob("*" + KEPT_SUFFIX)):
        try:
            raw = path.read_bytes()
        except OSError as error:
            result.skipped.append((path, error.strerror or str(error)))
            continue
        opened = _open_kept(raw, old, new)
        if opened is None:
            result.skipped.append((path, "it is sealed with a key this journal does not hold"))
            continue
        plaintext, by = opened
        if (new is None and plaintext == raw) or (new is not None and by is new):
            continue  # already as it should be
        base = path.name.removesuffix(KEPT_SUFFIX).removesuffix(SEALED_SUFFIX)
        if new is None:
            target, data = path.with_name(base + KEPT_SUFFIX), plaintext
        else:
            target, data = path.with_name(base + SEALED_SUFFIX + KEPT_SUFFIX), new.seal_entry(plaintext)
        with contextlib.suppress(NotDurable):
            atomic_write(target, data)
        if target != path:
            path.unlink()
        result.done += 1


def _open_kept(raw: bytes, old: Keys | None, new: Keys | None) -> tuple[bytes, Keys | None] | None:
    """(plaintext, the keys that opened it; None for a plain entry), or None if none can."""
    if not raw.startswith(ENTRY_MAGIC):
        return raw, None
    for keys in (new, old):
        if keys is not None:
            with contextlib.suppress(SealedUnreadable):
                return keys.open_entry(raw), keys
    return None


def encrypt(journal: Journal, passphrase: str, recovery: str | None) -> Converted:
    """Seal ``journal`` (open, plain) with a new data key under ``passphrase`` (and ``recovery``)."""
    from rejection_tui.storage.migrations import SCHEMA_VERSION

    storage = journal.storage()
    storage.backup_now("before-encrypt")
    keys = Keys.new(passphrase, SCHEMA_VERSION, recovery)
    storage.reseal(keys)
    return convert_backups(journal.path, None, keys)


def decrypt(journal: Journal) -> Converted:
    """Write ``journal`` (open, unlocked) plain again: stock ``TinyDB(path)`` reads it."""
    storage = journal.storage()
    old = storage.keys
    storage.backup_now("before-decrypt")
    storage.reseal(None)
    return convert_backups(journal.path, old, None)


def change_passphrase(
    journal: Journal, passphrase: str, recovery: str | None, *, keep_recovery: bool
) -> Converted:
    """The same data key under a new passphrase (and a new recovery key, or the old one kept)."""
    storage = journal.storage()
    old = storage.keys
    assert old is not None
    storage.backup_now("before-passphrase")
    keys = Keys(old.data, dict(old.header))
    keys.set_passphrase(passphrase)
    if recovery is not None:
        keys.set_recovery(recovery)
    elif not keep_recovery:
        keys.header.pop("recovery", None)
    storage.reseal(keys)
    return convert_backups(journal.path, old, keys)
