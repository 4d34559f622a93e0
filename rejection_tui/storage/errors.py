"""Typed journal errors, each with one sentence a person can act on."""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """Base class: something is wrong with the journal file at ``path``."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(message)


class JournalUnreadable(JournalError):
    """The file is not a valid journal; it was left exactly as it was."""

    def __init__(self, path: Path, reason: str, newest_backup: Path | None = None) -> None:
        self.reason = reason
        self.newest_backup = newest_backup
        hint = f" The newest backup is {newest_backup}." if newest_backup else ""
        super().__init__(
            path,
            f"Cannot read the journal {path}: {reason}. The file was not changed.{hint}",
        )


class JournalTooNew(JournalError):
    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(
            path,
            f"The journal {path} was written by a newer rejection-tui "
            f"(schema version {found}; this version reads up to {supported}). "
            "Please upgrade rejection-tui; the file was not changed.",
        )


class JournalLocked(JournalError):
    def __init__(self, path: Path, pid: int | None) -> None:
        self.pid = pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            path,
            f"The journal {path} is already open in another rejection-tui ({holder}). "
            "Close that one first, or use --db to open a different file.",
        )


class JournalChangedOnDisk(JournalError):
    """Someone else replaced or changed the file: it is never overwritten.

    ``recovery`` is the owner-only file beside the journal that holds
    everything this process had in memory (the unsaved change included),
    or None when even that could not be written (``recovery_error`` says why).
    """

    def __init__(
        self,
        path: Path,
        how: str = "was changed by another program",
        *,
        recovery: Path | None = None,
        recovery_error: str | None = None,
    ) -> None:
        self.recovery = recovery
        self.recovery_error = recovery_error
        if recovery is not None:
            after = (
                f" Everything this window holds, your last change included, was written to {recovery} "
                f"(readable by you only; open it with --db {recovery}). "
                "Restart rejection-tui to load the journal as it is now."
            )
        elif recovery_error is not None:
            after = (
                f" A recovery copy of what this window holds could not be written ({recovery_error}); "
                "keep rejection-tui open and export your attempts before you restart."
            )
        else:
            after = " Restart rejection-tui to load it."
        super().__init__(
            path,
            f"The journal {path} {how} since it was opened, so nothing was saved to it "
            f"(saving would overwrite that change).{after}",
        )


class JournalWriteFailed(JournalError):
    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__(path, f"Could not save to {path}: {reason}. The journal on disk is unchanged.")


class JournalReadOnly(JournalError):
    """The journal was opened read-only (``Journal.read_only`` says why); nothing is ever written.

    Raised by every write before anything touches the disk.
    """

    def __init__(self, path: Path, why: str) -> None:
        self.why = why
        super().__init__(
            path,
            f"Nothing was saved: the journal {path} is open read-only because {why}. "
            "The file was not changed.",
        )


class JournalEncrypted(JournalError):
    """The journal is encrypted and no passphrase was given (none could be asked for)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"The journal {path} is encrypted: run this at a terminal to type its passphrase, "
            "or set REJECTION_TUI_PASSPHRASE. The file was not changed.",
        )


class JournalWrongPassphrase(JournalError):
    def __init__(self, path: Path, *, recovery: bool = False) -> None:
        if recovery:
            message = f"That recovery key does not open the journal {path}. The file was not changed."
        else:
            message = (
                f"That passphrase does not open the journal {path}. The file was not changed. "
                "(With your recovery key, `rejection-tui passphrase --recovery` sets a new passphrase.)"
            )
        super().__init__(path, message)


class JournalHasNoRecoveryKey(JournalError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"The journal {path} has no recovery key: none was made when it was encrypted. "
            "Only its passphrase opens it. The file was not changed.",
        )


class JournalNotUnlocked(JournalError):
    """The passphrase prompt was left (ctrl+c, ctrl+d): nothing was opened."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path, f"No passphrase was typed, so the journal {path} was not opened. It was not changed."
        )
