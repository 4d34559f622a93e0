"""An exclusive, non-blocking lock held for as long as the journal is open.

``flock`` on a side file: the kernel releases it when the process dies, so a
crash never leaves a stale lock behind, and (unlike POSIX ``fcntl`` locks)
closing some other handle to the file does not drop it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from rejection_tui.storage.errors import JournalLocked
from rejection_tui.storage.files import FILE_MODE


def lock_path_for(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


class JournalLock:
    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self.path = lock_path_for(journal)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise JournalLocked(self.journal, pid) from None
        except BaseException:
            os.close(fd)
            raise
        # Record who holds it, so a refused second instance can say so.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
