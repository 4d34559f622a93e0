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
    def __init__(self, path: Path, how: str = "was changed by another program") -> None:
        super().__init__(
            path,
            f"The journal {path} {how} since it was opened, so nothing was saved "
            "(saving would overwrite that change). Restart rejection-tui to load it.",
        )


class JournalWriteFailed(JournalError):
    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__(path, f"Could not save to {path}: {reason}. The journal on disk is unchanged.")
